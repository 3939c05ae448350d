using System.Net.Http.Json;
using System.Text.Json;

namespace MelonChain.EndToEnd.Tests;

public partial class SeasonTests
{
    [Fact]
    public async Task The_demo_books_Beijing_with_SF_express_and_Shanghai_with_JDs_cold_chain_and_the_summary_names_each_carrier()
    {
        var shipments = await SeasonFixture.AllAsync(f.Dispatcher, "/api/v1/tracking/shipments");
        var booked = new Dictionary<string, (string Carrier, string Product, string Master, int Waybills)>();
        foreach (var s in shipments)
        {
            var shipment = await f.Dispatcher.GetFromJsonAsync<JsonElement>($"/api/v1/dispatch/shipments/{s.GetProperty("shipmentId").GetGuid()}");
            var order = await f.Clerk.GetFromJsonAsync<JsonElement>($"{Cooperative}/orders/{s.GetProperty("orderId").GetGuid()}");
            booked[order.GetProperty("destination").GetProperty("city").GetString()!] = (shipment.GetProperty("carrier").GetString()!,
                shipment.GetProperty("product").GetString()!, shipment.GetProperty("masterWaybillNo").GetString()!,
                shipment.GetProperty("waybills").GetArrayLength());
            // Delivered through each carrier's own route records (SF pushed, JD pulled), then settled.
            Assert.Equal(("delivered", "settled"), (shipment.GetProperty("status").GetString(), order.GetProperty("status").GetString()));
            Assert.Contains(shipment.GetProperty("timeline").EnumerateArray(), r => r.GetProperty("status").GetString() == "delivered");
        }

        Assert.Equal(("sf", "express"), (booked["北京"].Carrier, booked["北京"].Product));
        Assert.Matches("^SF[0-9]{13}$", booked["北京"].Master);
        Assert.Equal(("jd", "jd_cold"), (booked["上海"].Carrier, booked["上海"].Product));
        Assert.Matches("^JD[0-9]{13}$", booked["上海"].Master);
        Assert.Equal(20, booked["上海"].Waybills);
        Assert.Contains("Beijing    60 boxes × 5 kg grade 1, SF express:", f.FirstPlay);
        Assert.Contains("Shanghai   20 boxes × 5 kg premium and grade 2, JD jd_cold:", f.FirstPlay);
    }
}
