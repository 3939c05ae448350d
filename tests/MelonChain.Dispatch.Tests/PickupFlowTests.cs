extern alias dispatch;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.ServiceDefaults.Security;
using MelonChain.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QuoteJson = dispatch::MelonChain.Dispatch.Features.Rates.QuoteJson;
using QuoteParcels = dispatch::MelonChain.Dispatch.Features.Rates.QuoteParcels;

namespace MelonChain.Dispatch.Tests;

/// <summary>Quotes, pickups and a shipment's whole life against the simulator on an accelerated clock.</summary>
public class PickupFlowTests(DispatchFixture f) : IClassFixture<DispatchFixture>
{
    private static object Boxes(int n) => Enumerable.Repeat(new { weightKg = 5m, lengthCm = 40, widthCm = 30, heightCm = 25 }, n).ToArray();

    [Fact]
    public async Task A_quote_for_60_boxes_to_Beijing_by_express_is_4200_list_3150_negotiated()
    {
        var response = await f.Dispatcher.PostAsJsonAsync("/api/v1/dispatch/quotes", new { destinationCity = "Beijing", product = "express", parcels = Boxes(60) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var option = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("options").EnumerateArray());
        Assert.Equal((300m, 420_000L, 315_000L, 105_000L, 2, true),
            (option.GetProperty("chargeableKg").GetDecimal(), option.GetProperty("listFen").GetInt64(), option.GetProperty("negotiatedFen").GetInt64(),
             option.GetProperty("savingFen").GetInt64(), option.GetProperty("promisedDays").GetInt32(), option.GetProperty("freshnessOk").GetBoolean()));
    }

    /// <summary>
    /// P4's request (60 parcels of 8–10 kg, every product, the oldest box a day old) for a cooperative with no carrier
    /// accounts yet: the answer's bytes are pinned, so reading and writing it by generated code changes nothing a
    /// client sees (names, order, number formats).
    /// </summary>
    [Fact]
    public async Task The_60_parcel_quote_answers_exactly_these_bytes()
    {
        var dispatcher = f.Dispatch.As(Roles.Dispatcher, "d-bytes", cooperative: "bytescoop");
        var request = JsonSerializer.Serialize(new
        {
            destinationCity = "Beijing", product = (string?)null, oldestHarvestedOn = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(-1),
            parcels = Enumerable.Range(0, 60).Select(i => new { weightKg = 8 + i % 5 * 0.5m, lengthCm = 40, widthCm = 30, heightCm = 25 + i % 3 }),
        });

        var response = await dispatcher.PostAsync("/api/v1/dispatch/quotes", new StringContent(request, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(PinnedQuote, await response.Content.ReadAsStringAsync());
    }

    // The answer as the reflection-based serializer wrote it before the generated context (one option a line).
    private const string PinnedQuote =
        """{"destinationCity":"Beijing","options":["""
        + """{"carrier":"sf","product":"heavy","chargeableKg":540,"listFen":217000,"negotiatedFen":162750,"savingFen":54250,"promisedDays":3,"freshnessOk":true,"chillingRisk":false},"""
        + """{"carrier":"sf","product":"land","chargeableKg":540,"listFen":235200,"negotiatedFen":176400,"savingFen":58800,"promisedDays":4,"freshnessOk":false,"chillingRisk":false},"""
        + """{"carrier":"sf","product":"standard","chargeableKg":540,"listFen":396000,"negotiatedFen":297000,"savingFen":99000,"promisedDays":3,"freshnessOk":true,"chillingRisk":false},"""
        + """{"carrier":"jd","product":"jd_express","chargeableKg":540,"listFen":667200,"negotiatedFen":500400,"savingFen":166800,"promisedDays":2,"freshnessOk":true,"chillingRisk":false},"""
        + """{"carrier":"sf","product":"express","chargeableKg":540,"listFen":708000,"negotiatedFen":531000,"savingFen":177000,"promisedDays":2,"freshnessOk":true,"chillingRisk":false},"""
        + """{"carrier":"sf","product":"cold","chargeableKg":540,"listFen":901200,"negotiatedFen":675900,"savingFen":225300,"promisedDays":2,"freshnessOk":true,"chillingRisk":true},"""
        + """{"carrier":"jd","product":"jd_cold","chargeableKg":540,"listFen":960000,"negotiatedFen":720000,"savingFen":240000,"promisedDays":2,"freshnessOk":true,"chillingRisk":false}"""
        + "]}";

    /// <summary>
    /// P4: the quote's request and answer are read and written by the generated <c>QuoteJson</c> context through the
    /// service's own JSON options (its converters and strict numbers), not by reflection.
    /// </summary>
    [Fact]
    public void The_quote_is_read_and_written_by_generated_code_with_the_services_json_options()
    {
        var options = f.Dispatch.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;

        Assert.Same(QuoteJson.Default, options.GetTypeInfo(typeof(QuoteParcels.Request)).OriginatingResolver);
        Assert.Same(QuoteJson.Default, options.GetTypeInfo(typeof(QuoteParcels.Quote)).OriginatingResolver);
        Assert.Equal(System.Text.Json.Serialization.JsonNumberHandling.Strict, options.NumberHandling);
    }

    [Fact]
    public async Task A_quote_without_product_lists_every_product_of_both_carriers_cheapest_first_and_flags_slow_ones_for_old_melons()
    {
        var response = await f.Dispatcher.PostAsJsonAsync("/api/v1/dispatch/quotes", new
        {
            destinationCity = "北京", parcels = Boxes(1), oldestHarvestedOn = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(-1),
        });

        var options = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("options").EnumerateArray().ToList();
        // The cooperative has accounts with SF (75%) and JD (80%).
        Assert.Equal(["land", "standard", "express", "jd_express", "cold", "heavy", "jd_cold"], options.Select(o => o.GetProperty("product").GetString()));
        Assert.False(options[0].GetProperty("freshnessOk").GetBoolean()); // land: 4 days, the melons have 3 left
        Assert.True(options[2].GetProperty("freshnessOk").GetBoolean());
    }

    [Fact]
    public async Task A_dispatcher_replaces_the_rate_card_and_quotes_follow_it_but_a_courier_cannot()
    {
        var card = await f.Dispatcher.GetFromJsonAsync<JsonElement>("/api/v1/dispatch/rate-cards");
        var accounts = await f.Dispatcher.GetFromJsonAsync<JsonElement>("/api/v1/dispatch/carrier-accounts");
        Assert.Equal(7500, accounts.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("carrier").GetString() == "sf").GetProperty("discountBps").GetInt32());
        Assert.Equal(14, card.GetProperty("lines").GetArrayLength());   // the default card: SF's 10 lines and JD's 4

        var denied = await f.CourierA.PutAsJsonAsync("/api/v1/dispatch/rate-cards", new { lines = Array.Empty<object>() });
        var other = f.Dispatch.As(Roles.Dispatcher, "d-2", cooperative: "othercoop");
        await Onboarding.SaveCarrierAccountsAsync(f.Dispatch.As(Roles.Admin, "a-2", cooperative: "othercoop"),
            accounts: Onboarding.CarrierAccounts("7550000002", 8000, Onboarding.JdCustomerCodeOf("othercoop")));
        var put = await other.PutAsJsonAsync("/api/v1/dispatch/rate-cards", new
        {
            lines = new[] { new { product = "express", originProvince = "Guangdong", destination = "Beijing", firstKg = 1m, firstFen = 2000, perKgFen = 1000, volumetricDivisor = 6000, promisedDays = 2, perShipment = false } },
        });
        var quote = await (await other.PostAsJsonAsync("/api/v1/dispatch/quotes", new { destinationCity = "Beijing", parcels = Boxes(1) }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var unchanged = await f.Dispatcher.GetFromJsonAsync<JsonElement>("/api/v1/dispatch/rate-cards");

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        // SF is priced by the cooperative's own line; JD, which it has no lines for, by the default card.
        var options = quote.GetProperty("options").EnumerateArray().ToList();
        var only = Assert.Single(options, o => o.GetProperty("carrier").GetString() == "sf");
        Assert.Equal((6000L, 4800L), (only.GetProperty("listFen").GetInt64(), only.GetProperty("negotiatedFen").GetInt64()));
        Assert.Equal(["jd_cold", "jd_express"], options.Where(o => o.GetProperty("carrier").GetString() == "jd").Select(o => o.GetProperty("product").GetString()).Order());
        Assert.Equal(14, unchanged.GetProperty("lines").GetArrayLength());
    }

    [Fact]
    public async Task Sixty_boxes_go_from_open_pickup_to_delivered_on_time_with_one_master_and_59_child_waybills()
    {
        var (pickupId, orderId, codes) = await f.OpenPickupAsync(60);

        var open = await f.CourierA.GetFromJsonAsync<JsonElement>("/api/v1/dispatch/pickups?status=open");
        Assert.Contains(open.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetGuid() == pickupId);
        Assert.Equal(HttpStatusCode.OK, (await f.CourierA.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null)).StatusCode);
        var start = DateTimeOffset.UtcNow.AddMinutes(5);
        var scheduled = await f.CourierA.PostAsJsonAsync($"/api/v1/dispatch/pickups/{pickupId}/schedule", new { windowStart = start, windowEnd = start.AddHours(2) });
        Assert.Equal(HttpStatusCode.OK, scheduled.StatusCode);

        var (collected, _) = await f.CollectWithRetriesAsync(f.CourierA, pickupId, codes.AsEnumerable().Reverse());

        Assert.Equal(HttpStatusCode.OK, collected.StatusCode);
        var shipment = await collected.Content.ReadFromJsonAsync<JsonElement>();
        var shipmentId = shipment.GetProperty("id").GetGuid();
        var waybills = shipment.GetProperty("waybills").EnumerateArray().ToList();
        Assert.Equal(orderId, shipment.GetProperty("orderId").GetGuid());
        Assert.Equal(60, waybills.Count);
        Assert.Equal(shipment.GetProperty("masterWaybillNo").GetString(), waybills[0].GetProperty("waybillNo").GetString());
        Assert.All(waybills, w => Assert.Matches("^SF[0-9]{13}$", w.GetProperty("waybillNo").GetString()));
        Assert.Equal(codes.Order(), waybills.Select(w => w.GetProperty("traceCode").GetString()!).Order());
        Assert.Equal((420_000L, 315_000L), (shipment.GetProperty("listFen").GetInt64(), shipment.GetProperty("negotiatedFen").GetInt64()));
        var promisedBy = shipment.GetProperty("promisedBy").GetDateTimeOffset();
        Assert.Equal(2, (promisedBy - shipment.GetProperty("collectedAt").GetDateTimeOffset()).TotalDays, 3);
        var carrierOrder = await f.Simulator.OrderAsync(shipment.GetProperty("carrierOrderId").GetString()!);
        Assert.Equal(60, carrierOrder!.Value.GetProperty("waybills").GetArrayLength());

        // The simulator plays picked up → Jiangmen → Guangzhou → Beijing → out for delivery → delivered (4 s a day).
        var delivered = await Eventually.Until(() => f.ShipmentAsync(shipmentId), s => s.GetProperty("status").GetString() == "delivered",
            TimeSpan.FromSeconds(40), "delivery");
        Assert.True(delivered.GetProperty("onTime").GetBoolean());
        Assert.True(delivered.GetProperty("deliveredAt").GetDateTimeOffset() <= promisedBy);
        var timeline = delivered.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(["50", "30", "31", "36", "31", "44", "80"], timeline.Select(r => r.GetProperty("carrierCode").GetString()));
        Assert.Equal(timeline.Select(r => r.GetProperty("at").GetDateTimeOffset()).Order(), timeline.Select(r => r.GetProperty("at").GetDateTimeOffset()));

        var changes = await Eventually.Until(async () => (await f.Events.PeekAsync("ShipmentStatusChanged"))
                .Where(e => e.GetProperty("shipmentId").GetGuid() == shipmentId).ToList(), l => l.Count >= 4, what: "status events");
        Assert.Equal(["picked_up", "in_transit", "out_for_delivery", "delivered"], changes.Select(e => e.GetProperty("status").GetString()));
        var deliveredEvents = await Eventually.Until(async () => (await f.Events.PeekAsync("ShipmentDelivered"))
                .Where(e => e.GetProperty("shipmentId").GetGuid() == shipmentId).ToList(), l => l.Count >= 1, what: "delivered event");
        Assert.True(Assert.Single(deliveredEvents).GetProperty("onTime").GetBoolean());
        Assert.Single(await f.Events.PeekAsync("ShipmentBooked"), e => e.GetProperty("shipmentId").GetGuid() == shipmentId);
        Assert.Single(await f.Events.PeekAsync("PickupScheduled"), e => e.GetProperty("pickupId").GetGuid() == pickupId);
    }

    [Fact]
    public async Task The_first_courier_wins_and_another_courier_cannot_touch_the_pickup()
    {
        var (pickupId, _, codes) = await f.OpenPickupAsync(2);

        var first = await f.CourierA.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null);
        var second = await f.CourierB.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null);
        var start = DateTimeOffset.UtcNow.AddHours(1);
        var schedule = await f.CourierB.PostAsJsonAsync($"/api/v1/dispatch/pickups/{pickupId}/schedule", new { windowStart = start, windowEnd = start.AddHours(1) });
        var collect = await f.CourierB.PostAsJsonAsync($"/api/v1/dispatch/pickups/{pickupId}/collect", new { traceCodes = codes });
        var otherCoop = f.Dispatch.As(Roles.Courier, "courier-x", cooperative: "othercoop", courierId: "C-X");
        var foreign = await otherCoop.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null);
        var listedForB = await f.CourierB.GetFromJsonAsync<JsonElement>("/api/v1/dispatch/pickups");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, schedule.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, collect.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.DoesNotContain(listedForB.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetGuid() == pickupId);
        Assert.Equal("accepted", await f.ScalarAsync<string>("select status from pickups where id = @pickupId", new { pickupId }));
    }

