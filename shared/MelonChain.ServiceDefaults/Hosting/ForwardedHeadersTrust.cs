using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;

namespace MelonChain.ServiceDefaults.Hosting;

/// <summary>
/// Whose <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c> a process believes, so that per-caller rate limits key on the
/// person, not on the proxy in front: ingress → Gateway → service, each hop trusting only the one before it.
/// </summary>
public static class ForwardedHeadersTrust
{
    /// <summary>The services: loopback (the ASP.NET Core default) and the Gateway's addresses, <c>ForwardedHeaders:KnownNetworks</c>.</summary>
    public static ForwardedHeadersOptions BehindGateway(IConfiguration configuration)
    {
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        Add(options, configuration["ForwardedHeaders:KnownNetworks"], "ForwardedHeaders:KnownNetworks");
        return options;
    }

    /// <summary>
    /// The Gateway: only the ingress's addresses, <c>Edge:TrustedProxies</c> (addresses or networks, comma-separated);
    /// the defaults (loopback) are dropped, so a caller on the Gateway's own host cannot name someone else either.
    /// Null when none is configured: the Gateway is then the edge itself and believes no header.
    /// </summary>
    public static ForwardedHeadersOptions? AtTheEdge(IConfiguration configuration)
    {
        var trusted = configuration["Edge:TrustedProxies"];
        if (string.IsNullOrWhiteSpace(trusted)) return null;
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        Add(options, trusted, "Edge:TrustedProxies");
        return options;
    }

    private static void Add(ForwardedHeadersOptions options, string? list, string key)
    {
        foreach (var entry in (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.Contains('/') && System.Net.IPNetwork.TryParse(entry, out var network)) options.KnownIPNetworks.Add(network);
            else if (IPAddress.TryParse(entry, out var address)) options.KnownProxies.Add(address);
            else throw new InvalidOperationException($"{key}: '{entry}' is neither an address nor a network (e.g. 10.0.0.7 or 10.0.0.0/24).");
        }
    }
}
