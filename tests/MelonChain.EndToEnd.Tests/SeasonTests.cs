using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MelonChain.EndToEnd.Tests;

/// <summary>
/// The demo season, played once through the Gateway by clerk, officer, courier and buyers, read back through the
/// API as each of them would: every kilogram, box, shipment, fen and contract delivery accounted for.
/// </summary>
public partial class SeasonTests(SeasonFixture f) : IClassFixture<SeasonFixture>
{
    private const string Cooperative = "/api/v1/cooperative";

    [Fact]
    public void Up_ends_with_a_summary_whose_Beijing_line_shows_the_negotiated_freight_and_the_saving()
    {
        Assert.Contains("Beijing    60 boxes × 5 kg grade 1, SF express: list 4,200 yuan, negotiated 3,150 yuan (75%), saved 1,050 yuan", f.FirstPlay);
        Assert.Equal(2, f.FirstPlay.Split('\n').Count(l => l.Contains("against the 48 h promise — on time")));
        Assert.Contains("/trace/", f.FirstPlay);
        // The same season again reports exactly the same season.
        Assert.Equal(Summary(f.FirstPlay), Summary(f.SecondPlay));
    }

    [Fact]
    public async Task Every_received_kilogram_is_graded_or_shrink_and_every_graded_one_is_in_stock_or_in_a_box()
    {
        var receipts = await SeasonFixture.AllAsync(f.Clerk, $"{Cooperative}/receipts");
        var from = receipts.Min(r => r.GetProperty("harvestedOn").GetString());
        var to = receipts.Max(r => r.GetProperty("harvestedOn").GetString());
        var intake = await f.Clerk.GetFromJsonAsync<JsonElement>($"{Cooperative}/reports/intake?from={from}&to={to}");
        var stock = (await f.Clerk.GetFromJsonAsync<JsonElement>($"{Cooperative}/stock")).GetProperty("grades").EnumerateArray()
            .ToDictionary(g => g.GetProperty("grade").GetString()!, g => g.GetProperty("availableKg").GetDecimal());
        var boxes = (await Orders()).SelectMany(o => o.GetProperty("boxes").EnumerateArray()).ToList();

        Assert.Equal(56, receipts.Count);
        Assert.Equal(receipts.Sum(r => r.GetProperty("grossKg").GetDecimal()), intake.GetProperty("receivedKg").GetDecimal());
        Assert.Equal(intake.GetProperty("receivedKg").GetDecimal(), intake.GetProperty("gradedKg").GetDecimal() + intake.GetProperty("shrinkKg").GetDecimal());
        Assert.Equal(0m, intake.GetProperty("ungradedKg").GetDecimal());
        var grades = intake.GetProperty("grades").EnumerateArray().ToList();
        Assert.Equal(intake.GetProperty("gradedKg").GetDecimal(), grades.Sum(g => g.GetProperty("gradedKg").GetDecimal()));
        foreach (var g in grades)
        {
            var grade = g.GetProperty("grade").GetString()!;
            var packed = boxes.Where(b => b.GetProperty("grade").GetString() == grade).Sum(b => b.GetProperty("netKg").GetDecimal());
            Assert.Equal(packed, g.GetProperty("packedKg").GetDecimal());
            Assert.Equal(g.GetProperty("gradedKg").GetDecimal() - packed, stock[grade]);
        }
    }

    [Fact]
    public async Task Every_boxs_trace_code_leads_back_to_real_receipts_and_the_growers_who_delivered_them()
    {
        var members = (await SeasonFixture.AllAsync(f.Clerk, $"{Cooperative}/growers"))
            .ToDictionary(g => g.GetProperty("id").GetGuid(), g => g.GetProperty("memberNo").GetString()!);
        var receipts = (await SeasonFixture.AllAsync(f.Clerk, $"{Cooperative}/receipts")).ToDictionary(r => r.GetProperty("id").GetGuid());
        var boxes = (await Orders()).SelectMany(o => o.GetProperty("boxes").EnumerateArray()).ToList();
        var anonymous = new HttpClient { BaseAddress = f.System.Gateway };

        Assert.Equal(80, boxes.Count);
        foreach (var box in boxes)
        {
            var sources = box.GetProperty("sources").EnumerateArray().ToList();
            Assert.Equal(box.GetProperty("netKg").GetDecimal(), sources.Sum(s => s.GetProperty("kg").GetDecimal()));
            foreach (var source in sources)
                Assert.Equal(source.GetProperty("growerId").GetGuid(), receipts[source.GetProperty("receiptId").GetGuid()].GetProperty("growerId").GetGuid());

            var trace = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/tracking/public/trace/{box.GetProperty("traceCode").GetString()}");
            var expected = sources.GroupBy(s => members[s.GetProperty("growerId").GetGuid()]).ToDictionary(g => g.Key, g => g.Sum(s => s.GetProperty("kg").GetDecimal()));
            var origins = trace.GetProperty("origins").EnumerateArray().GroupBy(o => o.GetProperty("memberNo").GetString()!)
                .ToDictionary(g => g.Key, g => g.Sum(o => o.GetProperty("kg").GetDecimal()));
            Assert.Equal(expected.OrderBy(kv => kv.Key), origins.OrderBy(kv => kv.Key));
        }
    }