    [Fact]
    public async Task Scanning_the_wrong_boxes_is_422_naming_the_missing_and_unknown_codes_and_books_nothing()
    {
        var (pickupId, _, codes) = await f.OpenPickupAsync(3);
        await f.CourierA.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null);

        var response = await f.CourierA.PostAsJsonAsync($"/api/v1/dispatch/pickups/{pickupId}/collect", new { traceCodes = new[] { codes[0], codes[1], "NOTOURBOX1" } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([codes[2]], problem.GetProperty("missing").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["NOTOURBOX1"], problem.GetProperty("unknown").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, await f.ScalarAsync<long>("select count(*) from shipments where pickup_id = @pickupId", new { pickupId }));
    }

    [Fact]
    public async Task Duplicate_late_and_out_of_order_pushes_give_an_ordered_timeline_and_delivered_never_goes_back()
    {
        await f.Simulator.SetFaultsAsync(new { pushesPaused = true });
        try
        {
            var (shipmentId, master, collectedAt) = await f.BookAsync(2);
            var t = collectedAt;

            Assert.Equal(HttpStatusCode.OK, (await f.PushAsync(master, [("80", t.AddHours(40))])).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await f.PushAsync(master, [("44", t.AddHours(36)), ("50", t.AddHours(1))])).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await f.PushAsync(master, [("50", t.AddHours(1)), ("31", t.AddHours(8)), ("9999", t.AddHours(9))])).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await f.PushAsync(master, [("80", t.AddHours(40))])).StatusCode); // replay

