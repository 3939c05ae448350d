using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using MelonChain.Messages.Cooperative;
using MelonChain.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MelonChain.Dispatch.Tests;

public sealed class PollingFixture : DispatchFixture
{
    protected override double SecondsPerDay => 4;

    // A shipment is "quiet" after 2 seconds here (2 hours by default).
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Dispatch:RoutePolling:QuietMinutes"] = "0.033",
        ["Dispatch:RoutePolling:IntervalSeconds"] = "1",
    };
}

/// <summary>When pushes never arrive, polling EXP_RECE_SEARCH_ROUTES still brings the shipment to delivered.</summary>
public class RoutePollingTests(PollingFixture f) : IClassFixture<PollingFixture>
{
    [Fact]
    public async Task A_shipment_whose_pushes_are_all_lost_is_delivered_through_polling()
    {
        await f.Simulator.SetFaultsAsync(new { dropPushShare = 1.0 });
        try
        {
            var (pickupId, _, codes) = await f.OpenPickupAsync(3, city: "Shanghai");
            await f.CourierA.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null);
            var (response, _) = await f.CollectWithRetriesAsync(f.CourierA, pickupId, codes);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var shipmentId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

            var delivered = await Eventually.Until(() => f.ShipmentAsync(shipmentId), s => s.GetProperty("status").GetString() == "delivered",
                TimeSpan.FromSeconds(40), "delivery through polling");

            Assert.True(delivered.GetProperty("onTime").GetBoolean());
            Assert.Equal("80", delivered.GetProperty("timeline").EnumerateArray().Last().GetProperty("carrierCode").GetString());
        }
        finally
        {
            await f.Simulator.SetFaultsAsync(new { });
        }
    }
}
