using MelonChain.Testing;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MelonChain.EndToEnd.Tests;

/// <summary>
/// Changqiao's week goes wrong three ways (R13 across the real services): a box of a 301-box order refused and sent
/// back, then restocked; a parcel lost, claimed from the carrier and compensated; a buyer's claim for spoiled boxes
/// accepted after its order was settled and paid back through the next settlement. Read back through the Gateway.
/// </summary>
public partial class SeasonTests
{
    private const string Changqiao = "changqiao";

    private sealed record Troubles(HttpClient Clerk, JsonElement Partly, JsonElement Lost, JsonElement Claimed, JsonElement First, JsonElement Next);

    /// <summary>Changqiao's three orders (found by their outcome) and its two settlements, oldest first.</summary>
    private async Task<Troubles> ChangqiaoAsync()
    {
        var clerk = await f.System.AsAsync("clerk", "e2e-cq-clerk", Changqiao);
        var orders = new List<JsonElement>();
        foreach (var o in await SeasonFixture.AllAsync(clerk, $"{Cooperative}/orders"))
            orders.Add(await clerk.GetFromJsonAsync<JsonElement>($"{Cooperative}/orders/{o.GetProperty("id").GetGuid()}"));
        Assert.Equal(3, orders.Count);
        Assert.All(orders, o => Assert.Equal("settled", o.GetProperty("status").GetString()));
        JsonElement Ended(string outcome) => Assert.Single(orders, o => o.GetProperty("outcome").GetString() == outcome);
        var settlements = new List<JsonElement>();
        foreach (var s in (await SeasonFixture.AllAsync(clerk, $"{Cooperative}/settlements")).OrderBy(s => s.GetProperty("from").GetString()))
            settlements.Add(await clerk.GetFromJsonAsync<JsonElement>($"{Cooperative}/settlements/{s.GetProperty("id").GetGuid()}"));
        Assert.Equal(2, settlements.Count);
        var delivered = orders.Where(o => o.GetProperty("outcome").GetString() == "delivered").ToList();
        return new Troubles(clerk, Ended("partly_delivered"), Ended("undelivered"), Assert.Single(delivered), settlements[0], settlements[1]);
    }

    private static IEnumerable<JsonElement> Boxes(JsonElement order) => order.GetProperty("boxes").EnumerateArray();

