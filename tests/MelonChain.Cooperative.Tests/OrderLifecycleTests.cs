using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Messages.Dispatch;

namespace MelonChain.Cooperative.Tests;

/// <summary>Orders move one way: placed → packed → collected → delivered → settled, or cancelled — never two at once.</summary>
public class OrderLifecycleTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static DateOnly Today => CooperativeFixture.Today;

    [Fact]
    public async Task Packing_and_cancelling_at_once_end_in_one_outcome_and_each_side_wins_some_rounds()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        await c.Harvest(grower, Today, ("grade1", 1_000m));
        var buyer = await c.Buyer();
        var outcomes = new List<(HttpStatusCode Pack, HttpStatusCode Cancel)>();
        await f.Broker.TakeAsync(f.CancellationRequestedQueue);
        // Both requests are sent really in parallel, one of them up to 25 ms after the other (either side, seeded), so the
        // row lock goes sometimes to the pack and sometimes to the cancel: at least 20 rounds, and more (up to 60) until
        // each side has won one. A build where one side always wins fails here, whatever each round shows.
        var jitter = new Random(32);
        bool BothWon() => outcomes.Any(o => o.Pack == HttpStatusCode.OK) && outcomes.Any(o => o.Pack == HttpStatusCode.Conflict);
        for (var round = 0; round < 60 && (round < 20 || !BothWon()); round++)
        {
            var order = await c.Order(buyer, ("grade1", 15m, 800));
            var offset = jitter.Next(-25, 26);
            using var go = new SemaphoreSlim(0, 2);
            var pack = Task.Run(async () =>
            {
                await go.WaitAsync();
                if (offset > 0) await Task.Delay(offset);
                return await c.Http.PostAsJsonAsync($"/api/v1/cooperative/orders/{order}/pack", new { });
            });
            var cancel = Task.Run(async () =>
            {
                await go.WaitAsync();
                if (offset < 0) await Task.Delay(-offset);
                return await c.Http.PostAsJsonAsync($"/api/v1/cooperative/orders/{order}/cancel", new { reason = "buyer changed plans" });
            });
            go.Release(2);
            var (packed, cancelled) = (await pack, await cancel);
            outcomes.Add((packed.StatusCode, cancelled.StatusCode));

            var status = (await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{order}")).GetProperty("status").GetString();
            var boxes = await f.CountAsync("select count(*) from boxes where order_id = @order", new { order });
            if (packed.StatusCode == HttpStatusCode.OK)
            {
                // Packed first: the cancellation became a request to Dispatch and the boxes keep their stock meanwhile.
                Assert.Equal(HttpStatusCode.Accepted, cancelled.StatusCode);
                Assert.Equal("cancel_requested", status);
                Assert.Equal(3, boxes);
            }
            else
            {
                // Cancelled first: packing found nothing to pack.
                Assert.Equal(HttpStatusCode.Conflict, packed.StatusCode);
                Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
                Assert.Equal("cancelled", status);
                Assert.Equal(0, boxes);
            }
            // After every round, stock and boxes agree: every allocated gram is in a box of an order that is not cancelled.
            Assert.Equal(
                await f.CountAsync("select coalesce(sum(allocated_grams), 0) from lots where cooperative_id = @Coop", new { Coop = c.CooperativeId }),
                await f.CountAsync("select coalesce(sum(b.net_grams), 0) from boxes b join orders o on o.id = b.order_id where o.cooperative_id = @Coop and o.cancelled_at is null",
                    new { Coop = c.CooperativeId }));
        }
        Assert.True(BothWon(), $"one side won every one of {outcomes.Count} rounds: " +
            string.Join(", ", outcomes.GroupBy(o => o).Select(g => $"pack {(int)g.Key.Pack} cancel {(int)g.Key.Cancel} × {g.Count()}")));
        // Every order that was packed and then cancelled asked Dispatch once; none that was cancelled outright did.
        var asked = outcomes.Count(o => o.Pack == HttpStatusCode.OK);
        var requests = (await f.Broker.TakeUntilAsync(f.CancellationRequestedQueue, m => m.Count >= asked, TimeSpan.FromSeconds(30),
            "a cancellation request per packed order")).Select(e => e.GetProperty("orderId").GetGuid()).ToList();
        Assert.Equal(asked, requests.Distinct().Count());
        Assert.Equal(asked, await f.CountAsync("select count(*) from orders where cooperative_id = @Coop and cancel_requested_at is not null and packed_at is not null",
            new { Coop = c.CooperativeId }));
    }

    [Fact]
    public async Task A_packed_orders_cancellation_waits_for_Dispatch_and_returns_stock_only_when_confirmed()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        await c.Harvest(grower, Today, ("grade1", 40m));
        var buyer = await c.Buyer();
        var closed = await c.Order(buyer, ("grade1", 10m, 800));
        var collected = await c.Order(buyer, ("grade1", 10m, 800));
        await c.Post($"/api/v1/cooperative/orders/{closed}/pack", new { });
        await c.Post($"/api/v1/cooperative/orders/{collected}/pack", new { });

        foreach (var order in new[] { closed, collected })
        {
            var response = await c.Http.PostAsJsonAsync($"/api/v1/cooperative/orders/{order}/cancel", new { reason = "buyer cancelled" });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal("cancel_requested", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }
        Assert.Equal(20m, await AvailableKg(c));
        var requested = await f.Broker.TakeUntilAsync(f.CancellationRequestedQueue,
            m => m.Count(e => e.GetProperty("orderId").GetGuid() is var id && (id == closed || id == collected)) == 2, TimeSpan.FromSeconds(30), "both requests");
        Assert.All(requested.Where(e => e.GetProperty("orderId").GetGuid() is var id && (id == closed || id == collected)),
            r => Assert.Equal("buyer cancelled", r.GetProperty("reason").GetString()));

        await f.PublishAsync(
            new CancellationAnswered(Guid.NewGuid(), DateTimeOffset.UtcNow, c.CooperativeId, closed, CancellationOutcomes.PickupClosed, "closed"),
            new CancellationAnswered(Guid.NewGuid(), DateTimeOffset.UtcNow, c.CooperativeId, collected, CancellationOutcomes.AlreadyCollected, "in the van"));

        await Eventually.Until(() => Status(c, closed), s => s == "cancelled", TimeSpan.FromSeconds(30), "the closed order cancelled");
        await Eventually.Until(() => Status(c, collected), s => s == "collected", TimeSpan.FromSeconds(30), "the collected order going on");
        Assert.Equal(30m, await AvailableKg(c));
        Assert.Equal(HttpStatusCode.Conflict, (await c.Http.PostAsJsonAsync($"/api/v1/cooperative/orders/{collected}/cancel", new { })).StatusCode);
        var cancelledEvents = await f.Broker.TakeUntilAsync(f.CancelledQueue, m => m.Any(e => e.GetProperty("orderId").GetGuid() == closed),
            TimeSpan.FromSeconds(30), "OrderCancelled for the closed order");
        Assert.DoesNotContain(cancelledEvents, e => e.GetProperty("orderId").GetGuid() == collected);
    }

    [Fact]
    public async Task A_placed_order_is_cancelled_at_once()
    {
        var c = await f.NewCooperativeAsync();
        var order = await c.Order(await c.Buyer(), ("grade1", 10m, 800));
        var response = await c.Http.PostAsJsonAsync($"/api/v1/cooperative/orders/{order}/cancel", new { });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cancelled", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(0.001, 5)]
    [InlineData(0.999, 5)]
    [InlineData(30.001, 60)]
    [InlineData(5, 10_005)]
    [InlineData(1, 2_000.5)]
    public async Task A_box_holds_1_to_30_kg_and_an_order_at_most_2000_boxes(decimal boxNetKg, decimal kg)
    {
        var c = await f.NewCooperativeAsync();
        var buyer = await c.Buyer();
        var response = await c.Http.PostAsJsonAsync("/api/v1/cooperative/orders", new
        {
            buyerId = buyer, destination = new { city = "北京", address = "朝阳区建国路88号", contactName = "王经理", phone = "13911112222" },
            lines = new[] { new { grade = "grade1", kg, priceFenPerKg = 800 } }, boxNetKg,
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(0, await f.CountAsync("select count(*) from orders where cooperative_id = @Coop", new { Coop = c.CooperativeId }));
    }

    [Fact]
    public async Task An_order_of_exactly_2000_boxes_of_30_kg_is_accepted()
    {
        var c = await f.NewCooperativeAsync();
        var buyer = await c.Buyer();
        var response = await c.Http.PostAsJsonAsync("/api/v1/cooperative/orders", new
        {
            buyerId = buyer, destination = new { city = "北京", address = "朝阳区建国路88号", contactName = "王经理", phone = "13911112222" },
            lines = new[] { new { grade = "grade1", kg = 30_000m, priceFenPerKg = 800 }, new { grade = "grade2", kg = 30_000m, priceFenPerKg = 400 } },
            boxNetKg = 30m,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static async Task<string?> Status(ClerkSession c, Guid order) =>
        (await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{order}")).GetProperty("status").GetString();

    private static async Task<decimal> AvailableKg(ClerkSession c) =>
        (await c.Http.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/stock")).GetProperty("grades").EnumerateArray()
            .Where(g => g.GetProperty("grade").GetString() == "grade1").Sum(g => g.GetProperty("availableKg").GetDecimal());
}
