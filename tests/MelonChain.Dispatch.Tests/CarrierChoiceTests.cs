using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.ServiceDefaults.Security;
using MelonChain.Testing;

namespace MelonChain.Dispatch.Tests;

/// <summary>
/// Two carriers behind one seam: quotes across them, a default carrier per destination, a dispatcher's choice before
/// collection, and a JD shipment booked, traced by pulling and delivered.
/// </summary>
public class CarrierChoiceTests(DispatchFixture f) : IClassFixture<DispatchFixture>
{
    private static object OneBox => new[] { new { weightKg = 5m, lengthCm = 40, widthCm = 30, heightCm = 25 } };

    [Fact]
    public async Task A_quote_with_no_carrier_answers_every_carrier_the_cooperative_has_an_account_with_cheapest_first()
    {
        var all = await f.Dispatcher.PostAsJsonAsync("/api/v1/dispatch/quotes", new { destinationCity = "上海", parcels = OneBox });
        var jdOnly = await f.Dispatcher.PostAsJsonAsync("/api/v1/dispatch/quotes", new { destinationCity = "上海", parcels = OneBox, carrier = "jd" });

        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        var options = (await all.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("options").EnumerateArray().ToList();
        Assert.Equal(["jd", "sf"], options.Select(o => o.GetProperty("carrier").GetString()).Distinct().Order());
        var negotiated = options.Select(o => o.GetProperty("negotiatedFen").GetInt64()).ToList();
        Assert.Equal(negotiated.Order(), negotiated);
        // JD's cold chain to Shanghai: 30 yuan first kg + 4 × 14 = 86 yuan list, at the account's 80%.
        var jdCold = options.Single(o => o.GetProperty("product").GetString() == "jd_cold");
        Assert.Equal((8600L, 6880L), (jdCold.GetProperty("listFen").GetInt64(), jdCold.GetProperty("negotiatedFen").GetInt64()));
        Assert.True(jdCold.GetProperty("freshnessOk").GetBoolean());
        var jd = (await jdOnly.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("options").EnumerateArray().ToList();
        Assert.Equal(["jd_cold", "jd_express"], jd.Select(o => o.GetProperty("product").GetString()).Order());
    }

    [Fact]
    public async Task Freshness_is_judged_by_each_products_chain_so_a_cold_chain_keeps_melons_that_ambient_express_would_not()
    {
        // Harvested three days ago: one of four ambient days left, four of seven in JD's 10–12 °C chain.
        var oldest = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(-3);
        var response = await f.Dispatcher.PostAsJsonAsync("/api/v1/dispatch/quotes", new { destinationCity = "上海", parcels = OneBox, oldestHarvestedOn = oldest });

        var options = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("options").EnumerateArray()
            .ToDictionary(o => o.GetProperty("product").GetString()!, o => (Fresh: o.GetProperty("freshnessOk").GetBoolean(), Chills: o.GetProperty("chillingRisk").GetBoolean()));
        Assert.Equal((false, false, true), (options["express"].Fresh, options["jd_express"].Fresh, options["jd_cold"].Fresh));
        // SF's cold runs at 2–8 °C: it keeps them fresh but colder than bitter melon bears; JD's 10–12 °C does not chill.
        Assert.Equal((true, true), options["cold"]);
        Assert.False(options["jd_cold"].Chills);
    }

    [Fact]
    public async Task A_pickup_opens_with_the_cooperatives_default_carrier_for_its_city_in_the_orders_chain()
    {
        const string coop = "defaults-coop";
        await f.OnboardAsync(coop, street: "杜阮镇龙榜村");
        await Onboarding.SaveCarrierAccountsAsync(f.Dispatch.As(Roles.Admin, "admin-d", cooperative: coop), accounts: new
        {
            accounts = new object[]
            {
                new { carrier = "sf", account = "7550000003", discountBps = 7500, defaultFor = new[] { "北京" } },
                new { carrier = "jd", account = "020K0000003", discountBps = 8000, defaultFor = new[] { "上海" } },
            },
        });

        var (toShanghai, _, _) = await f.OpenPickupAsync(2, "上海", "cold", coop);
        var (expressToShanghai, _, _) = await f.OpenPickupAsync(2, "Shanghai", "express", coop);
        var (toBeijing, _, _) = await f.OpenPickupAsync(2, "北京", "cold", coop);

        async Task<(string, string)> CarrierOf(Guid pickupId) => (await f.QueryAsync<(string, string)>(
            "select carrier, product from pickups where id = @pickupId", new { pickupId })).Single();
        Assert.Equal(("jd", "jd_cold"), await CarrierOf(toShanghai));
        Assert.Equal(("jd", "jd_express"), await CarrierOf(expressToShanghai));
        Assert.Equal(("sf", "cold"), await CarrierOf(toBeijing));
    }

    [Fact]
    public async Task A_dispatcher_books_a_pickup_with_JD_before_collection_and_its_pulled_traces_deliver_it()
    {
        var (pickupId, _, codes) = await f.OpenPickupAsync(3);
        Assert.Equal("sf", await f.ScalarAsync<string>("select carrier from pickups where id = @pickupId", new { pickupId }));

        var unknown = await f.Dispatcher.PutAsJsonAsync($"/api/v1/dispatch/pickups/{pickupId}/carrier", new { carrier = "zto" });
        var wrongProduct = await f.Dispatcher.PutAsJsonAsync($"/api/v1/dispatch/pickups/{pickupId}/carrier", new { carrier = "jd", product = "express" });
        var chosen = await f.Dispatcher.PutAsJsonAsync($"/api/v1/dispatch/pickups/{pickupId}/carrier", new { carrier = "jd" });

        Assert.Equal((HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity), (unknown.StatusCode, wrongProduct.StatusCode));
        Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
        var pickup = await chosen.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("jd", "jd_express"), (pickup.GetProperty("carrier").GetString(), pickup.GetProperty("product").GetString()));

        await f.CourierA.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null);
        var (collected, _) = await f.CollectWithRetriesAsync(f.CourierA, pickupId, codes);
        Assert.Equal(HttpStatusCode.OK, collected.StatusCode);
        var shipment = await collected.Content.ReadFromJsonAsync<JsonElement>();
        var master = shipment.GetProperty("masterWaybillNo").GetString()!;
        Assert.Equal("jd", shipment.GetProperty("carrier").GetString());
        Assert.Matches("^JD[0-9]{13}$", master);
        // One JD waybill for the order, a package code per box.
        Assert.Equal(codes.Order(), shipment.GetProperty("waybills").EnumerateArray().Select(w => w.GetProperty("traceCode").GetString()).Order());
        Assert.All(shipment.GetProperty("waybills").EnumerateArray(), w => Assert.StartsWith(master + "-", w.GetProperty("waybillNo").GetString()));

        var late = await f.Dispatcher.PutAsJsonAsync($"/api/v1/dispatch/pickups/{pickupId}/carrier", new { carrier = "sf" });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);

        // JD does not push: Dispatch pulls its traces until the shipment is delivered.
        var id = shipment.GetProperty("id").GetGuid();
        var delivered = await Eventually.Until(() => f.ShipmentAsync(id), s => s.GetProperty("status").GetString() == "delivered",
            TimeSpan.FromSeconds(60), "the JD shipment to be delivered from pulled traces");
        var timeline = delivered.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal("揽收", timeline[0].GetProperty("carrierCode").GetString());
        Assert.Equal(("妥投", "delivered"), (timeline[^1].GetProperty("carrierCode").GetString(), timeline[^1].GetProperty("status").GetString()));
        Assert.True(delivered.GetProperty("onTime").GetBoolean());
    }
}