    private static IEnumerable<JsonElement> Adjustments(JsonElement settlement) => settlement.GetProperty("statements").EnumerateArray()
        .SelectMany(s => s.TryGetProperty("adjustments", out var a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray() : []);

    [Fact]
    public void Changqiaos_week_goes_wrong_three_ways_and_the_summary_prints_each()
    {
        Assert.Matches(@"Returned   Shanghai, 301 boxes booked as 2 SF carrier orders: 300 delivered, 1 refused and sent back — partly_delivered; the box scanned back in and restocked, harvested \d{4}-\d{2}-\d{2}", f.FirstPlay);
        Assert.Matches(@"Lost       Beijing, 4 boxes of grade 2: SF declared waybill SF\d{13} lost; claimed 410 yuan from SF, paid 410 yuan into the grade 2 pool", f.FirstPlay);
        Assert.Matches(@"Claim      新发地 opened 2 spoiled boxes of its settled order: asked 170 yuan, accepted 150 yuan, paid back as [1-9]\d* adjustment lines on the next settlement", f.FirstPlay);
        Assert.Matches(@"Settlement \S+ – \S+: revenue [\d,.]+ − credits 150 \+ compensation 410 = growers [\d,.]+ \+ freight [\d,.]+ \+ boxes [\d,.]+ \+ commission [\d,.]+ yuan", f.FirstPlay);
        Assert.Matches(@"Billed     SF billed waybill SF\d{13} \(the Beijing order\) 1,120 yuan against its 1,050 yuan quote after its settlement: 70 yuan more freight, taken as [1-9]\d* adjustment lines on the next settlement", f.FirstPlay);
        Assert.Matches(@"Reconciled \d{4}-\d{2} \(对账\): [1-9]\d* waybills, quoted [\d,.]+ yuan, billed [\d,.]+ yuan, difference 70 yuan", f.FirstPlay);
    }

    [Fact]
    public async Task A_box_refused_at_the_door_leaves_its_order_partly_delivered_settled_for_what_arrived_and_restocked_with_its_old_harvest_date()
    {
        var t = await ChangqiaoAsync();
        var order = t.Partly;
        var boxes = Boxes(order).ToList();
        var returned = Assert.Single(boxes, b => b.GetProperty("outcome").GetString() == "returned");
        var shipment = (await SeasonFixture.AllAsync(t.Clerk, "/api/v1/tracking/shipments")).Single(s => s.GetProperty("orderId").GetGuid() == order.GetProperty("id").GetGuid());
        var booked = await t.Clerk.GetFromJsonAsync<JsonElement>($"/api/v1/dispatch/shipments/{shipment.GetProperty("shipmentId").GetGuid()}");

        // 301 boxes are two carrier orders of SF's at most 300 parcels: the second, one box, came back.
        Assert.Equal(301, boxes.Count);
        Assert.Equal(300, boxes.Count(b => b.GetProperty("outcome").GetString() == "delivered"));
        Assert.Equal(["300 delivered", "1 returned"], booked.GetProperty("carrierOrders").EnumerateArray().OrderBy(p => p.GetProperty("part").GetInt32())
            .Select(p => $"{p.GetProperty("parcels").GetInt32()} {p.GetProperty("outcome").GetString()}"));
        Assert.Equal("restock", returned.GetProperty("returned").GetString());

        // Revenue for the delivered boxes only, at their line's price; freight for both carrier orders.
        var price = order.GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("grade").GetString()!, l => l.GetProperty("priceFenPerKg").GetInt64());
        var sold = boxes.Where(b => b.GetProperty("outcome").GetString() == "delivered")
            .Sum(b => (long)(b.GetProperty("netKg").GetDecimal() * price[b.GetProperty("grade").GetString()!]));
        var lost = t.Lost;
        Assert.Equal(sold, t.Next.GetProperty("totals").GetProperty("revenueFen").GetInt64());
        // …and what SF billed above its quote for the order settled before (the demo's re-bill), taken on this settlement.
        var bill = await BilledAfterSettlementAsync(t);
        Assert.Equal(order.GetProperty("freightFen").GetInt64() + lost.GetProperty("freightFen").GetInt64() + (bill.BilledFen - bill.QuotedFen),
            t.Next.GetProperty("totals").GetProperty("freightFen").GetInt64());
        Assert.Equal(booked.GetProperty("negotiatedFen").GetInt64(), order.GetProperty("freightFen").GetInt64());

        // Restocked: its kilograms are in stock again, on the lots it was packed from, with their harvest dates.
        var harvests = (await SeasonFixture.AllAsync(t.Clerk, $"{Cooperative}/receipts")).Select(r => r.GetProperty("harvestedOn").GetString()).Order().ToList();
        var intake = await t.Clerk.GetFromJsonAsync<JsonElement>($"{Cooperative}/reports/intake?from={harvests[0]}&to={harvests[^1]}");
        var stock = (await t.Clerk.GetFromJsonAsync<JsonElement>($"{Cooperative}/stock")).GetProperty("grades").EnumerateArray().ToDictionary(g => g.GetProperty("grade").GetString()!);
        var gone = new[] { t.Partly, t.Lost, t.Claimed }.SelectMany(Boxes).Where(b => b.GetProperty("returned").GetString() != "restock").ToList();
        foreach (var g in intake.GetProperty("grades").EnumerateArray())
        {
            var grade = g.GetProperty("grade").GetString()!;
            var packed = gone.Where(b => b.GetProperty("grade").GetString() == grade).Sum(b => b.GetProperty("netKg").GetDecimal());
            Assert.Equal(g.GetProperty("gradedKg").GetDecimal() - packed, stock[grade].GetProperty("availableKg").GetDecimal());
            Assert.Equal(0, stock[grade].GetProperty("returningBoxes").GetInt32());
        }
        var harvested = new List<DateOnly>();
        foreach (var source in returned.GetProperty("sources").EnumerateArray())
            harvested.Add(DateOnly.Parse((await t.Clerk.GetFromJsonAsync<JsonElement>($"{Cooperative}/receipts/{source.GetProperty("receiptId").GetGuid()}")).GetProperty("harvestedOn").GetString()!));
        var restockedGrade = returned.GetProperty("grade").GetString()!;
        Assert.True(DateOnly.Parse(stock[restockedGrade].GetProperty("oldestHarvest").GetString()!) <= harvested.Min(), "the restocked lots keep their harvest dates");
        Assert.Contains($"restocked, harvested {harvested.Min():yyyy-MM-dd}", f.FirstPlay);
    }

