extern alias dispatch;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MelonChain.Testing;
using FeeBook = dispatch::MelonChain.Dispatch.Features.Fees.FeeBook;
using Yuan = dispatch::MelonChain.Dispatch.Features.Carrier.Yuan;

namespace MelonChain.Dispatch.Tests;

public sealed class CarrierFeeFixture : DispatchFixture
{
    // A slow clock: nothing is picked up (so nothing billed) until a test moves the simulator's clock.
    protected override double SecondsPerDay => 3600;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Dispatch:Fees:IntervalSeconds"] = "0.5",
        // SF's fee push is asked for 3 s after collection when it has not come.
        ["Dispatch:Fees:PushWaitMinutes"] = "0.05",
        ["Dispatch:Fees:RetryMinutes"] = "0.01",
    };
}

/// <summary>
/// Billed freight: SF's fee push (form content + sign), kept one fee per (waybill, fee type) with the highest version
/// winning and carrier-fee-billed published once per real change of a carrier order's bill; JD's actual fee asked for;
/// SF asked (EXP_RECE_QUERY_SFWAYBILL) when its push has not come; the simulator's own pushes, a second version included.
/// </summary>
public class CarrierFeeTests(CarrierFeeFixture f) : IClassFixture<CarrierFeeFixture>
{
    /// <summary>SF's fee push sign, computed here as SF describes it: Base64(MD5(content + checkWord)), no URL-encoding.</summary>
    private static string Sign(string content, string checkWord = DispatchFixture.CheckWord) =>
        Convert.ToBase64String(MD5.HashData(Encoding.UTF8.GetBytes(content + checkWord)));

    private static string Content(string waybillNo, int versionNo, string feeAmt, string feeTypeCode = "1") => $$"""
        {"waybillNo":"{{waybillNo}}","orderNo":"MC-TEST","customerAcctCode":"7551234567","productName":"顺丰特快","meterageWeightQty":5.0,
         "feeList":[{"feeTypeCode":"{{feeTypeCode}}","feeName":"运费","feeAmt":{{feeAmt}},"feeAmtInd":{{feeAmt}},"settlementTypeCode":"2",
                     "paymentTypeCode":"1","versionNo":{{versionNo}},"inputTm":"2026-12-07 10:00:00"}]}
        """;

