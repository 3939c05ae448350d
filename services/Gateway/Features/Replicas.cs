using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace MelonChain.Gateway.Features;

/// <summary>
/// Several replicas of a service are destinations of its cluster (appsettings.json: round robin, active checks of
/// each destination's /health/ready every second, passive checks on transport failures), so an unready or dead
/// replica is skipped until it answers ready again. In Development the answer names the destination that served it
/// (<c>X-Destination</c>), so a person or a test can watch the balancing; elsewhere nothing internal is shown.
/// </summary>
public static class Replicas
{
    public const string DestinationHeader = "X-Destination";

    /// <summary>
    /// A passive failure keeps a destination out for the longer of the cluster's ReactivationPeriod and the failure-rate
    /// window (60 s by default): a replica restarted in seconds would wait a minute. A 5 s window brings it back as soon
    /// as the reactivation period is over and its active checks pass.
    /// </summary>
    public static IReverseProxyBuilder SkipFailingReplicasBriefly(this IReverseProxyBuilder proxy)
    {
        proxy.Services.Configure<TransportFailureRateHealthPolicyOptions>(o => o.DetectionWindowSize = TimeSpan.FromSeconds(5));
        return proxy;
    }

    public static IReverseProxyBuilder ShowDestinationInDevelopment(this IReverseProxyBuilder proxy, IHostEnvironment environment) =>
        !environment.IsDevelopment() ? proxy : proxy.AddTransforms(t => t.AddResponseTransform(context =>
        {
            if (context.HttpContext.Features.Get<IReverseProxyFeature>()?.ProxiedDestination is { } destination)
                context.HttpContext.Response.Headers[DestinationHeader] = destination.DestinationId;
            return ValueTask.CompletedTask;
        }));
}