            var shipment = await f.ShipmentAsync(shipmentId);
            Assert.Equal("delivered", shipment.GetProperty("status").GetString());
            Assert.True(shipment.GetProperty("onTime").GetBoolean());
            var timeline = shipment.GetProperty("timeline").EnumerateArray().ToList();
            Assert.Equal(["50", "31", "9999", "44", "80"], timeline.Select(r => r.GetProperty("carrierCode").GetString()));
            Assert.Equal(JsonValueKind.Null, timeline[2].GetProperty("status").ValueKind); // unknown code kept raw
            // Every event the pushes caused has left the outbox (relayed and confirmed): what the counter holds is all of them.
            await Eventually.Until(() => f.ScalarAsync<long>("select count(*) from outbox"), n => n == 0, what: "the outbox to drain");
            var changes = (await f.Events.PeekAsync("ShipmentStatusChanged")).Where(e => e.GetProperty("shipmentId").GetGuid() == shipmentId).ToList();
            Assert.Equal(["delivered"], changes.Select(e => e.GetProperty("status").GetString()));
            Assert.Single(await f.Events.PeekAsync("ShipmentDelivered"), e => e.GetProperty("shipmentId").GetGuid() == shipmentId);
        }
        finally
        {
            await f.Simulator.SetFaultsAsync(new { });
        }
    }

    [Fact]
    public async Task A_delivery_after_the_promise_is_not_on_time()
    {
        await f.Simulator.SetFaultsAsync(new { pushesPaused = true });
        try
        {
            var (shipmentId, master, collectedAt) = await f.BookAsync(1);

            await f.PushAsync(master, [("50", collectedAt.AddHours(1)), ("80", collectedAt.AddHours(60))]);

            var shipment = await f.ShipmentAsync(shipmentId);
            Assert.Equal("delivered", shipment.GetProperty("status").GetString());
            Assert.False(shipment.GetProperty("onTime").GetBoolean());
        }
        finally
        {
            await f.Simulator.SetFaultsAsync(new { });
        }
    }

    [Fact]
    public async Task A_push_with_a_forged_digest_is_rejected_and_changes_nothing()
    {
        await f.Simulator.SetFaultsAsync(new { pushesPaused = true });
        try
        {
            var (shipmentId, master, collectedAt) = await f.BookAsync(1);

            var forged = await f.PushAsync(master, [("80", collectedAt.AddHours(5))], checkWord: "not-the-check-word");
            var unsigned = await f.Dispatch.CreateClient().PostAsJsonAsync("/api/v1/dispatch/carriers/sf/routes", new { Body = new { WaybillRoute = Array.Empty<object>() } });

            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
            Assert.Equal(0, await f.ScalarAsync<long>("select count(*) from route_records where shipment_id = @shipmentId", new { shipmentId }));
            Assert.Equal("pending", (await f.ShipmentAsync(shipmentId)).GetProperty("status").GetString());
        }
        finally
        {
            await f.Simulator.SetFaultsAsync(new { });
        }
    }

    [Fact]
    public async Task A_late_delivery_and_a_failed_one_played_by_the_carrier_are_reported_as_such()
    {
        await f.Simulator.SetFaultsAsync(new { delivery = "late" });
        var late = await f.BookAsync(1);
        await f.Simulator.SetFaultsAsync(new { delivery = "failed" });
        var failed = await f.BookAsync(1);
        await f.Simulator.SetFaultsAsync(new { });

        var lateShipment = await Eventually.Until(() => f.ShipmentAsync(late.ShipmentId), s => s.GetProperty("status").GetString() == "delivered",
            TimeSpan.FromSeconds(40), "the late delivery");
        var failedShipment = await Eventually.Until(() => f.ShipmentAsync(failed.ShipmentId), s => s.GetProperty("status").GetString() == "delivery_failed",
            TimeSpan.FromSeconds(40), "the failed delivery");

        Assert.False(lateShipment.GetProperty("onTime").GetBoolean());
        Assert.True(lateShipment.GetProperty("deliveredAt").GetDateTimeOffset() > lateShipment.GetProperty("promisedBy").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, failedShipment.GetProperty("deliveredAt").ValueKind);
        Assert.Equal("70", failedShipment.GetProperty("timeline").EnumerateArray().Last().GetProperty("carrierCode").GetString());
    }

    [Fact]
    public async Task Endpoints_need_a_token_and_the_right_role_and_bad_input_is_422()
    {
        var anonymous = await f.Dispatch.CreateClient().GetAsync("/api/v1/dispatch/pickups");
        var buyer = await f.Dispatch.As(Roles.Buyer, "buyer-1", buyerId: Guid.NewGuid().ToString()).GetAsync("/api/v1/dispatch/pickups");
        var dispatcherAccepts = await f.Dispatcher.PostAsync($"/api/v1/dispatch/pickups/{Guid.NewGuid()}/accept", null);
        var badQuote = await f.Dispatcher.PostAsJsonAsync("/api/v1/dispatch/quotes", new
        {
            destinationCity = "Beijing", product = "teleport", parcels = new[] { new { weightKg = -1m, lengthCm = 0 } },
        });
        var nowhere = await f.Dispatcher.PostAsJsonAsync("/api/v1/dispatch/quotes", new { destinationCity = "Lhasa", parcels = Boxes(1) });

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, buyer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, dispatcherAccepts.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badQuote.StatusCode);
        var errors = (await badQuote.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("product", out _));
        Assert.True(errors.TryGetProperty("parcels[0].weightKg", out _));
        Assert.True(errors.TryGetProperty("parcels[0].lengthCm", out _));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, nowhere.StatusCode);
    }
}
