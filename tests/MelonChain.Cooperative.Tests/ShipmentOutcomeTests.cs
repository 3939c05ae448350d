using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Messages.Dispatch;

namespace MelonChain.Cooperative.Tests;

/// <summary>
/// When parcels do not arrive (R13): every box ends delivered, returned or lost, part by part; the order is delivered,
/// partly delivered or undelivered; settlement takes it once every box has an outcome, with revenue for what arrived.
/// </summary>
public class ShipmentOutcomeTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static DateOnly Today => CooperativeFixture.Today;

    [Fact]
    public async Task A_four_part_shipment_with_one_part_returned_is_partly_delivered_and_settles_the_delivered_boxes_with_all_freight()
    {
        var c = await f.NewCooperativeAsync(commissionBps: 500, boxFeeFen: 300);
        var (grower, _) = await c.Grower();
        var harvested = Today.AddDays(-2);
        await c.Harvest(grower, harvested, ("grade1", 40m));
        var order = await c.Order(await c.Buyer(), ("grade1", 40m, 700));
        await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });
        var codes = await TraceCodes(c, order);
        Assert.Equal(8, codes.Count);
        var endedAt = new DateTimeOffset(Today.AddDays(-1).ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8));
        var shipment = Guid.NewGuid();
        await f.PublishAsync(Booked(c, shipment, order, codes, freightFen: 8_000));

        // Three parts arrive; before the fourth has ended the order is still on its way and cannot settle.
        await f.PublishAsync(Part(c, shipment, order, "CO-1", PartOutcomes.Delivered, endedAt, codes[0..2]),
            Part(c, shipment, order, "CO-2", PartOutcomes.Delivered, endedAt, codes[2..4]),
            Part(c, shipment, order, "CO-3", PartOutcomes.Delivered, endedAt, codes[4..6]));
        var midway = await Eventually.Until(() => c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{order}"),
            o => Outcomes(o).Count(x => x == "delivered") == 6, what: "six boxes delivered");
        Assert.Equal("collected", midway.GetProperty("status").GetString());
        Assert.Equal(["in_transit", "in_transit"], Outcomes(midway).Skip(6));
        var early = await Settle(c, $"{Today.AddDays(-3):yyyy-MM-dd}", $"{Today.AddDays(-1):yyyy-MM-dd}");
        Assert.Equal(0, early.GetProperty("orders").GetInt32());

        // The fourth part is refused and carried back: the order is partly delivered.
        await f.PublishAsync(Part(c, shipment, order, "CO-4", PartOutcomes.Returned, endedAt.AddHours(5), codes[6..8]));
        var ended = await Eventually.Until(() => c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{order}"),
            o => o.GetProperty("status").GetString() == "partly_delivered", what: "the order partly delivered");
        Assert.Equal(["delivered", "delivered", "delivered", "delivered", "delivered", "delivered", "returned", "returned"], Outcomes(ended));
        Assert.Equal("partly_delivered", ended.GetProperty("outcome").GetString());

        // Carried over into the next period: it ended before the early settlement, but had not ended for every box then.
        var s = await Settle(c, $"{Today:yyyy-MM-dd}", $"{Today:yyyy-MM-dd}");
        var t = s.GetProperty("totals");
        Assert.Equal(1, s.GetProperty("orders").GetInt32());
        Assert.Equal(30 * 700, t.GetProperty("revenueFen").GetInt64());          // the six boxes that arrived, 5 kg each
        Assert.Equal(8_000, t.GetProperty("freightFen").GetInt64());             // every carrier order is charged, the return too
        Assert.Equal(8 * 300, t.GetProperty("packagingFen").GetInt64());         // every box was packed
        Assert.Equal(1_050, t.GetProperty("commissionFen").GetInt64());          // 5% of 21,000
        Assert.Equal(21_000 - 8_000 - 2_400 - 1_050, t.GetProperty("payoutFen").GetInt64());
        SettlementInvariant.Holds(s);
        Assert.Equal("settled", (await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{order}")).GetProperty("status").GetString());

        // The two returned boxes are on their way back until the clerk scans them in; restocked, their lot is back in
        // stock with its old harvest date (freshness rules still apply), and a second scan is refused.
        var before = Grade1(await c.Http.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/stock"));
        Assert.Equal(2, before.GetProperty("returningBoxes").GetInt32());
        Assert.Equal(10m, before.GetProperty("returningKg").GetDecimal());
        Assert.Equal(0m, before.GetProperty("availableKg").GetDecimal());
        var back = await c.Post($"/api/v1/cooperative/orders/{order}/returns", new { traceCodes = codes[6..8], disposition = "restock", reason = "拒收" });
        Assert.Equal(["restock", "restock"], back.GetProperty("boxes").EnumerateArray().Skip(6).Select(b => b.GetProperty("returned").GetString()));
        var after = Grade1(await c.Http.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/stock"));
        Assert.Equal(0, after.GetProperty("returningBoxes").GetInt32());
        Assert.Equal(10m, after.GetProperty("availableKg").GetDecimal());
        Assert.Equal($"{harvested:yyyy-MM-dd}", after.GetProperty("oldestHarvest").GetString());
        var again = await c.Http.PostAsJsonAsync($"/api/v1/cooperative/orders/{order}/returns", new { traceCodes = codes[6..7], disposition = "restock" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var delivered = await c.Http.PostAsJsonAsync($"/api/v1/cooperative/orders/{order}/returns", new { traceCodes = codes[0..1], disposition = "write_off", reason = "烂" });
        Assert.Equal(HttpStatusCode.Conflict, delivered.StatusCode);
        Assert.Equal(10m, Grade1(await c.Http.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/stock")).GetProperty("availableKg").GetDecimal());
    }

    [Fact]
    public async Task A_returned_box_written_off_stays_out_of_stock_with_its_reason_and_needs_one()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        await c.Harvest(grower, Today, ("grade1", 10m));
        var order = await c.Order(await c.Buyer(), ("grade1", 10m, 700));
        await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });
        var codes = await TraceCodes(c, order);
        var shipment = Guid.NewGuid();
        await f.PublishAsync(Booked(c, shipment, order, codes, 1_000), Part(c, shipment, order, "CO-1", PartOutcomes.Returned, DateTimeOffset.UtcNow, codes));
        await Eventually.Until(() => c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{order}"),
            x => x.GetProperty("status").GetString() == "undelivered", what: "the order undelivered");

        var noReason = await c.Http.PostAsJsonAsync($"/api/v1/cooperative/orders/{order}/returns", new { traceCodes = codes, disposition = "write_off" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        Assert.Contains("reason", await noReason.Content.ReadAsStringAsync());
        var back = await c.Post($"/api/v1/cooperative/orders/{order}/returns", new { traceCodes = codes, disposition = "write_off", reason = "途中挤压腐烂" });
        Assert.All(back.GetProperty("boxes").EnumerateArray(), b => Assert.Equal("write_off", b.GetProperty("returned").GetString()));
        var stock = Grade1(await c.Http.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/stock"));
        Assert.Equal(0m, stock.GetProperty("availableKg").GetDecimal());
        Assert.Equal(0, stock.GetProperty("returningBoxes").GetInt32());
        Assert.Equal(2, await f.CountAsync("select count(*) from box_returns where order_id = @order and reason = '途中挤压腐烂'", new { order }));
    }

    private static JsonElement Grade1(JsonElement stock) =>
        stock.GetProperty("grades").EnumerateArray().Single(g => g.GetProperty("grade").GetString() == "grade1");

    [Fact]
    public async Task A_part_ending_before_the_booking_is_known_and_a_duplicated_part_count_once()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        await c.Harvest(grower, Today, ("grade1", 10m));
        var order = await c.Order(await c.Buyer(), ("grade1", 10m, 700));
        await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });
        var codes = await TraceCodes(c, order);
        var shipment = Guid.NewGuid();
        var endedAt = new DateTimeOffset(Today.AddDays(-1).ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8));
        var lost = Part(c, shipment, order, "CO-1", PartOutcomes.Lost, endedAt, codes[0..1]);
        // The same part told twice (a redelivery, and a re-publication as a new event after a crash), the other part at once.
        await f.PublishAsync(lost, lost, lost with { EventId = Guid.NewGuid() },
            Part(c, shipment, order, "CO-2", PartOutcomes.Lost, endedAt, codes[1..2]));
        var o = await Eventually.Until(() => c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{order}"),
            x => x.GetProperty("status").GetString() == "undelivered", what: "the order undelivered");
        Assert.Equal(["lost", "lost"], Outcomes(o));

        // No freight known yet: it waits for the booking, then settles with no revenue and the freight charged.
        var waiting = await Settle(c, $"{Today.AddDays(-3):yyyy-MM-dd}", $"{Today.AddDays(-1):yyyy-MM-dd}");
        Assert.Equal(0, waiting.GetProperty("orders").GetInt32());
        await f.PublishAsync(Booked(c, shipment, order, codes, freightFen: 2_000));
        await Eventually.Until(() => c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{order}"),
            x => x.GetProperty("freightFen").ValueKind == JsonValueKind.Number, what: "the booking known");
        var s = await Settle(c, $"{Today:yyyy-MM-dd}", $"{Today:yyyy-MM-dd}");
        Assert.Equal(1, s.GetProperty("orders").GetInt32());
        Assert.Equal(0, s.GetProperty("totals").GetProperty("revenueFen").GetInt64());
        Assert.Equal(2_000, s.GetProperty("totals").GetProperty("freightFen").GetInt64());
        SettlementInvariant.Holds(s);
    }

    internal static ShipmentBooked Booked(ClerkSession c, Guid shipment, Guid order, IReadOnlyList<string> codes, long freightFen) =>
        new(Guid.NewGuid(), DateTimeOffset.UtcNow.AddDays(-3), c.CooperativeId, shipment, order, Guid.NewGuid(), "SF", "express", "SF1000000000001",
            codes.Select((code, i) => new BookedWaybill($"SF10000{i:D5}", code)).ToList(), 10_000, freightFen * 4 / 3, freightFen, DateTimeOffset.UtcNow);

    internal static ShipmentPartEnded Part(ClerkSession c, Guid shipment, Guid order, string carrierOrder, string outcome, DateTimeOffset endedAt, IReadOnlyList<string> codes) =>
        new(Guid.NewGuid(), endedAt, c.CooperativeId, shipment, order, carrierOrder, "SF1000000000001", outcome, endedAt, codes);

    internal static async Task<List<string>> TraceCodes(ClerkSession c, Guid order) =>
        (await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{order}")).GetProperty("boxes").EnumerateArray()
        .Select(b => b.GetProperty("traceCode").GetString()!).ToList();

    internal static List<string> Outcomes(JsonElement order) =>
        order.GetProperty("boxes").EnumerateArray().Select(b => b.GetProperty("outcome").GetString()!).ToList();

    internal static async Task<JsonElement> Settle(ClerkSession c, string from, string to) =>
        await c.Post("/api/v1/cooperative/settlements", new { from, to });
}
