using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Testing;

namespace MelonChain.Reliability.Tests;

/// <summary>
/// R8 through the Gateway, every service a process: a packed order's cancellation closes its pickup and returns its
/// stock; after collection it is refused, nothing returns to stock and the order is delivered and settled; an order of
/// 1,200 boxes is booked as several carrier orders and settles to the fen.
/// </summary>
[Collection(SharedServers.Name)]
public class OrderLifecycleTests(SharedServersSystem f)
{
    private static async Task<Scenario> OwnCooperativeAsync(SharedServersSystem f) =>
        await Scenario.StartAsync(f.System, "r8-" + Guid.NewGuid().ToString("N")[..8]);

    private static async Task<decimal> PremiumInStockAsync(Scenario s) =>
        (await s.Clerk.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/stock")).GetProperty("grades").EnumerateArray()
            .Single(g => g.GetProperty("grade").GetString() == "premium").GetProperty("availableKg").GetDecimal();

    private static Task<JsonElement> OrderAsync(Scenario s, Guid orderId) => s.Clerk.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{orderId}");

    [Fact]
    public async Task Cancelling_a_packed_order_closes_its_pickup_and_returns_its_stock()
    {
        var s = await OwnCooperativeAsync(f);
        var (orderId, _) = await s.PackedOrderAsync(boxes: 3);
        var inStock = await PremiumInStockAsync(s);
        await Eventually.Until(() => f.System.ScalarAsync<string>("Dispatch", "select status from pickups where order_id = @orderId", new { orderId }),
            status => status == "open", TimeSpan.FromSeconds(60), "the pickup to open");

        using var cancel = await s.Clerk.PostAsJsonAsync($"/api/v1/cooperative/orders/{orderId}/cancel", new { reason = "buyer changed plans" });

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal("cancel_requested", (await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        await Eventually.Until(() => OrderAsync(s, orderId), o => o.GetProperty("status").GetString() == "cancelled", TimeSpan.FromSeconds(60), "the order cancelled");
        Assert.Equal("cancelled", await f.System.ScalarAsync<string>("Dispatch", "select status from pickups where order_id = @orderId", new { orderId }));
        Assert.Equal(inStock + 15m, await PremiumInStockAsync(s));
        var pickupId = await f.System.ScalarAsync<Guid>("Dispatch", "select id from pickups where order_id = @orderId", new { orderId });
        using var accept = await s.Courier.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null);
        Assert.Equal(HttpStatusCode.Conflict, accept.StatusCode);
    }

    [Fact]
    public async Task A_cancellation_after_collection_is_refused_and_the_order_is_delivered_and_settled()
    {
        var s = await OwnCooperativeAsync(f);
        var (orderId, codes) = await s.PackedOrderAsync(boxes: 2);
        var inStock = await PremiumInStockAsync(s);
        var pickupId = await s.AcceptPickupAsync(orderId);
        await s.CollectAsync(pickupId, codes);

        // The clerk's cancel may reach the Cooperative before ShipmentBooked does (202, then refused) or after (409).
        using var cancel = await s.Clerk.PostAsJsonAsync($"/api/v1/cooperative/orders/{orderId}/cancel", new { reason = "too late" });
        Assert.True(cancel.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.Conflict, $"{(int)cancel.StatusCode} {await cancel.Content.ReadAsStringAsync()}");

        var delivered = await Eventually.Until(() => OrderAsync(s, orderId), o => o.GetProperty("status").GetString() == "delivered"
            && o.GetProperty("freightFen").ValueKind == JsonValueKind.Number, TimeSpan.FromSeconds(90), "the order delivered");
        Assert.Equal(inStock, await PremiumInStockAsync(s));
        Assert.Equal("collected", await f.System.ScalarAsync<string>("Dispatch", "select status from pickups where id = @pickupId", new { pickupId }));

        var settlement = await SettleThroughAsync(s, delivered);
        Assert.Equal(1, settlement.GetProperty("orders").GetInt32());
        Balances(settlement);
        Assert.Equal("settled", (await OrderAsync(s, orderId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_order_of_1200_boxes_is_booked_as_several_carrier_orders_and_settles_to_the_fen()
    {
        var s = await OwnCooperativeAsync(f);
        for (var i = 0; i < 4; i++)
        {
            var grower = await s.GrowerAsync();
            var receipt = await s.PostAsync(s.Clerk, "/api/v1/cooperative/receipts", Scenario.Receipt(grower, 1_530m));
            await s.PostAsync(s.Clerk, $"/api/v1/cooperative/receipts/{receipt.GetProperty("id").GetGuid()}/grading",
                new { lines = new[] { new { grade = "premium", kg = 1_500m } } });
        }
        var buyer = await s.PostAsync(s.Clerk, "/api/v1/cooperative/buyers",
            new { name = "北京新发地批发", city = "北京", address = "丰台区新发地", contactName = "李经理", phone = "13911113333" });
        var order = await s.PostAsync(s.Clerk, "/api/v1/cooperative/orders", new
        {
            buyerId = buyer.GetProperty("id").GetGuid(),
            destination = new { city = "北京", address = "丰台区新发地", contactName = "李经理", phone = "13911113333" },
            lines = new[] { new { grade = "premium", kg = 6_000m, priceFenPerKg = 1_600 } },
        });
        var orderId = order.GetProperty("id").GetGuid();
        var packed = await s.PostAsync(s.Clerk, $"/api/v1/cooperative/orders/{orderId}/pack", new { });
        var codes = packed.GetProperty("boxes").EnumerateArray().Select(b => b.GetProperty("traceCode").GetString()!).ToList();
        Assert.Equal(1_200, codes.Count);

        var pickupId = await s.AcceptPickupAsync(orderId);
        var shipment = await s.CollectAsync(pickupId, codes);

        Assert.Equal(4, shipment.GetProperty("carrierOrders").GetArrayLength());
        Assert.All(shipment.GetProperty("carrierOrders").EnumerateArray(), o => Assert.Equal(300, o.GetProperty("parcels").GetInt32()));
        var waybills = shipment.GetProperty("waybills").EnumerateArray().ToList();
        Assert.Equal(1_200, waybills.Select(w => w.GetProperty("waybillNo").GetString()).Distinct().Count());
        Assert.Equal(codes.Order(), waybills.Select(w => w.GetProperty("traceCode").GetString()!).Order());
        foreach (var o in shipment.GetProperty("carrierOrders").EnumerateArray())
            Assert.Equal(300, (await f.CarrierOrderAsync(o.GetProperty("carrierOrderId").GetString()!))!.Value.GetProperty("waybills").GetArrayLength());

        var delivered = await Eventually.Until(() => OrderAsync(s, orderId), o => o.GetProperty("status").GetString() == "delivered"
            && o.GetProperty("freightFen").ValueKind == JsonValueKind.Number, TimeSpan.FromSeconds(120), "all four carrier orders delivered");
        Assert.Equal(shipment.GetProperty("negotiatedFen").GetInt64(), delivered.GetProperty("freightFen").GetInt64());
        var settlement = await SettleThroughAsync(s, delivered);
        Balances(settlement);
        Assert.Equal(6_000 * 1_600, settlement.GetProperty("totals").GetProperty("revenueFen").GetInt64());
        Assert.Equal(1_200 * 300, settlement.GetProperty("totals").GetProperty("packagingFen").GetInt64());
    }

    /// <summary>Settles the week up to the order's delivery (the carrier's clock runs ahead of today).</summary>
    private static async Task<JsonElement> SettleThroughAsync(Scenario s, JsonElement deliveredOrder)
    {
        var to = DateOnly.FromDateTime(deliveredOrder.GetProperty("deliveredAt").GetDateTimeOffset().UtcDateTime.AddHours(8));
        return await s.PostAsync(s.Clerk, "/api/v1/cooperative/settlements", new { from = to.AddDays(-6).ToString("yyyy-MM-dd"), to = to.ToString("yyyy-MM-dd") },
            key: Guid.NewGuid().ToString());
    }

    private static void Balances(JsonElement settlement)
    {
        var t = settlement.GetProperty("totals");
        Assert.Equal(t.GetProperty("revenueFen").GetInt64(),
            t.GetProperty("payoutFen").GetInt64() + t.GetProperty("freightFen").GetInt64() + t.GetProperty("packagingFen").GetInt64() + t.GetProperty("commissionFen").GetInt64());
        Assert.Equal(t.GetProperty("payoutFen").GetInt64(), settlement.GetProperty("statements").EnumerateArray().Sum(x => x.GetProperty("payoutFen").GetInt64()));
    }
}
