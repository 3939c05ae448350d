using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Messages.Cooperative;
using MelonChain.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MelonChain.Dispatch.Tests;

public sealed class CancellationFixture : DispatchFixture
{
    // A slow clock: the carrier's own pickup is hours away, so only Dispatch's answer decides.
    protected override double SecondsPerDay => 3600;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Dispatch:Cancellations:BookingLeaseSeconds"] = "2",
    };
}

/// <summary>
/// R8 in Dispatch: a packed order's cancellation is a request that Dispatch answers once — pickup closed, carrier
/// order cancelled, or already collected — whatever the timing and however long the carrier is away.
/// </summary>
public class CancellationTests(CancellationFixture f) : IClassFixture<CancellationFixture>
{
    private static CancellationRequested Request(Guid orderId) =>
        new(Guid.NewGuid(), DateTimeOffset.UtcNow, "shangxiang", orderId, "buyer changed plans");

    private async Task<JsonElement> AnswerFor(Guid orderId) =>
        (await Eventually.Until(() => f.Events.PeekAsync("CancellationAnswered"), m => m.Any(e => e.GetProperty("orderId").GetGuid() == orderId),
            TimeSpan.FromSeconds(60), $"an answer for {orderId}")).Single(e => e.GetProperty("orderId").GetGuid() == orderId);

    [Fact]
    public async Task Cancelling_before_collection_closes_the_pickup_and_answers_pickup_closed()
    {
        var (pickupId, orderId, codes) = await f.OpenPickupAsync(2);
        await f.CourierA.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null);

        await f.PublishAsync(Request(orderId));

