extern alias dispatch;
using System.Text.Json;
using MelonChain.Messages;
using MelonChain.Messages.Cooperative;
using MelonChain.Messages.Dispatch;
using CollectPickup = dispatch::MelonChain.Dispatch.Features.Pickups.CollectPickup;

namespace MelonChain.Reliability.Tests;

/// <summary>
/// R2, the other half: events that reach a consumer for the first time in the wrong order (not copies stopped by the
/// inbox). A subscriber is cut off one event while the real flow runs, so it sees the later event first, then the
/// held-back one is delivered.
/// </summary>
[Collection(SharedServers.Name)]
public class FirstDeliveryOrderTests(SharedServersSystem f)
{
    private static string Name<T>() => EventCatalogue.NameOf(typeof(T));

    [Fact]
    public async Task The_Cooperative_hearing_of_a_delivery_before_its_booking_ends_with_the_order_delivered_and_its_freight_charged()
    {
        const string queue = "cooperative-shipment-booked";
        await f.VirtualHost.UnsubscribeAsync(Name<ShipmentBooked>(), queue);
        JsonElement shipment;
        Guid orderId;
        try
        {
            List<string> codes;
            (orderId, codes) = await f.Scenario.PackedOrderAsync(boxes: 2);
            shipment = await f.Scenario.CollectAsync(await f.Scenario.AcceptPickupAsync(orderId), codes);
            // ShipmentDelivered arrives and is applied while ShipmentBooked has not reached the Cooperative at all.
            await Eventually.Until(() => f.System.ScalarAsync<bool>("Cooperative", "select delivered_at is not null from orders where id = @orderId", new { orderId }),
                delivered => delivered, TimeSpan.FromSeconds(60), "the delivery applied first");
            Assert.Equal(0, await f.System.ScalarAsync<long>("Cooperative", "select coalesce(freight_fen, 0) from orders where id = @orderId", new { orderId }));
        }
        finally
        {
            await f.VirtualHost.SubscribeAsync(Name<ShipmentBooked>(), queue);
        }
        var shipmentId = shipment.GetProperty("id").GetGuid();
        await f.QuietAsync();
        var booked = Assert.Single(await f.Tap.AllAsync(), e => e.Type == nameof(ShipmentBooked) && e.Message.GetProperty("shipmentId").GetGuid() == shipmentId);

        await f.Tap.RepublishAsync(booked); // its first delivery to the Cooperative (Tracking's inbox stops its copy)
        await f.QuietAsync();

        var order = await f.System.ScalarAsync<string>("Cooperative",
            "select json_build_object('shipment', shipment_id, 'freight', freight_fen, 'delivered', delivered_at is not null, 'collected', collected_at is not null, 'onTime', on_time)::text from orders where id = @orderId",
            new { orderId });
        var row = JsonDocument.Parse(order!).RootElement;
        Assert.Equal(shipmentId, row.GetProperty("shipment").GetGuid());
        Assert.Equal(shipment.GetProperty("negotiatedFen").GetInt64(), row.GetProperty("freight").GetInt64());
        Assert.True(row.GetProperty("delivered").GetBoolean() && row.GetProperty("collected").GetBoolean());
        Assert.Empty((await f.Tap.QueuesAsync()).DeadLettered);
    }

