using System.Net.Http.Json;
using System.Text.Json;

namespace MelonChain.Reliability.Tests;

/// <summary>
/// R2 and R7: every event delivered again, twice, in reverse order, to every consumer; route pushes duplicated,
/// dropped (so re-pushed late) and replayed out of order after delivery.
/// </summary>
[Collection(SharedServers.Name)]
public class ReplayTests(SharedServersSystem f)
{
    [Fact]
    public async Task Duplicated_late_and_reordered_pushes_and_every_event_delivered_twice_in_reverse_change_nothing()
    {
        // A shipment whose route pushes are duplicated half the time and dropped (re-pushed later) a third of the time.
        var (orderId, codes) = await f.Scenario.PackedOrderAsync(boxes: 2);
        var pickupId = await f.Scenario.AcceptPickupAsync(orderId);
        await f.SetCarrierFaultsAsync(new { duplicatePushShare = 0.5, dropPushShare = 0.3 });
        JsonElement shipment;
        try
        {
            shipment = await f.Scenario.CollectAsync(pickupId, codes);
            var master = shipment.GetProperty("masterWaybillNo").GetString()!;
            await Eventually.Found(f.Scenario.Clerk, $"/api/v1/tracking/shipments/{master}",
                s => s.GetProperty("shipment").GetProperty("status").GetString() == "delivered", TimeSpan.FromSeconds(60), "delivery seen by Tracking");
        }
        finally
        {
            await f.SetCarrierFaultsAsync(new { });
        }
        var shipmentId = shipment.GetProperty("id").GetGuid();
        var masterNo = shipment.GetProperty("masterWaybillNo").GetString()!;
        var collectedAt = shipment.GetProperty("collectedAt").GetDateTimeOffset();

        // Late and out of order, after delivery, as the real carrier sends them: many pushes at once, each a picked-up and
        // an in-transit record and the delivery again, in a different order (R7: concurrent, not one at a time).
        (string, DateTimeOffset)[] old = [("31", collectedAt.AddHours(30)), ("50", collectedAt.AddMinutes(30)), ("80", collectedAt.AddHours(40))];
        var carrierOrderId = shipment.GetProperty("carrierOrderId").GetString()!;
        var stale = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            f.PushAsync(masterNo, carrierOrderId, [.. old.Skip(i % 3), .. old.Take(i % 3)])));
        foreach (var push in stale)
            Assert.True(push.IsSuccessStatusCode, await push.Content.ReadAsStringAsync());

        await f.QuietAsync();
        await AssertRouteStoryAsync(shipmentId, masterNo);
        var before = await SnapshotAsync();

        var events = await f.Tap.AllAsync();
        Assert.Contains(events, e => e.Type == "ShipmentStatusChanged");
        foreach (var e in events.Reverse()) await f.Tap.RepublishAsync(e);
        foreach (var e in events.Reverse()) await f.Tap.RepublishAsync(e);
        await f.QuietAsync();

        var after = await SnapshotAsync();
        foreach (var (service, snapshot) in before)
            Assert.True(snapshot.Differences(after[service]).Count == 0, $"{service} changed: {string.Join("; ", snapshot.Differences(after[service]))}");
        Assert.Empty((await f.Tap.QueuesAsync()).DeadLettered);
        await AssertRouteStoryAsync(shipmentId, masterNo);
    }

    /// <summary>Delivered, with timelines in event-time order in Dispatch and Tracking, and no status after delivered.</summary>
    private async Task AssertRouteStoryAsync(Guid shipmentId, string masterNo)
    {
        var dispatcher = await f.System.AsAsync("dispatcher", "dispatcher-1");
        var inDispatch = await dispatcher.GetFromJsonAsync<JsonElement>($"/api/v1/dispatch/shipments/{shipmentId}");
        Assert.Equal("delivered", inDispatch.GetProperty("status").GetString());
        AssertOrdered(inDispatch.GetProperty("timeline"));
        var inTracking = await f.Scenario.Clerk.GetFromJsonAsync<JsonElement>($"/api/v1/tracking/shipments/{masterNo}");
        Assert.Equal("delivered", inTracking.GetProperty("shipment").GetProperty("status").GetString());
        AssertOrdered(inTracking.GetProperty("timeline"));

        var changes = (await f.Tap.AllAsync()).Where(e => e.Type == "ShipmentStatusChanged" && e.Message.GetProperty("shipmentId").GetGuid() == shipmentId)
            .OrderBy(e => e.Message.GetProperty("occurredAt").GetDateTimeOffset())
            .Select(e => e.Message.GetProperty("status").GetString()).ToList();
        Assert.Equal("delivered", changes.Last()); // in the order Dispatch decided them: nothing after delivered
        Assert.Single(changes, s => s == "delivered");
        Assert.Single(await f.Tap.AllAsync(), e => e.Type == "ShipmentDelivered" && e.Message.GetProperty("shipmentId").GetGuid() == shipmentId);
    }

    private static void AssertOrdered(JsonElement timeline)
    {
        var times = timeline.EnumerateArray().Select(t => t.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.NotEmpty(times);
        Assert.Equal(times.Order(), times);
    }

    private async Task<Dictionary<string, DatabaseSnapshot>> SnapshotAsync()
    {
        var snapshots = new Dictionary<string, DatabaseSnapshot>();
        foreach (var (service, db) in f.System.Databases)
            // A push refreshes when the carrier last spoke, with no other effect.
            snapshots[service] = await DatabaseSnapshot.TakeAsync(db.ConnectionString, "shipments.last_route_at");
        return snapshots;
    }
}