        Assert.Equal("pickup_closed", (await AnswerFor(orderId)).GetProperty("outcome").GetString());
        Assert.Equal("cancelled", await f.ScalarAsync<string>("select status from pickups where id = @pickupId", new { pickupId }));
        var collect = await f.CourierA.PostAsJsonAsync($"/api/v1/dispatch/pickups/{pickupId}/collect", new { traceCodes = codes });
        Assert.Equal(HttpStatusCode.Conflict, collect.StatusCode);
        Assert.Null(await f.ScalarAsync<Guid?>("select id from shipments where order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task A_cancellation_racing_its_shipment_request_never_leaves_an_open_pickup()
    {
        var orders = new List<Guid>();
        var events = new List<MelonChain.Messages.IEvent>();
        for (var i = 0; i < 15; i++)
        {
            var orderId = Guid.NewGuid();
            orders.Add(orderId);
            var code = $"R{orderId.ToString("N")[..8].ToUpperInvariant()}";
            events.Add(new ShipmentRequested(Guid.NewGuid(), DateTimeOffset.UtcNow, "shangxiang", orderId, Guid.NewGuid(),
                new Destination("Beijing", "朝阳区建国路 88 号", "王经理", "13900001234"), "express",
                [new RequestedBox(code, "premium", 5000, 40, 30, 25, [])]));
            events.Add(Request(orderId));
        }

        // Both events of each order on their separate queues at the same moment.
        await Task.WhenAll(events.Select(e => f.PublishAsync(e)));

        foreach (var orderId in orders)
            Assert.Equal("pickup_closed", (await AnswerFor(orderId)).GetProperty("outcome").GetString());
        Assert.Equal(0, await f.ScalarAsync<long>("select count(*) from pickups where order_id = any(@orders) and status <> 'cancelled'", new { orders }));
    }

    [Fact]
    public async Task A_cancellation_after_collection_is_refused_and_the_carrier_order_stays_live()
    {
        var (pickupId, orderId, codes) = await f.OpenPickupAsync(3);
        await f.CourierA.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null);
        var (collected, _) = await f.CollectWithRetriesAsync(f.CourierA, pickupId, codes);
        Assert.Equal(HttpStatusCode.OK, collected.StatusCode);
        var shipment = await collected.Content.ReadFromJsonAsync<JsonElement>();

        await f.PublishAsync(Request(orderId));

        Assert.Equal("already_collected", (await AnswerFor(orderId)).GetProperty("outcome").GetString());
        var order = await f.Simulator.OrderAsync(shipment.GetProperty("carrierOrderId").GetString()!);
        Assert.False(order!.Value.GetProperty("cancelled").GetBoolean());
        Assert.Equal("pending", (await f.ShipmentAsync(shipment.GetProperty("id").GetGuid())).GetProperty("status").GetString());
    }

    [Fact]
    public async Task During_a_carrier_outage_a_cancellation_is_retried_until_the_carrier_confirms_it()
    {
        // The carrier takes the order but the courier's app never hears back: a live carrier order, no local booking.
        var (pickupId, orderId, carrierOrderId) = await BookedButUnrecordedAsync();

        // Then the carrier goes away entirely, longer than the circuit break and the old consumer's retries.
        await f.Simulator.SetFaultsAsync(new { outage = true });
        await f.PublishAsync(Request(orderId));
        // Four tries with backoff (1 + 2 + 4 s apart) outlast the circuit break and what the old consumer's retries covered.
        await Eventually.Until(() => f.ScalarAsync<int>("select tries from cancellation_requests where order_id = @orderId", new { orderId }),
            tries => tries >= 4, TimeSpan.FromSeconds(60), "the worker to keep asking the absent carrier");
        Assert.DoesNotContain(await f.Events.PeekAsync("CancellationAnswered"), e => e.GetProperty("orderId").GetGuid() == orderId);

        await f.Simulator.SetFaultsAsync(new { });

        Assert.Equal("carrier_order_cancelled", (await AnswerFor(orderId)).GetProperty("outcome").GetString());
        Assert.True((await f.Simulator.OrderAsync(carrierOrderId))!.Value.GetProperty("cancelled").GetBoolean());
        Assert.Equal("cancelled", await f.ScalarAsync<string>("select status from pickups where id = @pickupId", new { pickupId }));
        Assert.Null(await f.ScalarAsync<Guid?>("select id from shipments where order_id = @orderId", new { orderId }));
    }

    /// <summary>A pickup whose collection reached the carrier but never heard back: a live carrier order, no local booking.</summary>
    private async Task<(Guid PickupId, Guid OrderId, string CarrierOrderId)> BookedButUnrecordedAsync()
    {
        var (pickupId, orderId, codes) = await f.OpenPickupAsync(2);
        await f.CourierA.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null);
        var shipmentId = await f.ScalarAsync<Guid>("select shipment_id from pickups where id = @pickupId", new { pickupId });
        await f.Simulator.SetFaultsAsync(new { answerDelayMs = 6_000 });
        var lost = await f.CourierA.PostAsJsonAsync($"/api/v1/dispatch/pickups/{pickupId}/collect", new { traceCodes = codes });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, lost.StatusCode);
        var carrierOrderId = "MC" + shipmentId.ToString("N").ToUpperInvariant();
        await Eventually.Until(() => f.Simulator.OrderAsync(carrierOrderId), o => o is not null, TimeSpan.FromSeconds(10), "the carrier order");
        return (pickupId, orderId, carrierOrderId);
    }

    [Theory]
    [InlineData("signature")]
    [InlineData("token")]
    public async Task A_carrier_refusing_a_cancellation_for_a_bad_signature_or_token_is_retried_and_reported_never_taken_for_a_collection(string refusal)
    {
        var (pickupId, orderId, carrierOrderId) = await BookedButUnrecordedAsync();
        await f.Simulator.SetFaultsAsync(new { refusal });
        try
        {
            await f.PublishAsync(Request(orderId));

            await Eventually.Until(() => f.ScalarAsync<int>("select tries from cancellation_requests where order_id = @orderId", new { orderId }),
                tries => tries >= 3, TimeSpan.FromSeconds(60), "the worker to ask the refusing carrier again");
            Assert.DoesNotContain(await f.Events.PeekAsync("CancellationAnswered"), e => e.GetProperty("orderId").GetGuid() == orderId);
            Assert.NotEqual("collected", await f.ScalarAsync<string>("select status from pickups where id = @pickupId", new { pickupId }));
            var health = await f.Dispatch.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            var cancellations = health.Entries["carrier-cancellations"];
            Assert.Equal(HealthStatus.Degraded, cancellations.Status);
            Assert.Contains("sf", cancellations.Description);
            var ready = await f.Dispatch.CreateClient().GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Contains("Degraded", await ready.Content.ReadAsStringAsync());
        }
        finally
        {
            await f.Simulator.SetFaultsAsync(new { });
        }

        // Once the carrier's configuration is put right, the cancellation goes through: the boxes come back, nothing ships.
        Assert.Equal("carrier_order_cancelled", (await AnswerFor(orderId)).GetProperty("outcome").GetString());
        Assert.True((await f.Simulator.OrderAsync(carrierOrderId))!.Value.GetProperty("cancelled").GetBoolean());
        Assert.Null(await f.ScalarAsync<Guid?>("select id from shipments where order_id = @orderId", new { orderId }));
        await Eventually.Until(
            async () => (await f.Dispatch.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["carrier-cancellations"].Status,
            s => s == HealthStatus.Healthy, TimeSpan.FromSeconds(10), "the cancellations healthy again");
    }

    [Fact]
    public async Task A_collection_slower_than_the_booking_lease_keeps_it_so_the_cancellation_never_cancels_under_it()
    {
        // Four carrier orders of 300 parcels, each taking the carrier 1.2 s: the booking outlasts the 2 s lease twice over.
        var (pickupId, orderId, codes) = await f.OpenPickupAsync(1_200);
        await f.CourierA.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null);
        f.Simulator.WhileCarrierThinks = async code => { if (code == "EXP_RECE_CREATE_ORDER") await Task.Delay(1_200); };
        HttpResponseMessage collected;
        try
        {
            var collect = f.CourierA.PostAsJsonAsync($"/api/v1/dispatch/pickups/{pickupId}/collect", new { traceCodes = codes });
            await Eventually.Until(() => f.ScalarAsync<DateTimeOffset?>("select booking_started_at from pickups where id = @pickupId", new { pickupId }),
                t => t is not null, TimeSpan.FromSeconds(10), "the booking to begin");
            await f.PublishAsync(Request(orderId));
            collected = await collect;
        }
        finally
        {
            f.Simulator.WhileCarrierThinks = null;
        }

        // The boxes are with the courier and every carrier order stands: none was created for boxes put back on sale.
        Assert.True(collected.StatusCode == HttpStatusCode.OK, await collected.Content.ReadAsStringAsync());
        Assert.Equal("already_collected", (await AnswerFor(orderId)).GetProperty("outcome").GetString());
        var shipment = await collected.Content.ReadFromJsonAsync<JsonElement>();
        var orders = shipment.GetProperty("carrierOrders").EnumerateArray().Select(o => o.GetProperty("carrierOrderId").GetString()!).ToList();
        Assert.Equal(4, orders.Count);
        foreach (var id in orders)
            Assert.False((await f.Simulator.OrderAsync(id))!.Value.GetProperty("cancelled").GetBoolean());
    }

    [Fact]
    public async Task A_collection_asks_the_carrier_with_no_transaction_open_and_no_row_locked()
    {
        var (pickupId, _, codes) = await f.OpenPickupAsync(2);
        await f.CourierA.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null);
        await f.Simulator.SetFaultsAsync(new { latencyMs = 1_500 });
        try
        {
            var collect = f.CourierA.PostAsJsonAsync($"/api/v1/dispatch/pickups/{pickupId}/collect", new { traceCodes = codes });
            await Eventually.Until(() => f.ScalarAsync<DateTimeOffset?>("select booking_started_at from pickups where id = @pickupId", new { pickupId }),
                t => t is not null, TimeSpan.FromSeconds(10), "the booking to begin");

            // While the carrier thinks, the pickup row is free: another transaction locks it at once.
            await using (var connection = f.Database.Open())
            {
                await using var tx = await connection.BeginTransactionAsync();
                await using var command = new Npgsql.NpgsqlCommand("set local lock_timeout = '200ms'; select id from pickups where id = @id for update", connection, tx);
                command.Parameters.AddWithValue("id", pickupId);
                Assert.Equal(pickupId, (Guid)(await command.ExecuteScalarAsync())!);
                await tx.RollbackAsync();
            }
            Assert.False(collect.IsCompleted);
            Assert.Equal(HttpStatusCode.OK, (await collect).StatusCode);
        }
        finally
        {
            await f.Simulator.SetFaultsAsync(new { });
        }
    }

    [Fact]
    public async Task A_1200_box_shipment_is_booked_as_four_carrier_orders_each_box_with_its_own_waybill()
    {
        var (pickupId, orderId, codes) = await f.OpenPickupAsync(1_200);
        await f.CourierA.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null);

        var (response, _) = await f.CollectWithRetriesAsync(f.CourierA, pickupId, codes);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var shipment = await response.Content.ReadFromJsonAsync<JsonElement>();
        var orders = shipment.GetProperty("carrierOrders").EnumerateArray().ToList();
        Assert.Equal([300, 300, 300, 300], orders.Select(o => o.GetProperty("parcels").GetInt32()));
        Assert.Equal(4, orders.Select(o => o.GetProperty("carrierOrderId").GetString()).Distinct().Count());
        var waybills = shipment.GetProperty("waybills").EnumerateArray().ToList();
        Assert.Equal(1_200, waybills.Select(w => w.GetProperty("waybillNo").GetString()).Distinct().Count());
        Assert.Equal(codes.Order(), waybills.Select(w => w.GetProperty("traceCode").GetString()!).Order());
        foreach (var o in orders)
        {
            var atCarrier = await f.Simulator.OrderAsync(o.GetProperty("carrierOrderId").GetString()!);
            Assert.Equal(300, atCarrier!.Value.GetProperty("waybills").GetArrayLength());
            Assert.Equal(o.GetProperty("masterWaybillNo").GetString(), atCarrier.Value.GetProperty("waybills")[0].GetString());
        }
        var booked = await Eventually.Until(() => f.Events.PeekAsync("ShipmentBooked"), m => m.Any(e => e.GetProperty("orderId").GetGuid() == orderId),
            TimeSpan.FromSeconds(30), "ShipmentBooked");
        var e = booked.Single(x => x.GetProperty("orderId").GetGuid() == orderId);
        Assert.Equal(1_200, e.GetProperty("waybills").GetArrayLength());
        Assert.Equal(4, e.GetProperty("carrierOrders").GetArrayLength());
        Assert.Equal(shipment.GetProperty("negotiatedFen").GetInt64(), e.GetProperty("negotiatedFen").GetInt64());
    }
}