    private async Task<HttpResponseMessage> PushAsync(string content, string? sign = null) =>
        await f.Dispatch.CreateClient().PostAsync("/api/v1/dispatch/carriers/sf/fees",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["content"] = content, ["sign"] = sign ?? Sign(content) }));

    private async Task<List<JsonElement>> BilledAsync(Guid shipmentId) =>
        (await f.Events.PeekAsync("CarrierFeeBilled")).Where(e => e.GetProperty("shipmentId").GetGuid() == shipmentId)
            .OrderBy(e => e.GetProperty("version").GetInt32()).ToList();

    /// <summary>Waits for the outbox to be relayed, so no event written so far is still on its way.</summary>
    private Task OutboxRelayedAsync() =>
        Eventually.Until(() => f.ScalarAsync<long>("select count(*) from outbox"), n => n == 0, TimeSpan.FromSeconds(30), "the outbox relayed");

    private async Task AdvanceClockAsync(double hours) =>
        (await f.Simulator.Admin.PostAsJsonAsync("/admin/clock", new { advanceHours = hours })).EnsureSuccessStatusCode();

    private static JsonElement Part(JsonElement shipment, int part = 1) =>
        shipment.GetProperty("carrierOrders").EnumerateArray().Single(o => o.GetProperty("part").GetInt32() == part);

    [Fact]
    public async Task A_fee_push_replayed_a_lower_version_and_a_higher_version_keep_one_fee_per_waybill_and_type_the_highest_and_publish_once_per_change()
    {
        var (shipmentId, master, _) = await f.BookAsync(1);

        var first = await PushAsync(Content(master, 2, "70.00"));
        var replayed = await PushAsync(Content(master, 2, "70.00"));
        var lower = await PushAsync(Content(master, 1, "66.75"));
        var higher = await PushAsync(Content(master, 3, "80.05"));
        await Eventually.Until(() => BilledAsync(shipmentId), e => e.Count >= 2, TimeSpan.FromSeconds(30), "two bills published");
        await OutboxRelayedAsync();

        Assert.All([first, replayed, lower, higher], r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal("0000", (await higher.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("return_code").GetString());
        var fees = await f.QueryAsync<(string FeeTypeCode, long AmountFen, int VersionNo)>(
            "select fee_type_code, amount_fen, version_no from carrier_fees where waybill_no = @master", new { master });
        Assert.Equal([("1", 8005L, 3)], fees);
        var billed = await BilledAsync(shipmentId);
        // One 5 kg box of express to Beijing: 22 + 4 × 12 = 70 yuan list, 52.50 quoted at 75%.
        Assert.Equal([(1, 7000L, 5250L), (2, 8005L, 5250L)], billed.Select(e =>
            (e.GetProperty("version").GetInt32(), e.GetProperty("billedFen").GetInt64(), e.GetProperty("quotedFen").GetInt64())));
        Assert.All(billed, e => Assert.Equal((master, "sf"), (e.GetProperty("masterWaybillNo").GetString(), e.GetProperty("carrier").GetString())));
        var part = Part(await f.ShipmentAsync(shipmentId));
        Assert.Equal((5250L, 8005L, 2), (part.GetProperty("quotedFen").GetInt64(), part.GetProperty("billedFen").GetInt64(), part.GetProperty("billVersion").GetInt32()));
    }

    [Fact]
    public async Task A_fee_push_with_a_bad_sign_is_refused_and_writes_nothing_and_an_amount_past_the_fen_is_refused_whole()
    {
        var (shipmentId, master, _) = await f.BookAsync(1);

        var forged = await PushAsync(Content(master, 1, "1.00"), Sign(Content(master, 1, "1.00"), "not-the-check-word"));
        var unsigned = await PushAsync(Content(master, 1, "1.00"), "");
        var pastTheFen = await PushAsync($"[{Content(master, 1, "66.755")}]");
        await OutboxRelayedAsync();

        Assert.Equal((HttpStatusCode.Unauthorized, "bad-carrier-sign"), (forged.StatusCode, (await forged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, pastTheFen.StatusCode);
        Assert.Equal(0L, await f.ScalarAsync<long>("select count(*) from carrier_fees where waybill_no = @master", new { master }));
        Assert.Null(await f.ScalarAsync<long?>("select billed_fen from carrier_orders where shipment_id = @shipmentId", new { shipmentId }));
        Assert.Empty(await BilledAsync(shipmentId));
    }

    [Fact]
    public async Task A_fee_push_whose_content_is_an_array_of_one_object_is_that_object()
    {
        var (shipmentId, master, _) = await f.BookAsync(1);

        var pushed = await PushAsync($"[{Content(master, 1, "52.50")}]");

        Assert.Equal(HttpStatusCode.OK, pushed.StatusCode);
        var billed = await Eventually.Until(() => BilledAsync(shipmentId), e => e.Count >= 1, TimeSpan.FromSeconds(30), "the bill published");
        Assert.Equal((1, 5250L, 5250L), (billed[0].GetProperty("version").GetInt32(), billed[0].GetProperty("billedFen").GetInt64(),
            billed[0].GetProperty("quotedFen").GetInt64()));
    }

    [Fact]
    public async Task The_simulators_own_fee_push_after_pickup_and_a_second_different_version_each_publish_a_bill()
    {
        var (shipmentId, master, _) = await f.BookAsync(2);

        await AdvanceClockAsync(2);
        var first = await Eventually.Until(() => BilledAsync(shipmentId), e => e.Count >= 1, TimeSpan.FromSeconds(30), "the pushed bill");
        (await f.Simulator.Admin.PostAsJsonAsync($"/admin/waybills/{master}/bill", new { amountFen = 11_234 })).EnsureSuccessStatusCode();
        var both = await Eventually.Until(() => BilledAsync(shipmentId), e => e.Count >= 2, TimeSpan.FromSeconds(30), "the second version");

        // Two 5 kg boxes: 140 yuan list, billed at SF's 7.5折 = the quote.
        Assert.Equal((1, 10_500L, 10_500L), (first[0].GetProperty("version").GetInt32(), first[0].GetProperty("billedFen").GetInt64(),
            first[0].GetProperty("quotedFen").GetInt64()));
        Assert.Equal((2, 11_234L), (both[1].GetProperty("version").GetInt32(), both[1].GetProperty("billedFen").GetInt64()));
        Assert.Equal([("1", 11_234L, 2, "push")], await f.QueryAsync<(string, long, int, string)>(
            "select fee_type_code, amount_fen, version_no, source from carrier_fees where waybill_no = @master", new { master }));
    }

    [Fact]
    public async Task A_missing_SF_fee_push_is_asked_for_with_EXP_RECE_QUERY_SFWAYBILL()
    {
        await f.Simulator.SetFaultsAsync(new { pushesPaused = true });
        try
        {
            var (shipmentId, master, _) = await f.BookAsync(1);

            await AdvanceClockAsync(2);
            var billed = await Eventually.Until(() => BilledAsync(shipmentId), e => e.Count >= 1, TimeSpan.FromSeconds(30), "the queried bill");

            Assert.Equal((1, 5250L), (billed[0].GetProperty("version").GetInt32(), billed[0].GetProperty("billedFen").GetInt64()));
            Assert.Equal([("1", 5250L, 1, "query")], await f.QueryAsync<(string, long, int, string)>(
                "select fee_type_code, amount_fen, version_no, source from carrier_fees where waybill_no = @master", new { master }));
        }
        finally { await f.Simulator.SetFaultsAsync(new { }); }
    }

    [Fact]
    public async Task JDs_actual_fee_is_polled_for_a_collected_order_without_a_bill()
    {
        var (pickupId, _, codes) = await f.OpenPickupAsync(3, carrier: "jd");
        await f.CourierA.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null);
        var (collected, _) = await f.CollectWithRetriesAsync(f.CourierA, pickupId, codes);
        var shipmentId = (await collected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        await AdvanceClockAsync(2);
        var billed = await Eventually.Until(() => BilledAsync(shipmentId), e => e.Count >= 1, TimeSpan.FromSeconds(30), "JD's actual fee");

        var part = Part(await f.ShipmentAsync(shipmentId));
        Assert.Equal(("jd", 1), (billed[0].GetProperty("carrier").GetString(), billed[0].GetProperty("version").GetInt32()));
        // Billed at JD's 8折, the cooperative's JD rate: the quote, to the fen.
        Assert.Equal(part.GetProperty("quotedFen").GetInt64(), billed[0].GetProperty("billedFen").GetInt64());
        Assert.Equal((billed[0].GetProperty("billedFen").GetInt64(), 1), (part.GetProperty("billedFen").GetInt64(), part.GetProperty("billVersion").GetInt32()));
    }

    [Theory]
    [InlineData(315_000, new[] { 300, 1 }, new[] { 313_953L, 1_047L })]
    [InlineData(100, new[] { 1, 1, 1 }, new[] { 34L, 33L, 33L })]
    [InlineData(5_250, new[] { 1 }, new[] { 5_250L })]
    public void A_carrier_orders_quote_is_its_parcels_share_of_the_shipments_to_the_fen(long negotiatedFen, int[] parcels, long[] expected)
    {
        var shares = Enumerable.Range(1, parcels.Length).Select(part => FeeBook.QuotedFen(negotiatedFen, parcels, part)).ToArray();

        Assert.Equal(expected, shares);
        Assert.Equal(negotiatedFen, shares.Sum());
    }

    [Theory]
    [InlineData("66.75", 6675L)]
    [InlineData("0.1", 10L)]
    [InlineData("1200", 120_000L)]
    [InlineData("66.755", null)]
    [InlineData("-1.00", null)]
    public void Yuan_with_two_decimals_become_fen_exactly_and_anything_finer_is_refused(string yuan, long? fen) =>
        Assert.Equal(fen, Yuan.ToFen(decimal.Parse(yuan, CultureInfo.InvariantCulture)));
}
