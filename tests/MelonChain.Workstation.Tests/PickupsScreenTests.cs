using System.Net.Http;
using MelonChain.Workstation.Pages.Pickups;

namespace MelonChain.Workstation.Tests;

/// <summary>揽收: the clerk's view of the cooperative's pickups and where each shipment is.</summary>
public sealed class PickupsScreenTests : WorkstationContext
{
    private static readonly Guid PickupId = Guid.Parse("0199a000-0000-7000-8000-0000000000f1");
    private static readonly Guid ShipmentId = Guid.Parse("0199a000-0000-7000-8000-0000000000f2");

    private void StubPickups()
    {
        Api.On(HttpMethod.Get, "/api/v1/dispatch/pickups", new
        {
            items = new[]
            {
                new { id = PickupId, orderId = Guid.NewGuid(), shipmentId = ShipmentId, buyerId = Guid.NewGuid(), status = "collected", courierId = "C-A",
                      product = "express", destinationCity = "北京", address = "朝阳区", contactName = "王经理", phone = "139****1234", boxCount = 4,
                      oldestHarvest = "2026-06-11", windowStart = DateTimeOffset.Parse("2026-06-12T06:00:00Z"), windowEnd = DateTimeOffset.Parse("2026-06-12T08:00:00Z"),
                      openedAt = DateTimeOffset.Parse("2026-06-12T03:00:00Z"), carrier = "sf" },
            },
            next = (string?)null,
        });
        Api.On(HttpMethod.Get, $"/api/v1/dispatch/shipments/{ShipmentId}", new
        {
            id = ShipmentId, orderId = Guid.NewGuid(), pickupId = PickupId, carrier = "sf", carrierOrderId = "MC-1", product = "express",
            masterWaybillNo = "SF1000000001", waybills = new[] { new { waybillNo = "SF1000000001", traceCode = "T001" }, new { waybillNo = "SF1000000002", traceCode = "T002" } },
            chargeableKg = 20m, listFen = 8000L, negotiatedFen = 6000L, savingFen = 2000L,
            collectedAt = DateTimeOffset.Parse("2026-06-12T07:00:00Z"), promisedBy = DateTimeOffset.Parse("2026-06-13T10:00:00Z"), status = "in_transit",
            statusAt = DateTimeOffset.Parse("2026-06-12T12:00:00Z"), deliveredAt = (DateTimeOffset?)null, onTime = (bool?)null,
            timeline = new[] { new { at = DateTimeOffset.Parse("2026-06-12T12:00:00Z"), waybillNo = "SF1000000001", carrierCode = "31", status = "in_transit", location = "广州转运中心", remark = "已发往北京" } },
            carrierOrders = Array.Empty<object>(),
        });
    }

    [Fact]
    public void A_clerk_sees_the_pickups_with_status_carrier_and_courier_and_follows_a_shipment_to_where_it_is()
    {
        StubPickups();
        SignedInAs("clerk");
        var screen = Render<Pickups>();

        screen.WaitForAssertion(() => Assert.Equal("已揽收", screen.Find($"tr[data-pickup-id='{PickupId}'] td.status").TextContent));
        Assert.Contains("顺丰", screen.Find($"tr[data-pickup-id='{PickupId}']").TextContent);
        Assert.Contains("C-A", screen.Find($"tr[data-pickup-id='{PickupId}']").TextContent);
        screen.Find($"#shipment-{PickupId}").Click();

        screen.WaitForAssertion(() => Assert.Equal("运输中", screen.Find("#shipmentStatus").TextContent));
        Assert.Equal("SF1000000001、SF1000000002", screen.Find("#waybills").TextContent);
        Assert.Equal("2026-06-13 18:00", screen.Find("#promisedBy").TextContent);
        Assert.Contains("广州转运中心", screen.Find("#timeline").TextContent);
    }

    [Theory]
    [InlineData("waybills", "/api/v1/dispatch/shipments/0199a000-0000-7000-8000-0000000000f2/waybills.pdf")]
    [InlineData("manifest", "/api/v1/dispatch/pickups/0199a000-0000-7000-8000-0000000000f1/manifest.pdf")]
    public void A_collected_pickup_links_its_waybill_labels_and_its_manifest_fetched_with_the_token(string document, string path)
    {
        StubPickups();
        Api.On(HttpMethod.Get, path, _ => new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent("%PDF-1.7"u8.ToArray()) });
        var documents = JSInterop.SetupModule("./js/documents.js");
        var open = documents.Setup<string?>("open", _ => true).SetResult("blob:http://127.0.0.1:8080/2");
        SignedInAs("clerk");
        var screen = Render<Pickups>();
        screen.WaitForElement($"tr[data-pickup-id='{PickupId}']");

        Assert.Equal(document == "waybills" ? "电子面单 PDF" : "交接单 PDF", screen.Find($"#{document}-{PickupId}").TextContent);
        screen.Find($"#{document}-{PickupId}").Click();

        screen.WaitForAssertion(() => Assert.Equal("blob:http://127.0.0.1:8080/2", screen.Find($"#{document}-{PickupId}Link").GetAttribute("href")));
        Assert.StartsWith("Bearer ", Assert.Single(Api.To(HttpMethod.Get, path)).Authorization);
        Assert.Equal("application/pdf", Assert.Single(open.Invocations).Arguments[1]);
    }

    [Fact]
    public void The_filter_asks_Dispatch_for_the_status_and_dates()
    {
        StubPickups();
        SignedInAs("clerk");
        var screen = Render<Pickups>();
        screen.WaitForElement($"tr[data-pickup-id='{PickupId}']");

        screen.Find("#pickupStatus").Change("open");
        screen.Find("#pickupFrom").Change("2026-06-10");
        screen.Find("#pickupTo").Change("2026-06-12");
        screen.Find("#pickupFilter").Submit();

        screen.WaitForAssertion(() => Assert.Contains(Api.To(HttpMethod.Get, "/api/v1/dispatch/pickups"),
            r => r.PathAndQuery == "/api/v1/dispatch/pickups?status=open&from=2026-06-10&to=2026-06-12&limit=200"));
    }

    [Fact]
    public void A_refusal_is_shown_as_the_server_says_it()
    {
        Api.On(HttpMethod.Get, "/api/v1/dispatch/pickups", _ => StubApi.Problem(422, "validation", "See errors.",
            new Dictionary<string, string[]> { ["to"] = ["must be on or after from, within 366 days"] }));
        SignedInAs("clerk");
        var screen = Render<Pickups>();

        screen.WaitForAssertion(() => Assert.Equal("到：must be on or after from, within 366 days", screen.Find("#pickupProblem li").TextContent));
    }

    [Theory]
    [InlineData("officer")]
    [InlineData("buyer")]
    public void A_role_that_may_not_see_pickups_sees_why_and_nothing_is_asked(string role)
    {
        SignedInAs(role);
        var screen = Render<Pickups>();

        screen.WaitForAssertion(() => Assert.Equal(Text.RoleMayNotSeePickups, screen.Find("#roleNotice").TextContent));
        Assert.Empty(Api.Sent);
    }
}