    [Fact]
    public async Task A_lost_parcel_is_claimed_from_the_carrier_and_its_compensation_lands_in_its_pool()
    {
        var t = await ChangqiaoAsync();
        var shipment = (await SeasonFixture.AllAsync(t.Clerk, "/api/v1/tracking/shipments")).Single(s => s.GetProperty("orderId").GetGuid() == t.Lost.GetProperty("id").GetGuid());
        var id = shipment.GetProperty("shipmentId").GetGuid();
        var booked = await t.Clerk.GetFromJsonAsync<JsonElement>($"/api/v1/dispatch/shipments/{id}");
        var claim = Assert.Single((await t.Clerk.GetFromJsonAsync<JsonElement>($"/api/v1/dispatch/shipments/{id}/carrier-claims")).GetProperty("items").EnumerateArray());

        Assert.All(Boxes(t.Lost), b => Assert.Equal("lost", b.GetProperty("outcome").GetString()));
        Assert.Equal("lost", Assert.Single(booked.GetProperty("carrierOrders").EnumerateArray()).GetProperty("outcome").GetString());
        Assert.Equal(("lost", "paid", 41_000L, 41_000L), (claim.GetProperty("reason").GetString(), claim.GetProperty("status").GetString(),
            claim.GetProperty("amountFen").GetInt64(), claim.GetProperty("paidFen").GetInt64()));
        Assert.Equal(Boxes(t.Lost).Select(b => b.GetProperty("traceCode").GetString()).Order(), claim.GetProperty("traceCodes").EnumerateArray().Select(c => c.GetString()).Order());
        Assert.Equal(41_000, t.Lost.GetProperty("compensationFen").GetInt64());

        // Paid before its order was settled: in that settlement's grade 2 pool, not an adjustment.
        var pool = t.Next.GetProperty("pools").EnumerateArray().Single(p => p.GetProperty("grade").GetString() == "grade2");
        Assert.Equal(41_000, pool.GetProperty("compensationFen").GetInt64());
        Assert.Equal(41_000, t.Next.GetProperty("totals").GetProperty("compensationFen").GetInt64());
        Assert.DoesNotContain(Adjustments(t.Next), a => a.GetProperty("kind").GetString() == "compensation");
    }

    [Fact]
    public async Task A_spoiled_claim_accepted_after_settlement_is_paid_back_as_adjustment_lines_split_to_the_fen_by_the_first_settlements_shares()
    {
        var t = await ChangqiaoAsync();
        var claim = Assert.Single((await t.Clerk.GetFromJsonAsync<JsonElement>($"{Cooperative}/claims?status=accepted")).GetProperty("items").EnumerateArray());
        claim = await t.Clerk.GetFromJsonAsync<JsonElement>($"{Cooperative}/claims/{claim.GetProperty("id").GetGuid()}");
        var claimId = claim.GetProperty("id").GetGuid();

        Assert.Equal(("spoiled", 17_000L, 15_000L, false), (claim.GetProperty("kind").GetString(), claim.GetProperty("creditAskedFen").GetInt64(),
            claim.GetProperty("creditFen").GetInt64(), claim.GetProperty("carrierLiable").GetBoolean()));
        Assert.Equal(t.Claimed.GetProperty("id").GetGuid(), claim.GetProperty("orderId").GetGuid());
        Assert.Equal(t.Next.GetProperty("id").GetGuid(), claim.GetProperty("settlementId").GetGuid());
        Assert.Equal(0, t.First.GetProperty("totals").GetProperty("creditsFen").GetInt64());
        Assert.Equal(15_000, t.Next.GetProperty("totals").GetProperty("creditsFen").GetInt64());

        // By hand: 150 yuan over the first settlement's grade 1 pool by each grower's grams, largest remainder, ties to the
        // lower member number; each line a credit (negative) naming the order and the claim.
        var shares = t.First.GetProperty("statements").EnumerateArray()
            .SelectMany(s => s.GetProperty("lines").EnumerateArray().Where(l => l.GetProperty("grade").GetString() == "grade1")
                .Select(l => (Member: s.GetProperty("memberNo").GetString()!, Grams: (long)(l.GetProperty("kg").GetDecimal() * 1000))))
            .OrderBy(s => s.Member, StringComparer.Ordinal).ToList();
        var total = shares.Sum(s => s.Grams);
        var parts = shares.Select(s => 15_000 * s.Grams / total).ToArray();
        foreach (var i in Enumerable.Range(0, shares.Count).OrderByDescending(i => 15_000 * shares[i].Grams % total).ThenBy(i => i).Take(15_000 - (int)parts.Sum()))
            parts[i]++;
        var expected = shares.Select((s, i) => (s.Member, Fen: -parts[i])).Where(x => x.Fen != 0).ToList();

        var all = AdjustmentLines(t.Next);
        // The claim's lines are its credits; the only others are SF's bill for the same order, come after its settlement.
        var lines = all.Where(l => l.Line.GetProperty("kind").GetString() == "credit").ToList();
        Assert.All(all.Except(lines), l => Assert.Equal(("freight", t.Claimed.GetProperty("id").GetGuid()),
            (l.Line.GetProperty("kind").GetString(), l.Line.GetProperty("orderId").GetGuid())));
        Assert.All(lines, l => Assert.Equal((claimId, t.Claimed.GetProperty("id").GetGuid(), "credit", "grade1"),
            (l.Line.GetProperty("claimId").GetGuid(), l.Line.GetProperty("orderId").GetGuid(), l.Line.GetProperty("kind").GetString(), l.Line.GetProperty("grade").GetString())));
        Assert.Equal(expected, lines.Select(l => (l.Member, Fen: l.Line.GetProperty("amountFen").GetInt64())).OrderBy(l => l.Member, StringComparer.Ordinal).ToList());
        Assert.Equal(-15_000, lines.Sum(l => l.Line.GetProperty("amountFen").GetInt64()));
        foreach (var s in t.Next.GetProperty("statements").EnumerateArray())
            Assert.Equal(all.Where(l => l.Member == s.GetProperty("memberNo").GetString()).Sum(l => l.Line.GetProperty("amountFen").GetInt64()),
                s.GetProperty("adjustmentsFen").GetInt64());
    }

