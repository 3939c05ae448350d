using System.Text.Json;
using MelonChain.Dispatch.Features.Carrier;

namespace MelonChain.CarrierSimulator.Simulator;

/// <summary>
/// Plays every booked order's route on the virtual clock and pushes due records (of the master waybill, the
/// shipment moving as one) to <c>Simulator:RoutePushUrl</c>, signed like SF calls (digest over body + timestamp
/// + check word, in headers). Anything not acknowledged with return_code 0000 is pushed again a second later.
/// Faults can drop a push (nothing sent, so re-pushed later) or send it twice.
/// </summary>
public sealed class RoutePlayer(OrderBook book, FaultSwitch faults, IHttpClientFactory clients, IConfiguration config, ILogger<RoutePlayer> logger)
    : BackgroundService
{
    public const string PushClient = "sf-push";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var url = config["Simulator:RoutePushUrl"];
        if (string.IsNullOrEmpty(url)) return;
        var interval = TimeSpan.FromMilliseconds(config.GetValue("Simulator:PushIntervalMs", 200));
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await Tick(url, stoppingToken); }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested) { logger.LogWarning(e, "Route push round failed"); }
            await Task.Delay(interval, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
        }
    }

    private async Task Tick(string url, CancellationToken ct)
    {
        var f = faults.Current;
        if (f.PushesPaused) return;
        foreach (var order in book.All())
        {
            if (order.Cancelled || order.NextPushAt > book.Now) continue;
            var due = book.Due(order).Where(r => !order.Acked.Contains(r.Seq)).ToList();
            if (due.Count == 0) continue;
            if (FaultSwitch.Roll(f.DropPushShare)) { order.NextPushAt = book.Now.AddSeconds(1); continue; }
            var routes = due.Select(r => new SfPushRoute($"{order.OrderId}-{r.Seq}", order.Waybills[0], order.OrderId,
                SfProtocol.ChinaTimeText(OrderBook.StampOf(order, r)), r.Address, r.Remark, r.OpCode)).ToList();
            var acked = await Push(url, routes, ct);
            if (FaultSwitch.Roll(f.DuplicatePushShare)) acked |= await Push(url, routes, ct);
            if (acked) foreach (var r in due) order.Acked.Add(r.Seq);
            else order.NextPushAt = book.Now.AddSeconds(1);
        }
    }

    private async Task<bool> Push(string url, IReadOnlyList<SfPushRoute> routes, CancellationToken ct)
    {
        using var request = SfProtocol.SignedPush(url, routes, book.Now, config["Simulator:CheckWord"]!);
        try
        {
            using var response = await clients.CreateClient(PushClient).SendAsync(request, ct);
            if (!response.IsSuccessStatusCode) return false;
            var ack = await response.Content.ReadFromJsonAsync<SfPushAck>(SfProtocol.Json, ct);
            return ack?.ReturnCode == "0000";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !ct.IsCancellationRequested)
        {
            logger.LogInformation("Route push to {Url} failed: {Error}", url, e.Message);
            return false;
        }
    }
}
