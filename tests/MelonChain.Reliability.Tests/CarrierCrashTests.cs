extern alias dispatch;
using System.Net;
using System.Text.Json;
using CollectPickup = dispatch::MelonChain.Dispatch.Features.Pickups.CollectPickup;

namespace MelonChain.Reliability.Tests;

/// <summary>R5: Dispatch killed after the carrier (SF or JD) accepted the order but before Dispatch committed the booking.</summary>
[Collection(SharedServers.Name)]
public class CarrierCrashTests(SharedServersSystem f)
{
    [Theory]
    [InlineData("sf")]
    [InlineData("jd")]
    public async Task After_a_crash_between_the_carriers_acceptance_and_the_commit_the_retry_finds_the_order_and_no_second_waybill_is_issued(string carrier)
    {
        var (orderId, codes) = await f.Scenario.PackedOrderAsync(boxes: 3);
        var pickupId = await f.Scenario.AcceptPickupAsync(orderId);
        if (carrier != "sf") await f.Scenario.ChooseCarrierAsync(pickupId, carrier);
        var shipmentId = await f.System.ScalarAsync<Guid>("Dispatch", "select shipment_id from pickups where id = @pickupId", new { pickupId });
        var carrierOrderId = CollectPickup.CarrierOrderId(shipmentId);
        var issuedBefore = await f.CarrierWaybillsIssuedAsync();
        var key = Guid.NewGuid().ToString();

        // The carrier takes the order, then holds its answer: Dispatch is killed while it waits.
        await f.SetCarrierFaultsAsync(new { answerDelayMs = 30_000 });
        var first = Task.Run(async () =>
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/dispatch/pickups/{pickupId}/collect")
                {
                    Content = System.Net.Http.Json.JsonContent.Create(new { traceCodes = codes }),
                };
                request.Headers.Add("Idempotency-Key", key);
                return (await f.Scenario.Courier.SendAsync(request)).StatusCode;
            }
            catch (HttpRequestException) { return (HttpStatusCode)0; }
        });
        var taken = await Eventually.Until(() => f.CarrierOrderAsync(carrierOrderId), o => o is not null, TimeSpan.FromSeconds(30), "the carrier to take the order");
        await f.System["Dispatch"].KillAsync();

        Assert.False(IsSuccess(await first), "the courier's first attempt cannot have succeeded");
        Assert.Equal(0, await f.System.ScalarAsync<long>("Dispatch", "select count(*) from shipments where pickup_id = @pickupId", new { pickupId }));
        Assert.Equal("accepted", await f.System.ScalarAsync<string>("Dispatch", "select status from pickups where id = @pickupId", new { pickupId }));

        await f.SetCarrierFaultsAsync(new { });
        await f.System["Dispatch"].StartAsync();
        var early = taken!.Value.GetProperty("waybills")[0].GetString();
        JsonElement shipment;
        if (carrier == "sf")
        {
            // SF pushes the first records of its order before the courier's retry has committed the booking.
            var parked = await Eventually.Until(() => f.System.QueryAsync<(string OpCode, DateTimeOffset At)>("Dispatch",
                    "select op_code, accept_time from unmatched_route_records where waybill_no = @early", new { early }),
                r => r.Count > 0, TimeSpan.FromSeconds(30), "a push to overtake the booking");
            shipment = await f.Scenario.CollectAsync(pickupId, codes, key);

            // The records that overtook the booking were applied by it: now the shipment's, and none left aside.
            var applied = await f.System.QueryAsync<(string OpCode, DateTimeOffset At)>("Dispatch",
                "select op_code, accept_time from route_records where shipment_id = @shipmentId and waybill_no = @early", new { shipmentId, early });
            Assert.All(parked, r => Assert.Contains(r, applied));
            Assert.Equal(0, await f.System.ScalarAsync<long>("Dispatch", "select count(*) from unmatched_route_records where waybill_no = @early", new { early }));
        }
        else shipment = await f.Scenario.CollectAsync(pickupId, codes, key);   // JD does not push: its traces are pulled once booked

        // SF numbers each parcel with a waybill, the first the master; JD gives the order one waybill and each parcel a package code.
        var carrierWaybills = taken.Value.GetProperty("waybills").EnumerateArray().Select(w => w.GetString()!).ToList();
        var parcelNumbers = carrier == "sf" ? carrierWaybills : Enumerable.Range(1, 3).Select(i => $"{carrierWaybills[0]}-{i}-3-").ToList();
        Assert.Equal(parcelNumbers, shipment.GetProperty("waybills").EnumerateArray().Select(w => w.GetProperty("waybillNo").GetString()!));
        Assert.Equal(carrierWaybills[0], shipment.GetProperty("masterWaybillNo").GetString());
        Assert.Equal(issuedBefore + 3, await f.CarrierWaybillsIssuedAsync());
        Assert.Equal(3, await f.System.ScalarAsync<long>("Dispatch", "select count(*) from waybills where shipment_id = @shipmentId", new { shipmentId }));

        // The booking goes on to delivery; every service counts it once.
        var master = carrierWaybills[0];
        Assert.Equal(0, (await f.CarrierOrderAsync(carrierOrderId))!.Value.GetProperty("duplicateCreates").GetInt32());
        await Eventually.Found(f.Scenario.Clerk, $"/api/v1/tracking/shipments/{master}",
            s => s.GetProperty("shipment").GetProperty("status").GetString() == "delivered", TimeSpan.FromSeconds(60), "delivery seen by Tracking");
        await Eventually.Until(() => f.System.ScalarAsync<bool>("Cooperative", "select delivered_at is not null from orders where id = @orderId", new { orderId }),
            delivered => delivered, TimeSpan.FromSeconds(30), "the order delivered in Cooperative");
        await f.QuietAsync();
        var events = await f.Tap.AllAsync();
        Assert.Single(events, e => e.Type == "ShipmentBooked" && e.Message.GetProperty("shipmentId").GetGuid() == shipmentId);
        Assert.Single(events, e => e.Type == "ShipmentDelivered" && e.Message.GetProperty("shipmentId").GetGuid() == shipmentId);
        Assert.Equal(shipment.GetProperty("negotiatedFen").GetInt64(),
            await f.System.ScalarAsync<long>("Cooperative", "select freight_fen from orders where id = @orderId", new { orderId }));
    }

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;
}