    [Fact]
    public async Task Every_shipment_reaches_delivered_with_the_right_on_time_flag_for_its_buyer_and_the_cooperative()
    {
        var shipments = await SeasonFixture.AllAsync(f.Dispatcher, "/api/v1/tracking/shipments");

        Assert.Equal(2, shipments.Count);
        foreach (var s in shipments)
        {
            Assert.Equal("delivered", s.GetProperty("status").GetString());
            var onTime = s.GetProperty("deliveredAt").GetDateTimeOffset() <= s.GetProperty("promisedBy").GetDateTimeOffset();
            Assert.True(onTime, "the simulator delivers within the 2-day promise");
            Assert.Equal(onTime, s.GetProperty("onTime").GetBoolean());

            var order = await f.Clerk.GetFromJsonAsync<JsonElement>($"{Cooperative}/orders/{s.GetProperty("orderId").GetGuid()}");
            // Delivered, and then settled by the demo's settlement of the week.
            Assert.Equal(("settled", onTime), (order.GetProperty("status").GetString(), order.GetProperty("onTime").GetBoolean()));
            Assert.Equal(s.GetProperty("deliveredAt").GetDateTimeOffset(), order.GetProperty("deliveredAt").GetDateTimeOffset());
            var buyer = await f.BuyerAsync(order.GetProperty("buyerId").GetGuid());
            var own = Assert.Single((await buyer.GetFromJsonAsync<JsonElement>("/api/v1/tracking/my/shipments")).GetProperty("items").EnumerateArray());
            Assert.Equal((s.GetProperty("waybillNo").GetString(), "delivered"), (own.GetProperty("waybillNo").GetString(), own.GetProperty("status").GetString()));
        }
    }

    [Fact]
    public async Task The_settlement_holds_to_the_fen_and_each_growers_statement_matches_their_boxes()
    {
        var settled = Assert.Single(await SeasonFixture.AllAsync(f.Clerk, $"{Cooperative}/settlements"));
        var settlement = await f.Clerk.GetFromJsonAsync<JsonElement>($"{Cooperative}/settlements/{settled.GetProperty("id").GetGuid()}");
        var totals = settlement.GetProperty("totals");
        var orders = await Orders();
        var shipments = await SeasonFixture.AllAsync(f.Dispatcher, "/api/v1/tracking/shipments");
        long Fen(string name) => totals.GetProperty(name).GetInt64();

        Assert.Equal(Fen("revenueFen"), Fen("payoutFen") + Fen("freightFen") + Fen("packagingFen") + Fen("commissionFen") + Fen("deductionsFen"));
        Assert.Equal(orders.SelectMany(o => o.GetProperty("lines").EnumerateArray()).Sum(l => (long)(l.GetProperty("kg").GetDecimal() * l.GetProperty("priceFenPerKg").GetInt64())),
            Fen("revenueFen"));
        long freight = 0;
        foreach (var s in shipments)
            freight += (await f.Dispatcher.GetFromJsonAsync<JsonElement>($"/api/v1/dispatch/shipments/{s.GetProperty("shipmentId").GetGuid()}")).GetProperty("negotiatedFen").GetInt64();
        Assert.Equal(freight, Fen("freightFen"));
        Assert.Equal(orders.Sum(o => o.GetProperty("boxes").GetArrayLength()) * 300L, Fen("packagingFen"));

        var boxed = orders.SelectMany(o => o.GetProperty("boxes").EnumerateArray())
            .SelectMany(b => b.GetProperty("sources").EnumerateArray().Select(s => (Grower: s.GetProperty("growerId").GetGuid(), Grade: b.GetProperty("grade").GetString()!, Kg: s.GetProperty("kg").GetDecimal())))
            .GroupBy(x => (x.Grower, x.Grade)).ToDictionary(g => g.Key, g => g.Sum(x => x.Kg));
        var statements = settlement.GetProperty("statements").EnumerateArray().ToList();
        var stated = statements.SelectMany(s => s.GetProperty("lines").EnumerateArray()
                .Select(l => (Key: (s.GetProperty("growerId").GetGuid(), l.GetProperty("grade").GetString()!), Kg: l.GetProperty("kg").GetDecimal())))
            .ToDictionary(x => x.Key, x => x.Kg);
        Assert.Equal(boxed.OrderBy(kv => kv.Key.ToString()), stated.OrderBy(kv => kv.Key.ToString()));
        Assert.Equal(Fen("payoutFen"), statements.Sum(s => s.GetProperty("payoutFen").GetInt64()));
        Assert.Equal(Fen("topUpFen"), statements.Sum(s => s.GetProperty("topUpFen").GetInt64()));
        Assert.Contains(statements, s => s.GetProperty("topUpFen").GetInt64() > 0);

        foreach (var s in statements)
        {
            var statement = await f.Clerk.GetFromJsonAsync<JsonElement>(
                $"{Cooperative}/settlements/{settlement.GetProperty("id").GetGuid()}/statements/{s.GetProperty("growerId").GetGuid()}");
            Assert.Equal(s.GetProperty("payoutFen").GetInt64() + s.GetProperty("topUpFen").GetInt64(), statement.GetProperty("totalFen").GetInt64());
        }
    }

