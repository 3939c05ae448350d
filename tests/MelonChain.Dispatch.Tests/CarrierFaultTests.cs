using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using MelonChain.Messages.Cooperative;
using MelonChain.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MelonChain.Dispatch.Tests;

public sealed class CarrierFaultFixture : DispatchFixture
{
    // Routes are not the point here: a slow clock keeps pushes out of the way.
    protected override double SecondsPerDay => 3600;
}

/// <summary>R4/R5: a flaky, slow, rate-limited and then absent carrier never yields a second carrier order — SF and JD alike.</summary>
public class CarrierFaultTests(CarrierFaultFixture f) : IClassFixture<CarrierFaultFixture>
{
    [Theory]
    [InlineData("sf")]
    [InlineData("jd")]
    public async Task With_30_percent_errors_and_latency_every_collected_pickup_has_exactly_one_carrier_order(string carrier)
    {
        var pickups = new List<(Guid PickupId, List<string> Codes)>();
        for (var i = 0; i < 8; i++)
        {
            var (pickupId, _, codes) = await f.OpenPickupAsync(3, carrier: carrier);
            Assert.Equal(HttpStatusCode.OK, (await f.CourierA.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null)).StatusCode);
            pickups.Add((pickupId, codes));
        }
        await f.Simulator.SetFaultsAsync(new { errorShare = 0.3, errorKind = "mixed", latencyMs = 150, rateLimitShare = 0.05 });
        try
        {
            var results = new List<JsonElement>();
            foreach (var (pickupId, codes) in pickups)
            {
                var (response, _) = await f.CollectWithRetriesAsync(f.CourierA, pickupId, codes);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                results.Add(await response.Content.ReadFromJsonAsync<JsonElement>());
            }

            foreach (var shipment in results)
            {
                // The carrier's one order for this shipment holds exactly the waybills Dispatch recorded.
                var order = await f.Simulator.OrderAsync(shipment.GetProperty("carrierOrderId").GetString()!);
                Assert.NotNull(order);
                Assert.Equal(shipment.GetProperty("waybills").EnumerateArray().Select(w => w.GetProperty("waybillNo").GetString()!),
                    SimulatorHost.ParcelNumbers(order.Value));
                // Counted by what Dispatch sent, not by the carrier's orderId key: no create ever went out for an order the
                // carrier already had (a carrier that did not refuse duplicate orderIds would have made a second order).
                Assert.Equal(0, order.Value.GetProperty("duplicateCreates").GetInt32());
            }
            var ids = results.Select(r => r.GetProperty("id").GetGuid()).ToArray();
            Assert.Equal(8, await f.ScalarAsync<long>("select count(distinct carrier_order_id) from shipments where id = any(@ids)", new { ids }));
            Assert.Equal(24, await f.ScalarAsync<long>("select count(*) from waybills where shipment_id = any(@ids)", new { ids }));
        }
        finally
        {
            await f.Simulator.SetFaultsAsync(new { });
        }
    }

    [Theory]
    [InlineData("sf")]
    [InlineData("jd")]
    public async Task During_a_full_outage_the_circuit_opens_nothing_is_written_and_booking_completes_once_the_carrier_returns(string carrier)
    {
        var (pickupId, _, codes) = await f.OpenPickupAsync(2, carrier: carrier);
        await f.CourierA.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null);
        await f.Simulator.SetFaultsAsync(new { outage = true });

        var codesSeen = new List<string>();
        try
        {
            for (var i = 0; i < 20 && !codesSeen.Contains("carrier-circuit-open"); i++)
            {
                var response = await f.CourierA.PostAsJsonAsync($"/api/v1/dispatch/pickups/{pickupId}/collect", new { traceCodes = codes });
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                codesSeen.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!);
            }
            Assert.Contains("carrier-circuit-open", codesSeen);
            Assert.Equal(0, await f.ScalarAsync<long>("select count(*) from shipments where pickup_id = @pickupId", new { pickupId }));
            Assert.Equal("accepted", await f.ScalarAsync<string>("select status from pickups where id = @pickupId", new { pickupId }));
        }
        finally
        {
            await f.Simulator.SetFaultsAsync(new { });
        }

        var (booked, _) = await f.CollectWithRetriesAsync(f.CourierA, pickupId, codes);

        Assert.Equal(HttpStatusCode.OK, booked.StatusCode);
        var shipment = await booked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, shipment.GetProperty("waybills").GetArrayLength());
        Assert.Equal("collected", await f.ScalarAsync<string>("select status from pickups where id = @pickupId", new { pickupId }));
    }

    [Theory]
    [InlineData("sf")]
    [InlineData("jd")]
    public async Task A_retry_after_the_carrier_took_the_order_but_the_answer_was_lost_finds_the_first_order(string carrier)
    {
        var (pickupId, _, codes) = await f.OpenPickupAsync(4, carrier: carrier);
        await f.CourierA.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null);
        var shipmentId = await f.ScalarAsync<Guid>("select shipment_id from pickups where id = @pickupId", new { pickupId });
        var carrierOrderId = "MC" + shipmentId.ToString("N").ToUpperInvariant();

        // Every answer fails (half of them after the order was taken) until the carrier recovers.
        await f.Simulator.SetFaultsAsync(new { errorShare = 1.0, errorKind = "5xx" });
        HttpResponseMessage first;
        try
        {
            first = await f.CourierA.PostAsJsonAsync($"/api/v1/dispatch/pickups/{pickupId}/collect", new { traceCodes = codes });
        }
        finally
        {
            await f.Simulator.SetFaultsAsync(new { });
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        var taken = await f.Simulator.OrderAsync(carrierOrderId);

        var (retry, _) = await f.CollectWithRetriesAsync(f.CourierA, pickupId, codes);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var shipment = await retry.Content.ReadFromJsonAsync<JsonElement>();
        var order = await f.Simulator.OrderAsync(carrierOrderId);
        if (taken is not null)
            Assert.Equal(taken.Value.GetProperty("waybills").ToString(), order!.Value.GetProperty("waybills").ToString());
        Assert.Equal(SimulatorHost.ParcelNumbers(order!.Value),
            shipment.GetProperty("waybills").EnumerateArray().Select(w => w.GetProperty("waybillNo").GetString()!));
    }

    [Theory]
    [InlineData("sf")]
    [InlineData("jd")]
    public async Task A_couriers_retry_after_the_carrier_took_the_order_searches_for_it_and_sends_no_second_create(string carrier)
    {
        var (pickupId, _, codes) = await f.OpenPickupAsync(2, carrier: carrier);
        await f.CourierA.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null);
        var shipmentId = await f.ScalarAsync<Guid>("select shipment_id from pickups where id = @pickupId", new { pickupId });
        var carrierOrderId = "MC" + shipmentId.ToString("N").ToUpperInvariant();

        // The carrier takes the order, then every answer is held past Dispatch's timeouts (its retries search and time
        // out too): the courier is told 503.
        await f.Simulator.SetFaultsAsync(new { answerDelayMs = 15_000 });
        HttpResponseMessage first;
        try
        {
            first = await f.CourierA.PostAsJsonAsync($"/api/v1/dispatch/pickups/{pickupId}/collect", new { traceCodes = codes });
        }
        finally
        {
            await f.Simulator.SetFaultsAsync(new { });
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.NotNull(await f.Simulator.OrderAsync(carrierOrderId));

        // The courier's app sends the collect again: a new request, which must not assume the carrier has nothing.
        var (retry, _) = await f.CollectWithRetriesAsync(f.CourierA, pickupId, codes);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var order = await f.Simulator.OrderAsync(carrierOrderId);
        Assert.Equal(0, order!.Value.GetProperty("duplicateCreates").GetInt32());
        Assert.Equal(SimulatorHost.ParcelNumbers(order.Value),
            (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("waybills").EnumerateArray().Select(w => w.GetProperty("waybillNo").GetString()!));
    }
}
