namespace MelonChain.Gateway.Features;

/// <summary>
/// The Gateway's connections to the services (P7, the hop). YARP already keeps one <see cref="SocketsHttpHandler"/>
/// per cluster for the process's life (no handler or client per request), returns an answer once its headers are read
/// and copies bodies through without buffering them. What it leaves at .NET's defaults is tuned here, for every
/// cluster:
/// <list type="bullet">
/// <item>a pool of at most <c>Gateway:ServiceConnections:MaxPerService</c> connections per destination (128: twice the
/// benchmark's 64 callers, so none waits for a connection, yet a burst cannot open thousands of sockets to one
/// replica); a cluster's own <c>HttpClient:MaxConnectionsPerServer</c> still wins;</item>
/// <item>each connection renewed after <c>Gateway:ServiceConnections:Lifetime</c> (2 minutes; never by default), so on
/// Kubernetes, where a destination is a Service balancing over pods, a replica started later gets its share of
/// kept-alive connections;</item>
/// <item>a request carrying <c>Expect: 100-continue</c> sends its body at once instead of waiting up to a second for the
/// service's 100: the service is ours and reads every body it is sent.</item>
/// </list>
/// HTTP/1.1, as before: YARP asks for HTTP/2 "or lower", which over plain http is HTTP/1.1 without a TLS handshake to
/// negotiate more.
/// </summary>
public static class ServiceConnections
{
    public const int DefaultMaxPerService = 128;
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(2);

    public static IReverseProxyBuilder TuneServiceConnections(this IReverseProxyBuilder proxy, IConfiguration configuration)
    {
        var section = configuration.GetSection("Gateway:ServiceConnections");
        var maxPerService = section.GetValue("MaxPerService", DefaultMaxPerService);
        var lifetime = section.GetValue("Lifetime", DefaultLifetime);
        return proxy.ConfigureHttpClient((context, handler) =>
        {
            if (context.NewConfig.MaxConnectionsPerServer is null) handler.MaxConnectionsPerServer = maxPerService;
            handler.PooledConnectionLifetime = lifetime;
            handler.Expect100ContinueTimeout = TimeSpan.Zero;
        });
    }
}
