using System.Collections.Concurrent;
using System.Net;
using MelonChain.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MelonChain.Platform.Tests;

/// <summary>
/// P7, the Gateway hop: the Gateway, run as the built process, forwards to a service over a pool of kept-alive
/// connections of a bounded size (<c>Gateway:ServiceConnections:MaxPerService</c>), renewed after their lifetime
/// (<c>Gateway:ServiceConnections:Lifetime</c>) so a service's new replicas behind one address get their share. The
/// service here is an in-test Kestrel that notes the connection each forwarded request came in on.
/// </summary>
public sealed class GatewayHopTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _connections = new();
    private WebApplication _service = null!;
    private ServiceProcess _gateway = null!;
    private readonly HttpClient _caller = new();

    private async Task StartAsync(int maxPerService, TimeSpan lifetime)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _service = builder.Build();
        _service.MapGet("/api/v1/dispatch/ping", async (HttpContext http) =>
        {
            _connections.Enqueue(http.Connection.Id);
            // Long enough that callers sent at once are in flight together.
            await Task.Delay(20);
            return Results.Json(new { pong = true });
        });
        await _service.StartAsync();

        _gateway = new ServiceProcess("Gateway", new Dictionary<string, string>
        {
            ["ReverseProxy:Clusters:dispatch:Destinations:local:Address"] = _service.Urls.First() + "/",
            // Only forwarded requests use the pool: no health probes sharing it.
            ["ReverseProxy:Clusters:dispatch:HealthCheck:Active:Enabled"] = "false",
            ["Gateway:ServiceConnections:MaxPerService"] = maxPerService.ToString(),
            ["Gateway:ServiceConnections:Lifetime"] = lifetime.ToString("c"),
        });
        await _gateway.StartAsync();
        _caller.BaseAddress = _gateway.BaseAddress;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Callers_at_once_share_the_bounded_pool_of_connections_to_the_service()
    {
        await StartAsync(maxPerService: 4, lifetime: TimeSpan.FromMinutes(2));

        // 16 callers at once, 5 requests each: every answer arrives, over no more than the pool's 4 connections.
        var statuses = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var caller = new HttpClient { BaseAddress = _gateway.BaseAddress };
            var codes = new List<HttpStatusCode>();
            for (var i = 0; i < 5; i++) codes.Add((await caller.GetAsync("/api/v1/dispatch/ping")).StatusCode);
            return codes;
        }));

        Assert.All(statuses.SelectMany(s => s), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(80, _connections.Count);
        Assert.InRange(_connections.Distinct().Count(), 1, 4);
    }

    [Fact]
    public async Task A_connection_to_the_service_is_kept_alive_and_renewed_after_its_lifetime()
    {
        await StartAsync(maxPerService: 128, lifetime: TimeSpan.FromSeconds(1));

        // One after another: kept alive, not a connection per request.
        for (var i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.OK, (await _caller.GetAsync("/api/v1/dispatch/ping")).StatusCode);
        Assert.InRange(_connections.Distinct().Count(), 1, 2);
        var first = _connections.First();

        // Past its lifetime the next request goes over a new connection.
        await Eventually.Until(async () =>
        {
            await _caller.GetAsync("/api/v1/dispatch/ping");
            return _connections.Last();
        }, last => last != first, TimeSpan.FromSeconds(10), "a request over a connection opened after the first one's lifetime");
    }

    public async Task DisposeAsync()
    {
        _caller.Dispose();
        if (_gateway is not null) await _gateway.DisposeAsync();
        if (_service is not null) await _service.DisposeAsync();
    }
}
