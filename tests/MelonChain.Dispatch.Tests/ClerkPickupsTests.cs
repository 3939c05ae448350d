using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Dispatch.Tests;

/// <summary>
/// 揽收 on the clerk's workstation: the cooperative's clerk lists its pickups (by status and opening date) and follows
/// each booked shipment; another cooperative's clerk sees none of them.
/// </summary>
public class ClerkPickupsTests(DispatchFixture f) : IClassFixture<DispatchFixture>
{
    private HttpClient Clerk(string coop = "shangxiang") => f.Dispatch.As(Roles.Clerk, "clerk-1", cooperative: coop);

    private static DateOnly ChinaToday => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    private static async Task<List<JsonElement>> ItemsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().ToList();
    }

    [Fact]
    public async Task A_clerk_lists_the_cooperatives_pickups_by_status_and_date_with_the_consignee_phone_masked()
    {
        var (pickupId, orderId, _) = await f.OpenPickupAsync(2);
        var today = ChinaToday.ToString("yyyy-MM-dd");
        var tomorrow = ChinaToday.AddDays(1).ToString("yyyy-MM-dd");

        var open = await ItemsAsync(await Clerk().GetAsync($"/api/v1/dispatch/pickups?status=open&from={today}&to={today}&limit=500"));
        var collected = await ItemsAsync(await Clerk().GetAsync("/api/v1/dispatch/pickups?status=collected&limit=500"));
        var later = await ItemsAsync(await Clerk().GetAsync($"/api/v1/dispatch/pickups?from={tomorrow}&to={tomorrow}&limit=500"));

        var mine = Assert.Single(open, p => p.GetProperty("id").GetGuid() == pickupId);
        Assert.Equal(orderId, mine.GetProperty("orderId").GetGuid());
        Assert.Equal("139****1234", mine.GetProperty("phone").GetString());
        Assert.DoesNotContain(collected, p => p.GetProperty("id").GetGuid() == pickupId);
        Assert.DoesNotContain(later, p => p.GetProperty("id").GetGuid() == pickupId);
    }

    [Fact]
    public async Task A_clerk_follows_a_booked_shipment_of_its_cooperative_and_another_cooperatives_clerk_sees_nothing()
    {
        var (shipmentId, master, _) = await f.BookAsync(1);

        var shipment = await Clerk().GetAsync($"/api/v1/dispatch/shipments/{shipmentId}");
        var otherList = await ItemsAsync(await Clerk("othercoop").GetAsync("/api/v1/dispatch/pickups?limit=500"));
        var otherShipment = await Clerk("othercoop").GetAsync($"/api/v1/dispatch/shipments/{shipmentId}");

        Assert.Equal(HttpStatusCode.OK, shipment.StatusCode);
        Assert.Equal(master, (await shipment.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("masterWaybillNo").GetString());
        Assert.Empty(otherList);
        Assert.Equal(HttpStatusCode.NotFound, otherShipment.StatusCode);
    }

    [Theory]
    [InlineData("status=lost", "status")]
    [InlineData("from=2026-07-10&to=2026-07-01", "to")]
    [InlineData("from=1999-12-31", "from")]
    public async Task A_clerks_bad_filter_is_422_naming_the_field(string query, string field)
    {
        var response = await Clerk().GetAsync($"/api/v1/dispatch/pickups?{query}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }
}
