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

    [Fact]
    public async Task Returned_boxes_waiting_to_be_scanned_back_in_are_listed_oldest_first_with_order_buyer_and_lots_and_only_the_cooperatives_own()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        var harvested = Today.AddDays(-2);
        var receipt = await c.Harvest(grower, harvested, ("grade1", 20m));
        var buyer = await c.Buyer();
        var first = await c.Order(buyer, ("grade1", 10m, 700));
        var second = await c.Order(await c.Buyer("上海"), ("grade1", 10m, 700));
        await c.Post($"/api/v1/cooperative/orders/{first}/pack", new { });
        await c.Post($"/api/v1/cooperative/orders/{second}/pack", new { });
        var firstCodes = await TraceCodes(c, first);
        var secondCodes = await TraceCodes(c, second);
        var earlier = new DateTimeOffset(Today.AddDays(-1).ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(8));
        var later = earlier.AddHours(3);
        // The first order comes back whole, later; the second's second box comes back earlier, its first box arrived.
        await f.PublishAsync(Booked(c, Guid.NewGuid(), first, firstCodes, 1_000), Part(c, Guid.NewGuid(), first, "CO-A", PartOutcomes.Returned, later, firstCodes),
            Booked(c, Guid.NewGuid(), second, secondCodes, 1_000), Part(c, Guid.NewGuid(), second, "CO-B1", PartOutcomes.Delivered, earlier, secondCodes[0..1]),
            Part(c, Guid.NewGuid(), second, "CO-B2", PartOutcomes.Returned, earlier, secondCodes[1..2]));
        // Another cooperative's returned box is never on this list.
        var other = await f.NewCooperativeAsync();
        var (otherGrower, _) = await other.Grower();
        await other.Harvest(otherGrower, harvested, ("grade1", 5m));
        var foreign = await other.Order(await other.Buyer(), ("grade1", 5m, 700));
        await other.Post($"/api/v1/cooperative/orders/{foreign}/pack", new { });
        var foreignCodes = await TraceCodes(other, foreign);
        await f.PublishAsync(Booked(other, Guid.NewGuid(), foreign, foreignCodes, 500), Part(other, Guid.NewGuid(), foreign, "CO-X", PartOutcomes.Returned, earlier, foreignCodes));

        var listed = await Eventually.Until(() => Returns(c, "/api/v1/cooperative/returns?limit=500"), l => l.Count == 3, what: "three returned boxes listed");
        string[] expected = [secondCodes[1], .. firstCodes.Order(StringComparer.Ordinal)];
        Assert.Equal(expected, listed.Select(b => b.GetProperty("traceCode").GetString()));
        var box = listed[0];
        Assert.Equal(second, box.GetProperty("orderId").GetGuid());
        Assert.Equal("京味餐厅", box.GetProperty("buyerName").GetString());
        Assert.Equal("上海", box.GetProperty("buyerCity").GetString());
        Assert.Equal("grade1", box.GetProperty("grade").GetString());
        Assert.Equal(5m, box.GetProperty("netKg").GetDecimal());
        Assert.Equal("CO-B2", box.GetProperty("carrierOrderId").GetString());
        Assert.Equal("SF1000000001", box.GetProperty("waybillNo").GetString());
        Assert.Equal(earlier, box.GetProperty("endedAt").GetDateTimeOffset());
        Assert.Equal($"{harvested:yyyy-MM-dd}", box.GetProperty("harvestedOn").GetString());
        var lot = Assert.Single(box.GetProperty("sources").EnumerateArray());
        Assert.Equal((receipt, grower, 5m), (lot.GetProperty("receiptId").GetGuid(), lot.GetProperty("growerId").GetGuid(), lot.GetProperty("kg").GetDecimal()));
        Assert.Equal(buyer, listed[1].GetProperty("buyerId").GetGuid());
        Assert.Equal(later, listed[1].GetProperty("endedAt").GetDateTimeOffset());
        Assert.Equal(foreignCodes.Order(StringComparer.Ordinal), (await Returns(other, "/api/v1/cooperative/returns")).Select(b => b.GetProperty("traceCode").GetString()));

        // Paged like every list: two, then the third.
        var page = await c.Http.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/returns?limit=2");
        var next = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/returns?limit=2&after={Uri.EscapeDataString(page.GetProperty("next").GetString()!)}");
        Assert.Equal(expected, page.GetProperty("items").EnumerateArray().Concat(next.GetProperty("items").EnumerateArray()).Select(b => b.GetProperty("traceCode").GetString()));
        Assert.Equal(JsonValueKind.Null, next.GetProperty("next").ValueKind);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await c.Http.GetAsync("/api/v1/cooperative/returns?after=bm90LWEtY3Vyc29y")).StatusCode);

        // Scanned back in (restocked or written off), a box leaves the list.
        await c.Post($"/api/v1/cooperative/orders/{second}/returns", new { traceCodes = secondCodes[1..2], disposition = "write_off", reason = "压坏" });
        await c.Post($"/api/v1/cooperative/orders/{first}/returns", new { traceCodes = expected[1..2], disposition = "restock" });
        Assert.Equal([expected[2]], (await Returns(c, "/api/v1/cooperative/returns")).Select(b => b.GetProperty("traceCode").GetString()));
    }

    private static async Task<List<JsonElement>> Returns(ClerkSession c, string path) =>
        (await c.Http.GetFromJsonAsync<JsonElement>(path)).GetProperty("items").EnumerateArray().ToList();

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
