extern alias dispatch;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Testing;
using dispatch::MelonChain.Dispatch.Features.Carrier;
using dispatch::MelonChain.Dispatch.Features.Carrier.Sf;

namespace MelonChain.Reliability.Tests;

/// <summary>
/// The whole system as processes on the shared test servers (a database per service, a virtual host of its own),
/// with every published event tapped. The carrier's clock runs fast: a 2-day delivery takes about 10 seconds.
/// </summary>
public sealed class SharedServersSystem : IAsyncLifetime
{
    public const string CheckWord = "melonchain-dev-check-word-0000000";

    public TestVirtualHost VirtualHost { get; private set; } = null!;
    public EventTap Tap { get; private set; } = null!;
    public MelonSystem System { get; private set; } = null!;
    public Scenario Scenario { get; private set; } = null!;
    public HttpClient Carrier { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        VirtualHost = await TestVirtualHost.CreateAsync("reliability");
        Tap = await EventTap.StartAsync(VirtualHost.Name);
        System = await MelonSystem.StartAsync(TestServers.Postgres, VirtualHost.ConnectionString, new Dictionary<string, IDictionary<string, string>>
        {
            ["CarrierSimulator"] = new Dictionary<string, string> { ["Simulator:SecondsPerDay"] = "5", ["Simulator:PushIntervalMs"] = "100" },
        });
        Scenario = await Scenario.StartAsync(System);
        Carrier = new HttpClient { BaseAddress = System["CarrierSimulator"].BaseAddress };
    }

    public async Task SetCarrierFaultsAsync(object faults) =>
        (await Carrier.PostAsJsonAsync("/admin/faults", faults)).EnsureSuccessStatusCode();

    public async Task<JsonElement?> CarrierOrderAsync(string orderId)
    {
        using var response = await Carrier.GetAsync($"/admin/orders/{orderId}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<int> CarrierWaybillsIssuedAsync() =>
        (await Carrier.GetFromJsonAsync<JsonElement>("/admin/orders")).EnumerateArray().Sum(o => o.GetProperty("parcels").GetInt32());

    /// <summary>A route push signed with the carrier's check word, sent through the Gateway as the carrier would.</summary>
    public async Task<HttpResponseMessage> PushAsync(string waybillNo, string orderId, params (string OpCode, DateTimeOffset At)[] routes)
    {
        using var request = SfProtocol.SignedPush("/api/v1/dispatch/carriers/sf/routes", routes.Select(r => new SfPushRoute(
            $"{orderId}-{r.OpCode}", waybillNo, orderId, SfProtocol.ChinaTimeText(r.At), "北京市", "replayed", r.OpCode)),
            DateTimeOffset.UtcNow, CheckWord);
        return await new HttpClient { BaseAddress = System.Gateway }.SendAsync(request);
    }

    /// <summary>Waits until no event is waiting anywhere: outboxes empty and every consumer's queue drained.</summary>
    public async Task QuietAsync()
    {
        var quietRounds = 0;
        await Eventually.Until(async () =>
        {
            long waiting = 0;
            foreach (var service in System.Databases.Keys)
                waiting += await System.ScalarAsync<long>(service, "select count(*) from outbox");
            waiting += (await Tap.QueuesAsync()).Busy;
            quietRounds = waiting == 0 ? quietRounds + 1 : 0;
            if (quietRounds is > 0 and < 5) await Task.Delay(300);
            return quietRounds;
        }, n => n >= 5, TimeSpan.FromSeconds(60), "the system to settle");
    }

    public async Task DisposeAsync()
    {
        Carrier?.Dispose();
        if (System is not null) await System.DisposeAsync();
        if (VirtualHost is not null) await VirtualHost.DisposeAsync();
    }
}