    [Fact]
    public async Task ContractGrowing_hearing_of_a_grading_before_its_receipt_counts_the_delivery_once_with_its_grades()
    {
        const string queue = "growing-harvest-received";
        var contractId = await f.Scenario.SignedContractAsync();
        var grower = await f.Scenario.GrowerAsync(contractId);
        await f.VirtualHost.UnsubscribeAsync(Name<HarvestReceived>(), queue);
        Guid receiptId;
        try
        {
            var receipt = await f.Scenario.PostAsync(f.Scenario.Clerk, "/api/v1/cooperative/receipts", Scenario.Receipt(grower, 40.5m));
            receiptId = receipt.GetProperty("id").GetGuid();
            await f.Scenario.PostAsync(f.Scenario.Clerk, $"/api/v1/cooperative/receipts/{receiptId}/grading",
                new { lines = new[] { new { grade = "premium", kg = 30m }, new { grade = "grade1", kg = 10m } } });
            await Eventually.Until(() => f.System.ScalarAsync<long>("ContractGrowing", "select count(*) from graded_deliveries where receipt_id = @receiptId", new { receiptId }),
                n => n == 2, TimeSpan.FromSeconds(60), "the grading applied first");
            Assert.Equal(0, await f.System.ScalarAsync<long>("ContractGrowing", "select count(*) from deliveries where receipt_id = @receiptId", new { receiptId }));
        }
        finally
        {
            await f.VirtualHost.SubscribeAsync(Name<HarvestReceived>(), queue);
        }
        await f.QuietAsync();
        var received = Assert.Single(await f.Tap.AllAsync(), e => e.Type == nameof(HarvestReceived) && e.Message.GetProperty("receiptId").GetGuid() == receiptId);

        await f.Tap.RepublishAsync(received);
        await f.QuietAsync();

        Assert.Equal(40_500, await f.System.ScalarAsync<long>("ContractGrowing", "select gross_grams from deliveries where receipt_id = @receiptId", new { receiptId }));
        Assert.Equal(40_000, await f.System.ScalarAsync<long>("ContractGrowing", "select sum(grams) from graded_deliveries where receipt_id = @receiptId", new { receiptId }));
        Assert.Equal(1, await f.System.ScalarAsync<long>("ContractGrowing", "select count(*) from deliveries where receipt_id = @receiptId and contract_id = @contractId",
            new { receiptId, contractId })); // counted once, towards its contract
        Assert.Empty((await f.Tap.QueuesAsync()).DeadLettered);
    }

    [Fact]
    public async Task Route_records_pushed_before_the_booking_commits_are_applied_when_it_commits()
    {
        var (orderId, codes) = await f.Scenario.PackedOrderAsync(boxes: 2);
        var pickupId = await f.Scenario.AcceptPickupAsync(orderId);
        var shipmentId = await f.System.ScalarAsync<Guid>("Dispatch", "select shipment_id from pickups where id = @pickupId", new { pickupId });
        // The carrier takes the order and starts pushing its route while its answer to Dispatch is still on the way.
        await f.SetCarrierFaultsAsync(new { answerDelayMs = 4_000 });
        JsonElement shipment;
        List<(string OpCode, DateTimeOffset At)> early;
        try
        {
            var collect = f.Scenario.CollectAsync(pickupId, codes);
            var taken = await Eventually.Until(() => f.CarrierOrderAsync(CollectPickup.CarrierOrderId(shipmentId)), o => o is not null,
                TimeSpan.FromSeconds(30), "the carrier to take the order");
            var waybills = taken!.Value.GetProperty("waybills").EnumerateArray().Select(w => w.GetString()!).ToArray();
            early = (await Eventually.Until(() => f.System.QueryAsync<(string OpCode, DateTimeOffset At)>("Dispatch",
                    "select op_code, accept_time from unmatched_route_records where waybill_no = any(@waybills)", new { waybills }),
                r => r.Count > 0, TimeSpan.FromSeconds(30), "a push to overtake the booking")).ToList();
            shipment = await collect;
        }
        finally
        {
            await f.SetCarrierFaultsAsync(new { });
        }

        var applied = await f.System.QueryAsync<(string OpCode, DateTimeOffset At)>("Dispatch",
            "select op_code, accept_time from route_records where shipment_id = @shipmentId", new { shipmentId });
        Assert.All(early, r => Assert.Contains(r, applied));
        Assert.Equal(0, await f.System.ScalarAsync<long>("Dispatch",
            "select count(*) from unmatched_route_records u join waybills w on w.waybill_no = u.waybill_no where w.shipment_id = @shipmentId", new { shipmentId }));
        var master = shipment.GetProperty("masterWaybillNo").GetString()!;
        await Eventually.Found(f.Scenario.Clerk, $"/api/v1/tracking/shipments/{master}",
            s => s.GetProperty("shipment").GetProperty("status").GetString() == "delivered", TimeSpan.FromSeconds(60), "delivery seen by Tracking");
        await f.QuietAsync();
        Assert.Single(await f.Tap.AllAsync(), e => e.Type == nameof(ShipmentDelivered) && e.Message.GetProperty("shipmentId").GetGuid() == shipmentId);
    }
}