    /// <summary>Every adjustment line of a settlement with its member number.</summary>
    private static List<(string Member, JsonElement Line)> AdjustmentLines(JsonElement settlement) => settlement.GetProperty("statements").EnumerateArray()
        .SelectMany(s => (s.TryGetProperty("adjustments", out var a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray() : [])
            .Select(a => (Member: s.GetProperty("memberNo").GetString()!, Line: a))).ToList();

    /// <summary>The demo's re-bill: the carrier order of Changqiao's first (claimed) order, as Dispatch has it.</summary>
    private static async Task<(string WaybillNo, long QuotedFen, long BilledFen, int Version)> BilledAfterSettlementAsync(Troubles t)
    {
        var shipment = (await SeasonFixture.AllAsync(t.Clerk, "/api/v1/tracking/shipments"))
            .Single(s => s.GetProperty("orderId").GetGuid() == t.Claimed.GetProperty("id").GetGuid());
        var booked = await t.Clerk.GetFromJsonAsync<JsonElement>($"/api/v1/dispatch/shipments/{shipment.GetProperty("shipmentId").GetGuid()}");
        var part = Assert.Single(booked.GetProperty("carrierOrders").EnumerateArray());
        return (part.GetProperty("masterWaybillNo").GetString()!, part.GetProperty("quotedFen").GetInt64(), part.GetProperty("billedFen").GetInt64(),
            part.GetProperty("billVersion").GetInt32());
    }

    [Fact]
    public async Task SFs_bill_above_the_quote_after_settlement_is_taken_from_the_same_growers_on_the_next_settlement_split_to_the_fen_by_hand()
    {
        var t = await ChangqiaoAsync();
        var bill = await BilledAfterSettlementAsync(t);
        // The demo's re-bill: 1,120 yuan against the 1,050 yuan quote, a second version after the one billed at pickup.
        Assert.Equal((105_000L, 112_000L), (bill.QuotedFen, bill.BilledFen));
        Assert.True(bill.Version >= 2, $"bill version {bill.Version}");
        // The first settlement charged the quote (the bill came after it).
        Assert.Equal(t.Claimed.GetProperty("freightFen").GetInt64(), t.First.GetProperty("totals").GetProperty("freightFen").GetInt64());
        Assert.Equal(105_000, t.First.GetProperty("totals").GetProperty("freightFen").GetInt64());

        // By hand: 70 yuan more freight over the first settlement's grade 1 pool by each grower's grams, largest remainder,
        // ties to the lower member number; each line a charge (negative) naming the order and the waybill.
        var shares = t.First.GetProperty("statements").EnumerateArray()
            .SelectMany(s => s.GetProperty("lines").EnumerateArray().Where(l => l.GetProperty("grade").GetString() == "grade1")
                .Select(l => (Member: s.GetProperty("memberNo").GetString()!, Grams: (long)(l.GetProperty("kg").GetDecimal() * 1000))))
            .OrderBy(s => s.Member, StringComparer.Ordinal).ToList();
        const long more = 7_000;
        var total = shares.Sum(s => s.Grams);
        var parts = shares.Select(s => more * s.Grams / total).ToArray();
        foreach (var i in Enumerable.Range(0, shares.Count).OrderByDescending(i => more * shares[i].Grams % total).ThenBy(i => i).Take((int)(more - parts.Sum())))
            parts[i]++;
        var expected = shares.Select((s, i) => (s.Member, Fen: -parts[i])).Where(x => x.Fen != 0).ToList();

        var freight = AdjustmentLines(t.Next).Where(l => l.Line.GetProperty("kind").GetString() == "freight").ToList();
        Assert.All(freight, l => Assert.Equal((t.Claimed.GetProperty("id").GetGuid(), bill.WaybillNo, "grade1"),
            (l.Line.GetProperty("orderId").GetGuid(), l.Line.GetProperty("waybillNo").GetString(), l.Line.GetProperty("grade").GetString())));
        Assert.Equal(expected, freight.Select(l => (l.Member, Fen: l.Line.GetProperty("amountFen").GetInt64())).OrderBy(l => l.Member, StringComparer.Ordinal).ToList());
        Assert.Equal(-more, freight.Sum(l => l.Line.GetProperty("amountFen").GetInt64()));
    }

    [Fact]
    public async Task The_reconciliation_CSV_of_the_demo_month_lists_every_waybill_of_the_demo_with_its_quote_and_bill()
    {
        var t = await ChangqiaoAsync();
        foreach (var clerk in new[] { f.Clerk, t.Clerk })
        {
            // Every carrier order the demo booked for this cooperative, as Dispatch has it, once every bill is in
            // (SF pushes at pickup; JD's is asked for by Dispatch's fee worker).
            var parts = new List<(string Month, string WaybillNo, long QuotedFen, long BilledFen)>();
            foreach (var s in await SeasonFixture.AllAsync(clerk, "/api/v1/tracking/shipments"))
            {
                var booked = await Eventually.Until(
                    () => clerk.GetFromJsonAsync<JsonElement>($"/api/v1/dispatch/shipments/{s.GetProperty("shipmentId").GetGuid()}"),
                    b => b.GetProperty("carrierOrders").EnumerateArray().All(p => p.TryGetProperty("billedFen", out var fen) && fen.ValueKind == JsonValueKind.Number),
                    TimeSpan.FromSeconds(90), "every carrier order billed");
                // Booked at collection: the month the reconciliation files it under.
                var month = ChinaMonth(booked.GetProperty("collectedAt").GetDateTimeOffset());
                parts.AddRange(booked.GetProperty("carrierOrders").EnumerateArray().Select(p =>
                    (month, p.GetProperty("masterWaybillNo").GetString()!, p.GetProperty("quotedFen").GetInt64(), p.GetProperty("billedFen").GetInt64())));
            }
            Assert.NotEmpty(parts);

            foreach (var month in parts.Select(p => p.Month).Distinct())
            {
                var expected = parts.Where(p => p.Month == month).Select(p => $"{p.WaybillNo} {p.QuotedFen} {p.BilledFen}").Order().ToList();
                var rows = await Eventually.Until(async () =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"{Cooperative}/freight-reconciliation?month={month}");
                    request.Headers.Accept.ParseAdd("text/csv");
                    using var response = await clerk.SendAsync(request);
                    Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
                    var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    var header = lines[0].Split(',');
                    int At(string column) => Array.IndexOf(header, column);
                    return lines.Skip(1).Select(l => l.Split(',')).Where(c => c[At("waybill_no")] != "total")
                        .Select(c => $"{c[At("waybill_no")]} {c[At("quoted_fen")]} {c[At("billed_fen")]}").Order().ToList();
                }, rows => rows.SequenceEqual(expected), TimeSpan.FromSeconds(60), $"the {month} reconciliation to list every waybill with its bill");
                Assert.Equal(expected, rows);
            }
        }
    }

    private static string ChinaMonth(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Every_settlement_of_the_season_holds_the_invariant_with_credits_and_compensation_to_the_fen()
    {
        var t = await ChangqiaoAsync();
        var shangxiang = await f.Clerk.GetFromJsonAsync<JsonElement>(
            $"{Cooperative}/settlements/{Assert.Single(await SeasonFixture.AllAsync(f.Clerk, $"{Cooperative}/settlements")).GetProperty("id").GetGuid()}");

        foreach (var settlement in new[] { shangxiang, t.First, t.Next })
        {
            var totals = settlement.GetProperty("totals");
            long Fen(string name) => totals.GetProperty(name).GetInt64();
            Assert.Equal(Fen("revenueFen") - Fen("creditsFen") + Fen("compensationFen"),
                Fen("payoutFen") + Fen("freightFen") + Fen("packagingFen") + Fen("commissionFen") + Fen("deductionsFen"));
            var statements = settlement.GetProperty("statements").EnumerateArray().ToList();
            Assert.Equal(Fen("payoutFen"), statements.Sum(s => s.GetProperty("payoutFen").GetInt64()));
            var pools = settlement.GetProperty("pools").EnumerateArray().ToList();
            Assert.Equal(Fen("revenueFen"), pools.Sum(p => p.GetProperty("revenueFen").GetInt64()));
        }
        Assert.Equal(1, t.First.GetProperty("orders").GetInt32());
        Assert.Equal(2, t.Next.GetProperty("orders").GetInt32());
    }

    [Fact]
    public async Task Each_buyer_sees_every_boxs_outcome_and_cannot_claim_on_another_buyers_order()
    {
        var t = await ChangqiaoAsync();
        var shanghai = await f.System.AsAsync("buyer", "e2e-cq-buyer-sh", Changqiao, buyerId: t.Partly.GetProperty("buyerId").GetGuid());
        var beijing = await f.System.AsAsync("buyer", "e2e-cq-buyer-bj", Changqiao, buyerId: t.Lost.GetProperty("buyerId").GetGuid());
        Assert.Equal(t.Claimed.GetProperty("buyerId").GetGuid(), t.Lost.GetProperty("buyerId").GetGuid());

        foreach (var (buyer, orders) in new[] { (shanghai, new[] { t.Partly }), (beijing, new[] { t.Claimed, t.Lost }) })
        {
            var own = await SeasonFixture.AllAsync(buyer, "/api/v1/tracking/my/shipments");
            Assert.Equal(orders.Select(o => o.GetProperty("id").GetGuid()).Order(), own.Select(s => s.GetProperty("orderId").GetGuid()).Order());
            foreach (var order in orders)
            {
                var waybill = own.Single(s => s.GetProperty("orderId").GetGuid() == order.GetProperty("id").GetGuid()).GetProperty("waybillNo").GetString();
                var seen = (await buyer.GetFromJsonAsync<JsonElement>($"/api/v1/tracking/shipments/{waybill}")).GetProperty("boxes").EnumerateArray()
                    .ToDictionary(b => b.GetProperty("traceCode").GetString()!, b => b.GetProperty("outcome").GetString());
                Assert.Equal(Boxes(order).ToDictionary(b => b.GetProperty("traceCode").GetString()!, b => b.GetProperty("outcome").GetString()).OrderBy(kv => kv.Key),
                    seen.OrderBy(kv => kv.Key));
            }
        }

        // The Shanghai buyer claiming on the Beijing buyer's delivered boxes, and the other way round: 404, nothing filed.
        foreach (var (buyer, order) in new[] { (shanghai, t.Claimed), (beijing, t.Partly) })
        {
            var box = Boxes(order).First(b => b.GetProperty("outcome").GetString() == "delivered").GetProperty("traceCode").GetString();
            // With its Idempotency-Key, as a filing must carry one (without it the answer would be 428 before anything is looked up).
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{Cooperative}/orders/{order.GetProperty("id").GetGuid()}/claims")
            {
                Content = JsonContent.Create(new { kind = "spoiled", traceCodes = new[] { box }, kg = 1m, creditFen = 100, note = "not mine" }),
            };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            var response = await buyer.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        Assert.Single((await t.Clerk.GetFromJsonAsync<JsonElement>($"{Cooperative}/claims")).GetProperty("items").EnumerateArray());
    }
}
