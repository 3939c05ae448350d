using System.Net;
using System.Text.Json;
using MelonChain.ServiceDefaults.Security;
using MelonChain.Testing;
using Microsoft.Extensions.Configuration;

namespace MelonChain.Platform.Tests;

/// <summary>
/// docker-compose.yml as docker-compose itself resolves it (<c>docker-compose config</c>, no Docker engine needed):
/// the containers must not break the rules the processes keep.
/// </summary>
public class ComposeFileTests
{
    private static async Task<JsonElement> ResolvedAsync()
    {
        // docker-compose validates and resolves the file (anchors, merges); its YAML is read as JSON by the PyYAML it ships with.
        var json = await Cli.Run("bash", ["-o", "pipefail", "-c",
            "docker-compose -f docker-compose.yml config 2>/dev/null | python3 -c 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'"],
            workingDirectory: Repository.Root);
        return JsonDocument.Parse(json).RootElement;
    }

    private static IEnumerable<(string Name, JsonElement Service)> DotnetServices(JsonElement compose) =>
        compose.GetProperty("services").EnumerateObject().Where(s => s.Value.TryGetProperty("build", out _)).Select(s => (s.Name, s.Value));

    private static Dictionary<string, string> Environment(JsonElement service) =>
        service.TryGetProperty("environment", out var env)
            ? env.EnumerateObject().ToDictionary(e => e.Name, e => e.Value.ToString())
            : [];

    [Fact]
    public async Task Docker_compose_accepts_the_file_and_refuses_a_broken_copy()
    {
        await ResolvedAsync();

        // The check is real: the same file with one service's ports given as a number is refused.
        var broken = Path.Combine(Path.GetTempPath(), $"melon-compose-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(broken, (await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docker-compose.yml")))
            .Replace("ports: [\"127.0.0.1:8084:8080\"]", "ports: 8084"));
        try
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                Cli.Run("docker-compose", ["-f", broken, "config", "-q"], workingDirectory: Repository.Root));
            Assert.Contains("ports", refused.Message);
        }
        finally { File.Delete(broken); }
    }

    [Fact]
    public async Task No_container_runs_outside_Development_with_a_development_credential_or_dev_tokens()
    {
        var compose = await ResolvedAsync();

        var offending = DotnetServices(compose).Select(s =>
        {
            var env = Environment(s.Service);
            var config = new ConfigurationBuilder().AddInMemoryCollection(env.ToDictionary(e => e.Key.Replace("__", ":"), e => (string?)e.Value)).Build();
            var environment = env.GetValueOrDefault("ASPNETCORE_ENVIRONMENT", "Production");
            return (s.Name, environment, Found: DevelopmentCredentials.FoundIn(config));
        }).Where(s => s.environment != "Development" && s.Found.Count > 0).Select(s => $"{s.Name} ({s.environment}): {string.Join("; ", s.Found)}").ToList();

        Assert.True(offending.Count == 0, "these containers would refuse to start, or run open:\n" + string.Join("\n", offending));
    }

    [Fact]
    public async Task Every_service_behind_the_gateway_trusts_forwarded_headers_from_the_gateway_alone()
    {
        var compose = await ResolvedAsync();
        var gateway = compose.GetProperty("services").GetProperty("gateway");
        var address = IPAddress.Parse(gateway.GetProperty("networks").GetProperty("default").GetProperty("ipv4_address").GetString()!);
        var subnet = System.Net.IPNetwork.Parse(compose.GetProperty("networks").GetProperty("default").GetProperty("ipam").GetProperty("config")[0].GetProperty("subnet").GetString()!);
        Assert.True(subnet.Contains(address), $"the gateway's fixed address {address} is outside the network {subnet}");

        // The services the gateway routes to (its ReverseProxy destinations) are the ones that rate-limit per caller.
        var routed = Environment(gateway).Where(e => e.Key.StartsWith("ReverseProxy__Clusters__") && e.Key.EndsWith("__Address"))
            .Select(e => new Uri(e.Value).Host).ToHashSet();
        Assert.NotEmpty(routed);
        foreach (var name in routed)
        {
            var known = Environment(compose.GetProperty("services").GetProperty(name)).GetValueOrDefault("ForwardedHeaders__KnownNetworks");
            Assert.True(known is not null, $"{name} trusts no proxy: every caller would share the gateway's one rate-limit bucket");
            var networks = known.Split(',', StringSplitOptions.TrimEntries).Select(System.Net.IPNetwork.Parse).ToList();
            Assert.Contains(networks, n => n.Contains(address));
            Assert.All(networks, n => Assert.Equal(32, n.PrefixLength)); // the gateway only, not the whole network
        }
    }
}
