using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Messages.Dispatch;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Tests.ShipmentOutcomeTests;

namespace MelonChain.Cooperative.Tests;

/// <summary>
/// Billed freight, not the estimate (issue 31, R13): the carrier's bill per carrier order (<c>carrier-fee-billed</c>, the
/// highest version winning) is the freight a pool is charged when it is known at settlement; a bill that comes later, or
/// a later version that differs from what was settled, is an adjustment in the next settlement split like a claim; the
/// monthly reconciliation (对账) lists every waybill with its quote, bill and the settlements that carried them.
/// </summary>
public class BilledFreightTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static DateOnly Today => CooperativeFixture.Today;
    private static string Month => $"{Today:yyyy-MM}";

    [Fact]
    public async Task A_bill_replayed_a_lower_version_and_a_higher_version_keep_one_fee_per_carrier_order_the_highest()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        await c.Harvest(grower, Today.AddDays(-1), ("grade1", 10m));
        var order = await c.Order(await c.Buyer(), ("grade1", 10m, 700));
        await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });
        var codes = await TraceCodes(c, order);
        var shipment = Guid.NewGuid();
        var waybill = NewWaybill("SF");
        await f.PublishAsync(BookedAs(c, shipment, order, codes, 1_000, "sf", new BookedCarrierOrder("CO-" + waybill, waybill, codes.Count)));

        var v1 = Fee(c, shipment, order, "sf", "CO-" + waybill, waybill, quotedFen: 1_000, billedFen: 1_200, version: 1);
        var v3 = v1 with { EventId = Guid.NewGuid(), BilledFen = 1_450, Version = 3 };
        var v2 = v1 with { EventId = Guid.NewGuid(), BilledFen = 1_300, Version = 2 };
        // The same event twice (a broker redelivery), the same version again as a new event (a re-push), then a higher one.
        await f.PublishAsync(v1, v1, v1 with { EventId = Guid.NewGuid() }, v3);
        await Eventually.Until(() => Reconciliation(c), r => r.GetProperty("waybills").EnumerateArray().Any(w => w.GetProperty("waybillNo").GetString() == waybill
            && w.GetProperty("billedFen") is { ValueKind: JsonValueKind.Number } b && b.GetInt64() == 1_450), what: "the third version kept");
        // A lower version arriving after the higher one changes nothing.
        await f.PublishAsync(v2);
        await Eventually.Until(() => f.CountAsync("select count(*) from inbox where message_id = @Id", new { Id = v2.EventId }), n => n == 1, what: "v2 consumed");

        var row = Row(await Reconciliation(c), waybill);
        Assert.Equal(1_450, row.GetProperty("billedFen").GetInt64());
        Assert.Equal(3, row.GetProperty("version").GetInt32());
        Assert.Equal(1_000, row.GetProperty("quotedFen").GetInt64());
        Assert.Equal(450, row.GetProperty("differenceFen").GetInt64());
        Assert.Equal(1, await f.CountAsync("select count(*) from carrier_fees where order_id = @order", new { order }));

        // A bill naming our order under another cooperative is not kept.
        var stranger = await f.NewCooperativeAsync();
        var theirs = Fee(stranger, shipment, order, "sf", "CO-X" + waybill, "X" + waybill, 10, 20, 1);
        await f.PublishAsync(theirs);
        await Eventually.Until(() => f.CountAsync("select count(*) from inbox where message_id = @Id", new { Id = theirs.EventId }), n => n == 1, what: "consumed");
        Assert.Equal(0, await f.CountAsync("select count(*) from carrier_fees where cooperative_id = @Coop", new { Coop = stranger.CooperativeId }));
    }

    [Fact]
    public async Task A_bill_known_at_settlement_is_the_pools_freight_instead_of_its_quote_and_an_equal_late_bill_adjusts_nothing()
    {
        var c = await f.NewCooperativeAsync(commissionBps: 500, boxFeeFen: 300);
        var (grower, _) = await c.Grower();
        await c.Harvest(grower, Today.AddDays(-2), ("grade1", 10m));
        var order = await c.Order(await c.Buyer(), ("grade1", 10m, 700));
        await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });
        var codes = await TraceCodes(c, order);
        var shipment = Guid.NewGuid();
        var (w1, w2) = (NewWaybill("SF"), NewWaybill("SF"));
        var endedAt = new DateTimeOffset(Today.AddDays(-1).ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8));
        // Two carrier orders quoted 600 and 400 (1,000 for the shipment); SF bills the first 780 before the settlement.
        await f.PublishAsync(BookedAs(c, shipment, order, codes, 1_000, "sf", new BookedCarrierOrder("CO-" + w1, w1, 1), new BookedCarrierOrder("CO-" + w2, w2, 1)),
            Part(c, shipment, order, "CO-" + w1, PartOutcomes.Delivered, endedAt, codes[0..1]), Part(c, shipment, order, "CO-" + w2, PartOutcomes.Delivered, endedAt, codes[1..2]),
            Fee(c, shipment, order, "sf", "CO-" + w1, w1, 600, 780, 1));
        await Delivered(c, order);
        await Eventually.Until(() => f.CountAsync("select count(*) from carrier_fees where order_id = @order", new { order }), n => n == 1, what: "the bill kept");

        var s = await Settle(c, $"{Today.AddDays(-3):yyyy-MM-dd}", $"{Today.AddDays(-1):yyyy-MM-dd}");
        SettlementInvariant.Holds(s);
        var t = s.GetProperty("totals");
        // The first carrier order's bill (780) and the second's quote (400): 1,180, not the 1,000 quoted.
        Assert.Equal(1_180, t.GetProperty("freightFen").GetInt64());
        Assert.Equal(1_180, s.GetProperty("pools").EnumerateArray().Single().GetProperty("freightFen").GetInt64());
        Assert.Equal(7_000 - 1_180 - 600 - 350, t.GetProperty("payoutFen").GetInt64());

        // The second carrier order's bill comes after the settlement and equals what was settled for it: nothing to adjust.
        var equal = Fee(c, shipment, order, "sf", "CO-" + w2, w2, 400, 400, 1);
        await f.PublishAsync(equal);
        await Eventually.Until(() => f.CountAsync("select count(*) from carrier_fees where order_id = @order", new { order }), n => n == 2, what: "the second bill kept");
        var next = await Settle(c, $"{Today:yyyy-MM-dd}", $"{Today:yyyy-MM-dd}");
        SettlementInvariant.Holds(next);
        Assert.Equal(0, next.GetProperty("totals").GetProperty("freightFen").GetInt64());
        Assert.Empty(next.GetProperty("statements").EnumerateArray());
        var rec = await Reconciliation(c);
        Assert.Equal(s.GetProperty("id").GetGuid(), Row(rec, w1).GetProperty("settlementId").GetGuid());
        Assert.Equal(780, Row(rec, w1).GetProperty("settledFen").GetInt64());
        Assert.Equal(400, Row(rec, w2).GetProperty("settledFen").GetInt64());
        Assert.Empty(Row(rec, w2).GetProperty("adjustmentSettlementIds").EnumerateArray());
    }

    [Fact]
    public async Task A_bill_after_settlement_and_a_later_version_become_freight_adjustments_in_the_next_settlements_split_to_the_fen()
    {
        var c = await f.NewCooperativeAsync(commissionBps: 500, boxFeeFen: 300);
        var (a, _) = await c.Grower();
        var (b, _) = await c.Grower();
        await c.Harvest(a, Today.AddDays(-2), ("grade1", 7m));
        await c.Harvest(b, Today.AddDays(-1), ("grade1", 3m));
        var order = await c.Order(await c.Buyer(), ("grade1", 10m, 700));
        await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });
        var codes = await TraceCodes(c, order);
        var shipment = Guid.NewGuid();
        var waybill = NewWaybill("SF");
        var endedAt = new DateTimeOffset(Today.AddDays(-3).ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8));
        await f.PublishAsync(BookedAs(c, shipment, order, codes, 1_000, "sf", new BookedCarrierOrder("CO-" + waybill, waybill, 2)),
            Part(c, shipment, order, "CO-" + waybill, PartOutcomes.Delivered, endedAt, codes));
        await Delivered(c, order);

        // Settled at the quote: 7,000 − 1,000 − 600 − 350 = 5,050, split 7:3 → 3,535 and 1,515.
        var first = await Settle(c, $"{Today.AddDays(-4):yyyy-MM-dd}", $"{Today.AddDays(-3):yyyy-MM-dd}");
        SettlementInvariant.Holds(first);
        Assert.Equal(1_000, first.GetProperty("totals").GetProperty("freightFen").GetInt64());
        Assert.Equal([3_535L, 1_515L], Payouts(first, a, b));

        // SF bills 1,333 after the settlement: 333 more, taken from the same growers by the same shares, 7:3 → −233.1 and
        // −99.9, the fen left to the larger remainder → −233 and −100.
        var v1 = Fee(c, shipment, order, "sf", "CO-" + waybill, waybill, 1_000, 1_333, 1);
        await f.PublishAsync(v1);
        await Eventually.Until(() => f.CountAsync("select count(*) from carrier_fees where order_id = @order", new { order }), n => n == 1, what: "the bill kept");
        var second = await Settle(c, $"{Today.AddDays(-2):yyyy-MM-dd}", $"{Today.AddDays(-2):yyyy-MM-dd}");
        SettlementInvariant.Holds(second);
        Assert.Equal(333, second.GetProperty("totals").GetProperty("freightFen").GetInt64());
        Assert.Equal(0, second.GetProperty("totals").GetProperty("revenueFen").GetInt64());
        Assert.Equal([-233L, -100L], Payouts(second, a, b));
        var secondId = second.GetProperty("id").GetGuid();
        var statement = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/settlements/{secondId}/statements/{a}");
        var line = statement.GetProperty("adjustments").EnumerateArray().Single();
        Assert.Equal("freight", line.GetProperty("kind").GetString());
        Assert.Equal(order, line.GetProperty("orderId").GetGuid());
        Assert.Equal(waybill, line.GetProperty("waybillNo").GetString());
        Assert.Equal(-233, line.GetProperty("amountFen").GetInt64());
        var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/cooperative/settlements/{secondId}/statements/{a}");
        csvRequest.Headers.Accept.ParseAdd("text/csv");
        var csv = await (await c.Http.SendAsync(csvRequest)).Content.ReadAsStringAsync();
        Assert.Contains(csv.Split("\r\n"), l => l.Contains("adjustment: freight") && l.Contains(waybill) && l.EndsWith(",-233,"));
        var pdf = await c.Http.GetAsync($"/api/v1/cooperative/settlements/{secondId}/statements/{a}.pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal(3_535 - 233, (await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/growers/{a}/account")).GetProperty("balanceFen").GetInt64());

        // A second version bills 1,250: 83 less than what was settled, given back 7:3 → 58.1 and 24.9 → 58 and 25. A replay
        // of it and a stale first version change nothing more.
        var v2 = v1 with { EventId = Guid.NewGuid(), BilledFen = 1_250, Version = 2 };
        await f.PublishAsync(v2, v2 with { EventId = Guid.NewGuid() }, v1 with { EventId = Guid.NewGuid() });
        await Eventually.Until(() => Reconciliation(c), r => Row(r, waybill).GetProperty("version").GetInt32() == 2, what: "the second version kept");
        var third = await Settle(c, $"{Today.AddDays(-1):yyyy-MM-dd}", $"{Today.AddDays(-1):yyyy-MM-dd}");
        SettlementInvariant.Holds(third);
        Assert.Equal(-83, third.GetProperty("totals").GetProperty("freightFen").GetInt64());
        Assert.Equal([58L, 25L], Payouts(third, a, b));
        var fourth = await Settle(c, $"{Today:yyyy-MM-dd}", $"{Today:yyyy-MM-dd}");
        SettlementInvariant.Holds(fourth);
        Assert.Empty(fourth.GetProperty("statements").EnumerateArray());

        // The reconciliation names the settlement that carried the order and those that carried its adjustments.
        var row = Row(await Reconciliation(c), waybill);
        Assert.Equal(first.GetProperty("id").GetGuid(), row.GetProperty("settlementId").GetGuid());
        Assert.Equal([secondId, third.GetProperty("id").GetGuid()], row.GetProperty("adjustmentSettlementIds").EnumerateArray().Select(x => x.GetGuid()));
        Assert.Equal(1_250, row.GetProperty("settledFen").GetInt64());

        // Reversing the third settlement gives its adjustment back to the next one, counted once.
        var admin = f.Cooperative.As(Roles.Admin, "admin-1", cooperative: c.CooperativeId);
        await c.Post($"/api/v1/cooperative/settlements/{fourth.GetProperty("id").GetGuid()}/reversal", new { reason = "重算" }, admin);
        await c.Post($"/api/v1/cooperative/settlements/{third.GetProperty("id").GetGuid()}/reversal", new { reason = "重算" }, admin);
        var again = await Settle(c, $"{Today.AddDays(-1):yyyy-MM-dd}", $"{Today:yyyy-MM-dd}");
        SettlementInvariant.Holds(again);
        Assert.Equal([58L, 25L], Payouts(again, a, b));
        Assert.Equal(3_535 - 233 + 58, (await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/growers/{a}/account")).GetProperty("balanceFen").GetInt64());
    }

    [Fact]
    public async Task The_freight_reconciliation_lists_every_waybill_of_the_month_with_quote_bill_difference_and_settlements_per_carrier()
    {
        var c = await f.NewCooperativeAsync(commissionBps: 500, boxFeeFen: 300);
        var (grower, _) = await c.Grower();
        await c.Harvest(grower, Today.AddDays(-2), ("grade1", 20m));
        var beijing = await c.Order(await c.Buyer(), ("grade1", 10m, 700));
        await c.Post($"/api/v1/cooperative/orders/{beijing}/pack", new { });
        var shanghai = await c.Order(await c.Buyer("上海"), ("grade1", 10m, 700));
        await c.Post($"/api/v1/cooperative/orders/{shanghai}/pack", new { });
        var (bj, sh) = (await TraceCodes(c, beijing), await TraceCodes(c, shanghai));
        var (s1, s2) = (Guid.NewGuid(), Guid.NewGuid());
        var (w1, w2, w3) = (NewWaybill("SF"), NewWaybill("SF"), NewWaybill("JD"));
        var endedAt = new DateTimeOffset(Today.AddDays(-1).ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8));
        // Beijing: SF, two carrier orders of one box, quoted 1,000 together; the first billed 530 on a quote of 500.
        // Shanghai: JD, one carrier order quoted 880, billed 920. Both before the settlement.
        await f.PublishAsync(BookedAs(c, s1, beijing, bj, 1_000, "sf", new BookedCarrierOrder("CO-" + w1, w1, 1), new BookedCarrierOrder("CO-" + w2, w2, 1)),
            BookedAs(c, s2, shanghai, sh, 880, "jd", new BookedCarrierOrder("CO-" + w3, w3, 2)),
            Part(c, s1, beijing, "CO-" + w1, PartOutcomes.Delivered, endedAt, bj[0..1]), Part(c, s1, beijing, "CO-" + w2, PartOutcomes.Delivered, endedAt, bj[1..2]),
            Part(c, s2, shanghai, "CO-" + w3, PartOutcomes.Delivered, endedAt, sh),
            Fee(c, s1, beijing, "sf", "CO-" + w1, w1, 500, 530, 1), Fee(c, s2, shanghai, "jd", "CO-" + w3, w3, 880, 920, 1));
        await Delivered(c, beijing);
        await Delivered(c, shanghai);
        await Eventually.Until(() => f.CountAsync("select count(*) from carrier_fees where cooperative_id = @Coop", new { Coop = c.CooperativeId }), n => n == 2,
            what: "both bills kept");

        // Before settling: the unbilled carrier order shows the rest of its shipment's quote and no bill.
        var before = await Reconciliation(c);
        Assert.Equal(3, before.GetProperty("waybills").GetArrayLength());
        Assert.Equal(500, Row(before, w2).GetProperty("quotedFen").GetInt64());
        Assert.Equal(JsonValueKind.Null, Row(before, w2).GetProperty("billedFen").ValueKind);
        Assert.Equal(JsonValueKind.Null, Row(before, w2).GetProperty("differenceFen").ValueKind);
        Assert.Equal(JsonValueKind.Null, Row(before, w2).GetProperty("settlementId").ValueKind);

        var first = await Settle(c, $"{Today.AddDays(-3):yyyy-MM-dd}", $"{Today.AddDays(-1):yyyy-MM-dd}");
        SettlementInvariant.Holds(first);
        Assert.Equal(530 + 500 + 920, first.GetProperty("totals").GetProperty("freightFen").GetInt64());
        // SF bills the second Beijing carrier order 560 after the settlement: 60 more, adjusted in the next one.
        await f.PublishAsync(Fee(c, s1, beijing, "sf", "CO-" + w2, w2, 500, 560, 1));
        await Eventually.Until(() => Reconciliation(c), r => Row(r, w2).GetProperty("billedFen").ValueKind == JsonValueKind.Number, what: "the late bill kept");
        var next = await Settle(c, $"{Today:yyyy-MM-dd}", $"{Today:yyyy-MM-dd}");
        SettlementInvariant.Holds(next);
        Assert.Equal(60, next.GetProperty("totals").GetProperty("freightFen").GetInt64());
        Assert.Equal(-60, next.GetProperty("totals").GetProperty("payoutFen").GetInt64());

        var rec = await Reconciliation(c);
        Assert.Equal(Month, rec.GetProperty("month").GetString());
        var (firstId, nextId) = (first.GetProperty("id").GetGuid(), next.GetProperty("id").GetGuid());
        foreach (var (waybill, carrier, order, quoted, billed) in new[] { (w1, "sf", beijing, 500L, 530L), (w2, "sf", beijing, 500L, 560L), (w3, "jd", shanghai, 880L, 920L) })
        {
            var row = Row(rec, waybill);
            Assert.Equal(carrier, row.GetProperty("carrier").GetString());
            Assert.Equal(order, row.GetProperty("orderId").GetGuid());
            Assert.Equal("CO-" + waybill, row.GetProperty("carrierOrderId").GetString());
            Assert.Equal(quoted, row.GetProperty("quotedFen").GetInt64());
            Assert.Equal(billed, row.GetProperty("billedFen").GetInt64());
            Assert.Equal(billed - quoted, row.GetProperty("differenceFen").GetInt64());
            Assert.Equal(firstId, row.GetProperty("settlementId").GetGuid());
        }
        Assert.Equal([nextId], Row(rec, w2).GetProperty("adjustmentSettlementIds").EnumerateArray().Select(x => x.GetGuid()));
        var totals = rec.GetProperty("carriers").EnumerateArray().ToDictionary(x => x.GetProperty("carrier").GetString()!);
        Assert.Equal((2, 1_000L, 1_090L, 90L), (totals["sf"].GetProperty("waybills").GetInt32(), totals["sf"].GetProperty("quotedFen").GetInt64(),
            totals["sf"].GetProperty("billedFen").GetInt64(), totals["sf"].GetProperty("differenceFen").GetInt64()));
        Assert.Equal((1, 880L, 920L, 40L), (totals["jd"].GetProperty("waybills").GetInt32(), totals["jd"].GetProperty("quotedFen").GetInt64(),
            totals["jd"].GetProperty("billedFen").GetInt64(), totals["jd"].GetProperty("differenceFen").GetInt64()));

        // CSV, asked for as the statements are (Accept: text/csv) or by ?format=csv for a plain link: every waybill with its quote and bill.
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/cooperative/freight-reconciliation?month={Month}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var byHeader = await c.Http.SendAsync(request);
        Assert.Equal("text/csv", byHeader.Content.Headers.ContentType?.MediaType);
        var byQuery = await c.Http.GetAsync($"/api/v1/cooperative/freight-reconciliation?month={Month}&format=csv");
        Assert.Equal("text/csv", byQuery.Content.Headers.ContentType?.MediaType);
        var lines = (await byQuery.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(await byHeader.Content.ReadAsStringAsync(), await byQuery.Content.ReadAsStringAsync());
        Assert.StartsWith("month,carrier,waybill_no,carrier_order_id,order_id,", lines[0]);
        Assert.Contains(lines, l => l.Contains($",sf,{w1},") && l.Contains(",500,530,30,"));
        Assert.Contains(lines, l => l.Contains($",sf,{w2},") && l.Contains(",500,560,60,") && l.Contains(nextId.ToString()));
        Assert.Contains(lines, l => l.Contains($",jd,{w3},") && l.Contains(",880,920,40,"));
        Assert.Contains(lines, l => l.StartsWith($"{Month},sf,total,") && l.Contains(",1000,1090,90,"));

        // Another cooperative sees none of it; another month is empty; a malformed month is 400 ProblemDetails.
        var other = await f.NewCooperativeAsync();
        var theirs = await other.Http.GetStringAsync($"/api/v1/cooperative/freight-reconciliation?month={Month}");
        Assert.DoesNotContain(w1, theirs);
        Assert.Equal(0, JsonDocument.Parse(theirs).RootElement.GetProperty("waybills").GetArrayLength());
        var lastYear = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/freight-reconciliation?month={Today.AddYears(-1):yyyy-MM}");
        Assert.Equal(0, lastYear.GetProperty("waybills").GetArrayLength());
        foreach (var bad in new[] { "2026-13", "2026-00", "2026-1", "26-12", "2026-12-01", "abc", "2026–12" })
        {
            var response = await c.Http.GetAsync($"/api/v1/cooperative/freight-reconciliation?month={bad}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("month", await response.Content.ReadAsStringAsync());
        }
        // As with every query date: a well-formed month outside 2000–2099 is 422 naming it.
        foreach (var outside in new[] { "1999-12", "2100-01" })
        {
            var response = await c.Http.GetAsync($"/api/v1/cooperative/freight-reconciliation?month={outside}");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Contains("month", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await c.Http.GetAsync($"/api/v1/cooperative/freight-reconciliation?month={Month}&format=xml")).StatusCode);
    }

    internal static string NewWaybill(string prefix) => prefix + Random.Shared.NextInt64(100_000_000_000, 999_999_999_999);

    /// <summary>Dispatch's booking, with the carrier orders it made, at this moment (so in this month's reconciliation).</summary>
    internal static ShipmentBooked BookedAs(ClerkSession c, Guid shipment, Guid order, IReadOnlyList<string> codes, long freightFen, string carrier,
        params BookedCarrierOrder[] carrierOrders) =>
        new(Guid.NewGuid(), DateTimeOffset.UtcNow, c.CooperativeId, shipment, order, Guid.NewGuid(), carrier, "express", carrierOrders[0].MasterWaybillNo,
            codes.Select((code, i) => new BookedWaybill($"{carrierOrders[0].MasterWaybillNo}-{i}", code)).ToList(), 10_000, freightFen * 4 / 3, freightFen,
            DateTimeOffset.UtcNow, carrierOrders);

    internal static CarrierFeeBilled Fee(ClerkSession c, Guid shipment, Guid order, string carrier, string carrierOrder, string waybill, long quotedFen,
        long billedFen, int version) =>
        new(Guid.NewGuid(), DateTimeOffset.UtcNow, c.CooperativeId, shipment, order, carrier, carrierOrder, waybill, quotedFen, billedFen, version, DateTimeOffset.UtcNow);

    private static Task<JsonElement> Delivered(ClerkSession c, Guid order) =>
        Eventually.Until(() => c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{order}"),
            o => o.GetProperty("status").GetString() == "delivered" && o.GetProperty("freightFen").ValueKind == JsonValueKind.Number, what: "delivered");

    private static Task<JsonElement> Reconciliation(ClerkSession c) =>
        c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/freight-reconciliation?month={Month}");

    private static JsonElement Row(JsonElement reconciliation, string waybill) =>
        reconciliation.GetProperty("waybills").EnumerateArray().Single(w => w.GetProperty("waybillNo").GetString() == waybill);

    private static long[] Payouts(JsonElement settlement, params Guid[] growers)
    {
        var statements = settlement.GetProperty("statements").EnumerateArray().ToList();
        return growers.Select(g => statements.Single(s => s.GetProperty("growerId").GetGuid() == g).GetProperty("payoutFen").GetInt64()).ToArray();
    }
}
