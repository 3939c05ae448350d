using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MelonChain.CarrierSimulator.Simulator.Sf;

/// <summary>
/// SF's billed-fee push (清单运费推送): after pickup, each SF order's due bill versions (<see cref="Billing"/>) are pushed
/// to <c>Simulator:FeePushUrl</c> (Dispatch's <c>/api/v1/dispatch/carriers/sf/fees</c>) as a form with <c>content</c>
/// (the JSON: <c>waybillNo</c> — the master —, <c>orderNo</c>, <c>customerAcctCode</c>, <c>productName</c>,
/// <c>meterageWeightQty</c>, <c>feeList[{feeTypeCode, feeName, feeAmt, feeAmtInd, settlementTypeCode, paymentTypeCode,
/// versionNo, inputTm}]</c>) and <c>sign</c> = Base64(MD5(content + checkWord)) — no URL-encoding, no timestamp. A version
/// not acknowledged with return_code 0000 is pushed again a second later; the route faults apply (dropped or doubled
/// pushes, pushes paused). No push is made when the URL is empty.
/// </summary>
public sealed class SfFees(OrderBook book, FaultSwitch faults, IHttpClientFactory clients, IConfiguration config, ILogger<SfFees> logger)
    : BackgroundService
{
    public const string FreightType = "1";
    public const string FreightName = "运费";

    public static string Sign(string content, string checkWord) =>
        Convert.ToBase64String(MD5.HashData(Encoding.UTF8.GetBytes(content + checkWord)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var url = config["Simulator:FeePushUrl"];
        if (string.IsNullOrEmpty(url)) return;
        var interval = TimeSpan.FromMilliseconds(config.GetValue("Simulator:PushIntervalMs", 200));
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await Tick(url, stoppingToken); }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested) { logger.LogWarning(e, "Fee push round failed"); }
            await Task.Delay(interval, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
        }
    }

    private async Task Tick(string url, CancellationToken ct)
    {
        var f = faults.Current;
        if (f.PushesPaused) return;
        foreach (var order in book.All())
        {
            if (order.Carrier != Carriers.Sf || order.Cancelled || order.NextBillPushAt > book.Now) continue;
            foreach (var bill in book.DueBills(order).Where(b => !order.BillsAcked.Contains(b.Version)))
            {
                if (FaultSwitch.Roll(f.DropPushShare)) { order.NextBillPushAt = book.Now.AddSeconds(1); break; }
                var content = Content(order, bill);
                var acked = await Push(url, content, ct);
                if (FaultSwitch.Roll(f.DuplicatePushShare)) acked |= await Push(url, content, ct);
                if (acked) order.BillsAcked.Add(bill.Version);
                else { order.NextBillPushAt = book.Now.AddSeconds(1); break; }
            }
        }
    }

    private static string Content(SimOrder order, BillVersion bill)
    {
        var b = order.Booking;
        string? card = null;
        try { card = Payload.Parse(b.Request).Str("monthlyCard"); } catch (JsonException) { }
        return JsonSerializer.Serialize(new
        {
            waybillNo = order.Waybills[0], orderNo = order.OrderId, customerAcctCode = card ?? "", productName = b.Product,
            meterageWeightQty = b.TotalGrams / 1000m,
            feeList = new[]
            {
                new
                {
                    feeTypeCode = FreightType, feeName = FreightName, feeAmt = bill.AmountFen / 100m, feeAmtInd = bill.AmountFen / 100m,
                    settlementTypeCode = "2", paymentTypeCode = "1", versionNo = bill.Version,
                    inputTm = ChinaText.Format(order.BookedAt + bill.Offset),
                },
            },
        }, SfEnvelope.Json);
    }

    private async Task<bool> Push(string url, string content, CancellationToken ct)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["content"] = content, ["sign"] = Sign(content, config["Simulator:CheckWord"]!),
        });
        try
        {
            using var response = await clients.CreateClient(RoutePlayer.PushClient).PostAsync(url, form, ct);
            if (!response.IsSuccessStatusCode) return false;
            var ack = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            return ack.ValueKind == JsonValueKind.Object && ack.TryGetProperty("return_code", out var code) && code.GetString() == "0000";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            logger.LogInformation("Fee push to {Url} failed: {Error}", url, e.Message);
            return false;
        }
    }
}
