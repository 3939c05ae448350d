using System.Globalization;
using System.Text;
using System.Text.Json;
using MelonChain.CarrierSimulator.Simulator.Sf;

namespace MelonChain.CarrierSimulator.Simulator;

/// <summary>
/// Plays every SF order's route on the virtual clock and pushes due records (of the master waybill, the shipment
/// moving as one) to <c>Simulator:RoutePushUrl</c> as <c>{"Body":{"WaybillRoute":[…]}}</c>, signed like SF calls
/// (digest over body + timestamp + check word, in the <c>X-Sf-Timestamp</c> and <c>X-Sf-Digest</c> headers). Anything not
/// acknowledged with return_code 0000 is pushed again a second later. Faults can drop a push (nothing sent, so
/// re-pushed later) or send it twice. JD has no pushes: its clients pull traces.
/// </summary>
public sealed class RoutePlayer(OrderBook book, FaultSwitch faults, IHttpClientFactory clients, IConfiguration config, ILogger<RoutePlayer> logger)
    : BackgroundService
{
    public const string PushClient = "sf-push";

    /// <summary>The push body's names exactly as written (<c>Body</c>, <c>WaybillRoute</c>, <c>mailno</c>, <c>opCode</c>).</summary>
    private static readonly JsonSerializerOptions PushJson = new(SfEnvelope.Json) { PropertyNamingPolicy = null };

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
            if (order.Carrier != Carriers.Sf || order.Cancelled || order.NextPushAt > book.Now) continue;
            var due = book.Due(order).Where(r => !order.Acked.Contains(r.Seq)).ToList();
            if (due.Count == 0) continue;
            if (FaultSwitch.Roll(f.DropPushShare)) { order.NextPushAt = book.Now.AddSeconds(1); continue; }
            var master = order.Waybills[0];
            var body = JsonSerializer.Serialize(new
            {
                Body = new
                {
                    WaybillRoute = due.Select(r => new
                    {
                        id = $"{order.OrderId}-{r.Seq}", mailno = master, orderid = order.OrderId,
                        acceptTime = ChinaText.Format(OrderBook.StampOf(order, r)), acceptAddress = r.Address, remark = r.Remark, opCode = r.Code,
                    }),
                },
            }, PushJson);
            var acked = await Push(url, body, ct);
            if (FaultSwitch.Roll(f.DuplicatePushShare)) acked |= await Push(url, body, ct);
            if (acked) foreach (var r in due) order.Acked.Add(r.Seq);
            else order.NextPushAt = book.Now.AddSeconds(1);
        }
    }

    private async Task<bool> Push(string url, string body, CancellationToken ct)
    {
        var timestamp = book.Now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(SfEnvelope.PushTimestampHeader, timestamp);
        request.Headers.Add(SfEnvelope.PushDigestHeader, SfEnvelope.Digest(body, timestamp, config["Simulator:CheckWord"]!));
        try
        {
            using var response = await clients.CreateClient(PushClient).SendAsync(request, ct);
            if (!response.IsSuccessStatusCode) return false;
            var ack = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            return ack.ValueKind == JsonValueKind.Object && ack.TryGetProperty("return_code", out var code) && code.GetString() == "0000";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            logger.LogInformation("Route push to {Url} failed: {Error}", url, e.Message);
            return false;
        }
    }
}
