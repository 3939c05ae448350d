using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MelonChain.Cooperative.Tests;

/// <summary>统一代销: orders packed into traced boxes from the oldest stock, never more than there is.</summary>
public class PackingFlowTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static DateOnly Today => CooperativeFixture.Today;

    [Fact]
    public async Task Packing_fills_one_grade_boxes_from_the_oldest_harvest_and_records_every_boxs_growers()
    {
        var c = await f.NewCooperativeAsync();
        var (older, olderNo) = await c.Grower();
        var (newer, _) = await c.Grower();
        await c.Harvest(newer, Today, ("grade1", 30m), ("premium", 10m));
        await c.Harvest(older, Today.AddDays(-2), ("grade1", 12.3m));
        var order = await c.Order(await c.Buyer(), ("grade1", 22m, 800), ("premium", 7.5m, 1_600));

        var packed = await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });

        var boxes = packed.GetProperty("boxes").EnumerateArray().ToList();
        Assert.Equal([5m, 5m, 5m, 5m, 2m], boxes.Where(b => b.GetProperty("grade").GetString() == "grade1").Select(b => b.GetProperty("netKg").GetDecimal()));
        Assert.Equal([5m, 2.5m], boxes.Where(b => b.GetProperty("grade").GetString() == "premium").Select(b => b.GetProperty("netKg").GetDecimal()));
        foreach (var box in boxes)
            Assert.Equal(box.GetProperty("netKg").GetDecimal(), box.GetProperty("sources").EnumerateArray().Sum(s => s.GetProperty("kg").GetDecimal()));
        // FIFO: the older grower's 12.3 kg goes first, all of it.
        var grade1Sources = boxes.Where(b => b.GetProperty("grade").GetString() == "grade1").SelectMany(b => b.GetProperty("sources").EnumerateArray()).ToList();
        Assert.Equal(12.3m, grade1Sources.Where(s => s.GetProperty("growerId").GetGuid() == older).Sum(s => s.GetProperty("kg").GetDecimal()));
        Assert.Equal(older, boxes[0].GetProperty("sources")[0].GetProperty("growerId").GetGuid());
        Assert.Equal(boxes.Count, boxes.Select(b => b.GetProperty("traceCode").GetString()).Distinct().Count());

        var requested = await Eventually.Until(() => f.Broker.TakeAsync(f.RequestedQueue), m => m.Any(e => e.GetProperty("orderId").GetGuid() == order));
        var e = requested.Single(x => x.GetProperty("orderId").GetGuid() == order);
        Assert.Equal("北京", e.GetProperty("destination").GetProperty("city").GetString());
        Assert.Equal("express", e.GetProperty("product").GetString());
        var first = e.GetProperty("boxes")[0];
        Assert.Equal(40, first.GetProperty("lengthCm").GetInt32());
        Assert.Equal(olderNo, first.GetProperty("sources")[0].GetProperty("memberNo").GetString());
        Assert.Equal("上巷村", first.GetProperty("sources")[0].GetProperty("village").GetString());
        Assert.Equal(Today.AddDays(-2).ToString("yyyy-MM-dd"), first.GetProperty("sources")[0].GetProperty("harvestedOn").GetString());
    }

    [Fact]
    public async Task Not_enough_stock_is_409_naming_what_is_short_and_allocates_nothing()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        await c.Harvest(grower, Today, ("grade1", 40m), ("grade2", 5m));
        var order = await c.Order(await c.Buyer(), ("grade1", 30m, 800), ("grade2", 6m, 500));

        var response = await c.Http.PostAsJsonAsync($"/api/v1/cooperative/orders/{order}/pack", new { });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var shortage = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("shortages").EnumerateArray().Single();
        Assert.Equal("grade2", shortage.GetProperty("grade").GetString());
        Assert.Equal(5m, shortage.GetProperty("availableKg").GetDecimal());
        var stock = await c.Http.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/stock");
        Assert.Equal(40m, stock.GetProperty("grades").EnumerateArray().Single(g => g.GetProperty("grade").GetString() == "grade1").GetProperty("availableKg").GetDecimal());
        Assert.Equal(0, await f.CountAsync("select count(*) from boxes where order_id = @order", new { order }));
    }

    [Fact]
    public async Task Lots_older_than_four_days_are_packed_only_with_an_explicit_override()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        await c.Harvest(grower, Today.AddDays(-6), ("grade2", 10m));
        var order = await c.Order(await c.Buyer(), ("grade2", 10m, 500));

        Assert.Equal(HttpStatusCode.Conflict, (await c.Http.PostAsJsonAsync($"/api/v1/cooperative/orders/{order}/pack", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await c.Http.PostAsJsonAsync($"/api/v1/cooperative/orders/{order}/pack", new { allowOldLots = true })).StatusCode);
    }

    [Fact]
    public async Task Each_packed_box_source_carries_the_grower_of_its_lot_so_settlement_sums_without_reading_lots()
    {
        var c = await f.NewCooperativeAsync();
        var (first, _) = await c.Grower();
        var (second, _) = await c.Grower();
        await c.Harvest(first, Today, ("grade1", 12m));
        await c.Harvest(second, Today, ("grade1", 12m));
        var order = await c.Order(await c.Buyer(), ("grade1", 20m, 800));

        Assert.Equal(HttpStatusCode.OK, (await c.Http.PostAsJsonAsync($"/api/v1/cooperative/orders/{order}/pack", new { })).StatusCode);

        const string Sources = "from box_sources s join boxes b on b.trace_code = s.trace_code join lots l on l.id = s.lot_id where b.order_id = @order";
        Assert.Equal(2, await f.CountAsync($"select count(distinct s.grower_id) {Sources}", new { order }));
        Assert.Equal(0, await f.CountAsync($"select count(*) {Sources} and (s.grower_id <> l.grower_id or s.under_contract <> (l.contract_id is not null))", new { order }));
    }

    [Fact]
    public async Task Two_orders_packed_at_once_for_the_same_stock_never_oversell()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        await c.Harvest(grower, Today, ("grade1", 50m));
        var buyer = await c.Buyer();
        var orders = new[] { await c.Order(buyer, ("grade1", 30m, 800)), await c.Order(buyer, ("grade1", 30m, 800)) };

        var responses = await Task.WhenAll(orders.Select(o => c.Http.PostAsJsonAsync($"/api/v1/cooperative/orders/{o}/pack", new { })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Conflict);
        Assert.Equal(30_000, await f.CountAsync(
            "select coalesce(sum(s.grams), 0) from box_sources s join boxes b on b.trace_code = s.trace_code where b.order_id = any(@orders)", new { orders }));
        Assert.Equal(0, await f.CountAsync("select count(*) from lots where allocated_grams > grams"));
    }

    [Fact]
    public async Task Cancelling_a_packed_order_returns_its_kilograms_to_stock_once_Dispatch_closed_the_pickup()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        await c.Harvest(grower, Today, ("premium", 12m));
        var order = await c.Order(await c.Buyer(), ("premium", 10m, 1_600));
        await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });

        var requested = await c.Post($"/api/v1/cooperative/orders/{order}/cancel", new { reason = "buyer changed plans" });
        Assert.Equal("cancel_requested", requested.GetProperty("status").GetString());
        await f.PublishAsync(new MelonChain.Messages.Dispatch.CancellationAnswered(Guid.NewGuid(), DateTimeOffset.UtcNow, c.CooperativeId, order,
            MelonChain.Messages.Dispatch.CancellationOutcomes.PickupClosed, "closed"));
        await Eventually.Until(() => c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{order}"),
            o => o.GetProperty("status").GetString() == "cancelled", TimeSpan.FromSeconds(30), "the order cancelled");

        var stock = await c.Http.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/stock");
        Assert.Equal(12m, stock.GetProperty("grades").EnumerateArray().Single(g => g.GetProperty("grade").GetString() == "premium").GetProperty("availableKg").GetDecimal());
        Assert.Equal(HttpStatusCode.Conflict, (await c.Http.PostAsJsonAsync($"/api/v1/cooperative/orders/{order}/cancel", new { })).StatusCode);
        var events = await Eventually.Until(() => f.Broker.TakeAsync(f.CancelledQueue), m => m.Any(e => e.GetProperty("orderId").GetGuid() == order));
        Assert.Equal("buyer changed plans", events.Single(e => e.GetProperty("orderId").GetGuid() == order).GetProperty("reason").GetString());
    }
}