    [Fact]
    public async Task Contract_fulfilment_matches_what_the_cooperative_received_under_each_contract()
    {
        var received = (await SeasonFixture.AllAsync(f.Clerk, $"{Cooperative}/receipts"))
            .Where(r => r.GetProperty("contractId").ValueKind == JsonValueKind.String)
            .GroupBy(r => r.GetProperty("contractId").GetGuid())
            .ToDictionary(g => g.Key, g => (Deliveries: g.Count(), Kg: g.Sum(r => r.GetProperty("grossKg").GetDecimal())));
        var season = DateTime.UtcNow.AddHours(8).Year + "-autumn";
        var report = await f.Officer.GetFromJsonAsync<JsonElement>($"/api/v1/growing/reports/fulfilment?season={season}");

        var lines = report.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(5, lines.Count);
        Assert.NotEmpty(received);
        foreach (var line in lines)
        {
            var fulfilment = line.GetProperty("fulfilment");
            var expected = received.GetValueOrDefault(line.GetProperty("contractId").GetGuid());
            Assert.Equal(expected, (fulfilment.GetProperty("deliveries").GetInt32(), fulfilment.GetProperty("receivedKg").GetDecimal()));
        }
        Assert.Equal(received.Values.Sum(r => r.Kg), lines.Sum(l => l.GetProperty("fulfilment").GetProperty("receivedKg").GetDecimal()));
    }

    [Fact]
    public void Playing_the_same_season_twice_with_the_same_Idempotency_Keys_changes_nothing_the_second_time()
    {
        Assert.Contains("demo: a week of receipts and gradings", f.SecondPlay);
        Assert.StartsWith("70 rows", f.AfterFirstPlay["Cooperative.receipts"]); // Shangxiang 56, Changqiao 8 + 6 for its big order
        Assert.StartsWith("3 rows", f.AfterFirstPlay["Cooperative.settlements"]); // Shangxiang 1, Changqiao 2 (the second pays out its troubles)
        Assert.StartsWith("1 rows", f.AfterFirstPlay["Cooperative.claims"]);
        Assert.StartsWith("1 rows", f.AfterFirstPlay["Dispatch.carrier_claims"]);
        var changed = f.AfterFirstPlay.Keys.Union(f.AfterSecondPlay.Keys)
            .Where(t => f.AfterFirstPlay.GetValueOrDefault(t) != f.AfterSecondPlay.GetValueOrDefault(t))
            .Select(t => $"{t}: {f.AfterFirstPlay.GetValueOrDefault(t)} → {f.AfterSecondPlay.GetValueOrDefault(t)}").ToList();
        Assert.True(changed.Count == 0, "changed by the second play:\n" + string.Join("\n", changed));
    }

    private async Task<List<JsonElement>> Orders()
    {
        var orders = new List<JsonElement>();
        foreach (var s in await SeasonFixture.AllAsync(f.Dispatcher, "/api/v1/tracking/shipments"))
        {
            var response = await f.Clerk.GetAsync($"{Cooperative}/orders/{s.GetProperty("orderId").GetGuid()}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            orders.Add(await response.Content.ReadFromJsonAsync<JsonElement>());
        }
        Assert.Equal(2, orders.Count);
        return orders;
    }

    private static string Summary(string output) => output[output.IndexOf("================", StringComparison.Ordinal)..];
}
