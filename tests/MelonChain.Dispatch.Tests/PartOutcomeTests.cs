using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.ServiceDefaults.Security;
using MelonChain.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MelonChain.Dispatch.Tests;

public sealed class PartOutcomeFixture : DispatchFixture
{
    // A slow clock: nothing is scanned until a test moves the simulator's clock (POST /admin/clock).
    protected override double SecondsPerDay => 3600;

    // The carriers' limit from collection to a final scan: seconds here, so overdue shows within a test.
    public const double LimitHours = 0.003;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Carrier:sf:FinalScanWithinHours"] = LimitHours.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Carrier:jd:FinalScanWithinHours"] = LimitHours.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Dispatch:CarrierClaims:IntervalSeconds"] = "0.5",
    };
}

/// <summary>
/// Every carrier order ends somewhere (delivered, returned to the sender, declared lost), decided by the simulator's
/// fate for its waybill and played when its clock moves; Dispatch publishes ShipmentPartEnded once per carrier order,
/// and one collected past its carrier's limit without a final scan is raised to the clerk.
/// </summary>
public class PartOutcomeTests(PartOutcomeFixture f) : IClassFixture<PartOutcomeFixture>
{
    private async Task SetFateAsync(string waybillNo, string fate) =>
        (await f.Simulator.Admin.PostAsJsonAsync($"/admin/waybills/{waybillNo}/fate", new { fate })).EnsureSuccessStatusCode();

    private async Task AdvanceClockAsync(double hours) =>
        (await f.Simulator.Admin.PostAsJsonAsync("/admin/clock", new { advanceHours = hours })).EnsureSuccessStatusCode();

    private async Task<List<JsonElement>> PartsEndedAsync(Guid shipmentId) =>
        (await f.Events.PeekAsync("ShipmentPartEnded")).Where(e => e.GetProperty("shipmentId").GetGuid() == shipmentId).ToList();

    private async Task<List<JsonElement>> OverdueAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/dispatch/overdue-parts?limit=500")).GetProperty("items").EnumerateArray().ToList();

    private HttpClient Clerk => f.Dispatch.As(Roles.Clerk, "clerk-1");

    [Fact]
    public async Task A_four_part_shipment_with_one_part_returned_and_one_lost_ends_each_part_once_with_its_own_boxes_and_publishes_no_delivery()
    {
        var (shipmentId, _, _) = await f.BookAsync(1_200);
        var booked = await f.ShipmentAsync(shipmentId);
        var orders = booked.GetProperty("carrierOrders").EnumerateArray()
            .Select(o => (Id: o.GetProperty("carrierOrderId").GetString()!, Master: o.GetProperty("masterWaybillNo").GetString()!)).ToList();
        var traceOf = booked.GetProperty("waybills").EnumerateArray().ToDictionary(w => w.GetProperty("waybillNo").GetString()!, w => w.GetProperty("traceCode").GetString()!);

        await SetFateAsync(orders[1].Master, "returned");
        await SetFateAsync(orders[2].Master, "lost");
        await AdvanceClockAsync(200);

        var ended = await Eventually.Until(() => PartsEndedAsync(shipmentId), e => e.Count >= 4, TimeSpan.FromSeconds(90), "four parts ended");
        // The return route goes on after the part ended returned (the sender signs for it): nothing is published again.
        await Eventually.Until(() => f.ShipmentAsync(shipmentId), s => s.GetProperty("timeline").EnumerateArray().Any(r => r.GetProperty("carrierCode").GetString() == "648"),
            TimeSpan.FromSeconds(30), "the returned part signed for by the sender");
        ended = await PartsEndedAsync(shipmentId);

        Assert.Equal(4, ended.Count);
        var outcomeOf = ended.ToDictionary(e => e.GetProperty("carrierOrderId").GetString()!, e => e.GetProperty("outcome").GetString());
        Assert.Equal(["delivered", "returned", "lost", "delivered"], orders.Select(o => outcomeOf[o.Id]));
        foreach (var (id, master) in orders)
        {
            var e = ended.Single(x => x.GetProperty("carrierOrderId").GetString() == id);
            Assert.Equal(master, e.GetProperty("masterWaybillNo").GetString());
            var codes = e.GetProperty("traceCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
            Assert.Equal(300, codes.Count);
            Assert.Contains(traceOf[master], codes);
        }
        Assert.Equal(traceOf.Values.Order(), ended.SelectMany(e => e.GetProperty("traceCodes").EnumerateArray().Select(c => c.GetString()!)).Order());
        Assert.DoesNotContain(await f.Events.PeekAsync("ShipmentDelivered"), e => e.GetProperty("shipmentId").GetGuid() == shipmentId);
        var shipment = await f.ShipmentAsync(shipmentId);
        Assert.Equal(["delivered", "returned", "lost", "delivered"], shipment.GetProperty("carrierOrders").EnumerateArray().Select(o => o.GetProperty("outcome").GetString()));
        Assert.DoesNotContain(await OverdueAsync(Clerk), p => p.GetProperty("shipmentId").GetGuid() == shipmentId);
    }

    [Fact]
    public async Task A_delivered_shipment_still_publishes_ShipmentDelivered_and_its_one_part_ended_delivered()
    {
        var (shipmentId, master, _) = await f.BookAsync(2);

        await AdvanceClockAsync(100);

        await Eventually.Until(() => f.Events.PeekAsync("ShipmentDelivered"), m => m.Any(e => e.GetProperty("shipmentId").GetGuid() == shipmentId),
            TimeSpan.FromSeconds(60), "ShipmentDelivered");
        var part = Assert.Single(await Eventually.Until(() => PartsEndedAsync(shipmentId), e => e.Count > 0, TimeSpan.FromSeconds(30), "the part ended"));
        Assert.Equal(("delivered", master, 2), (part.GetProperty("outcome").GetString(), part.GetProperty("masterWaybillNo").GetString(),
            part.GetProperty("traceCodes").GetArrayLength()));
    }

    [Fact]
    public async Task No_collected_carrier_order_stays_without_an_outcome_past_its_carriers_limit_unnoticed()
    {
        var lost = await f.BookAsync(1);
        var quiet = await f.BookAsync(2);
        await SetFateAsync(lost.Master, "lost");

        // Nothing is scanned (the simulator's clock stands still): once the limit passes, both are on the clerk's list.
        var overdue = await Eventually.Until(() => OverdueAsync(Clerk),
            l => new[] { lost.ShipmentId, quiet.ShipmentId }.All(id => l.Any(p => p.GetProperty("shipmentId").GetGuid() == id)),
            TimeSpan.FromSeconds(60), "both shipments overdue");
        var health = await f.Dispatch.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var courierLooks = await f.CourierA.GetAsync("/api/v1/dispatch/overdue-parts");
        var otherCoop = await OverdueAsync(f.Dispatch.As(Roles.Clerk, "clerk-2", cooperative: "othercoop"));

        // Every collected carrier order without an outcome, collected longer ago than the limit, is on the list.
        var asked = DateTimeOffset.UtcNow;
        overdue = await OverdueAsync(f.Dispatcher);
        var open = await f.QueryAsync<string>(
            """
            select o.carrier_order_id from carrier_orders o join shipments s on s.id = o.shipment_id
            where o.outcome is null and s.status <> 'cancelled' and s.collected_at < @Cutoff
            """, new { Cutoff = asked.AddHours(-PartOutcomeFixture.LimitHours) });
        Assert.NotEmpty(open);
        Assert.All(open, id => Assert.Contains(overdue, p => p.GetProperty("carrierOrderId").GetString() == id));
        Assert.Equal(HealthStatus.Degraded, health.Entries["overdue-carrier-orders"].Status);
        Assert.Contains("overdue", health.Entries["overdue-carrier-orders"].Description);
        Assert.Equal(HttpStatusCode.Forbidden, courierLooks.StatusCode);
        Assert.Empty(otherCoop);

        // The carrier declares the silent one lost a week after pickup; the other is delivered: both leave the list.
        await AdvanceClockAsync(200);
        await Eventually.Until(() => OverdueAsync(Clerk),
            l => !l.Any(p => p.GetProperty("shipmentId").GetGuid() == lost.ShipmentId || p.GetProperty("shipmentId").GetGuid() == quiet.ShipmentId),
            TimeSpan.FromSeconds(60), "both to leave the overdue list");
        var ended = Assert.Single(await PartsEndedAsync(lost.ShipmentId));
        Assert.Equal("lost", ended.GetProperty("outcome").GetString());
        Assert.Equal("lost", (await f.ShipmentAsync(lost.ShipmentId)).GetProperty("status").GetString());
    }

    private async Task<HttpResponseMessage> FileClaimAsync(HttpClient client, Guid shipmentId, string waybillNo, string reason, long amountFen, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/dispatch/shipments/{shipmentId}/carrier-claims")
        {
            Content = JsonContent.Create(new { waybillNo, reason, amountFen }),
        };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private async Task<JsonElement> ClaimAsync(Guid shipmentId, Guid claimId) =>
        (await Clerk.GetFromJsonAsync<JsonElement>($"/api/v1/dispatch/shipments/{shipmentId}/carrier-claims")).GetProperty("items")
            .EnumerateArray().Single(c => c.GetProperty("id").GetGuid() == claimId);

    private static async Task<string?> CodeOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("code", out var c) ? c.GetString() : null;

    [Fact]
    public async Task A_lost_carrier_order_is_claimed_from_the_carrier_within_its_limit_and_the_compensation_is_published_once()
    {
        var (shipmentId, master, _) = await f.BookAsync(2);
        await SetFateAsync(master, "lost");
        var tooEarly = await FileClaimAsync(Clerk, shipmentId, master, "lost", 30_000, Guid.NewGuid().ToString());
        await AdvanceClockAsync(200);
        await Eventually.Until(() => PartsEndedAsync(shipmentId), e => e.Count == 1, TimeSpan.FromSeconds(60), "the part declared lost");

        var noKey = await FileClaimAsync(Clerk, shipmentId, master, "lost", 30_000);
        var tooMuch = await FileClaimAsync(Clerk, shipmentId, master, "lost", 400_001, Guid.NewGuid().ToString());
        var notOurs = await FileClaimAsync(Clerk, shipmentId, "SF0000000000001", "lost", 30_000, Guid.NewGuid().ToString());
        var courier = await FileClaimAsync(f.CourierA, shipmentId, master, "lost", 30_000, Guid.NewGuid().ToString());
        var otherCoop = await FileClaimAsync(f.Dispatch.As(Roles.Clerk, "clerk-2", cooperative: "othercoop"), shipmentId, master, "lost", 30_000, Guid.NewGuid().ToString());
        var key = Guid.NewGuid().ToString();
        var filed = await FileClaimAsync(Clerk, shipmentId, master, "lost", 30_000, key);
        var replay = await FileClaimAsync(Clerk, shipmentId, master, "lost", 30_000, key);
        var twice = await FileClaimAsync(Clerk, shipmentId, master, "lost", 30_000, Guid.NewGuid().ToString());

        Assert.Equal((HttpStatusCode.Conflict, "not-lost"), (tooEarly.StatusCode, await CodeOf(tooEarly)));
        Assert.Equal(HttpStatusCode.PreconditionRequired, noKey.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMuch.StatusCode);
        Assert.Contains("amountFen", await tooMuch.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notOurs.StatusCode);
        Assert.Contains("waybillNo", await notOurs.Content.ReadAsStringAsync());
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.NotFound), (courier.StatusCode, otherCoop.StatusCode));
        Assert.True(filed.StatusCode == HttpStatusCode.Created, await filed.Content.ReadAsStringAsync());
        var claim = await filed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(claim.GetProperty("id").GetGuid(), (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        Assert.Equal((HttpStatusCode.Conflict, "already-claimed"), (twice.StatusCode, await CodeOf(twice)));
        Assert.Equal(("filed", 2), (claim.GetProperty("status").GetString(), claim.GetProperty("traceCodes").GetArrayLength()));

        // The carrier accepts, and pays a simulated day later.
        var claimId = claim.GetProperty("id").GetGuid();
        await Eventually.Until(() => ClaimAsync(shipmentId, claimId), c => c.GetProperty("status").GetString() == "accepted", TimeSpan.FromSeconds(30), "the carrier to accept");
        await AdvanceClockAsync(30);
        var paid = await Eventually.Until(() => ClaimAsync(shipmentId, claimId), c => c.GetProperty("status").GetString() == "paid", TimeSpan.FromSeconds(30), "the carrier to pay");
        await Eventually.Until(() => f.Events.PeekAsync("CarrierCompensationPaid"), m => m.Any(e => e.GetProperty("carrierClaimId").GetGuid() == claimId),
            TimeSpan.FromSeconds(30), "CarrierCompensationPaid");
        // Paid is final: the worker never asks after it again, and the event went out in the transaction that made it paid.
        var compensations = (await f.Events.PeekAsync("CarrierCompensationPaid")).Where(e => e.GetProperty("carrierClaimId").GetGuid() == claimId).ToList();

        var e = Assert.Single(compensations);
        Assert.Equal(30_000, paid.GetProperty("paidFen").GetInt64());
        Assert.Equal((30_000L, master, shipmentId), (e.GetProperty("amountFen").GetInt64(), e.GetProperty("waybillNo").GetString(), e.GetProperty("shipmentId").GetGuid()));
        Assert.Equal(claim.GetProperty("traceCodes").EnumerateArray().Select(c => c.GetString()), e.GetProperty("traceCodes").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task A_JD_carrier_order_returned_to_the_sender_ends_returned_through_the_traces_Dispatch_pulls()
    {
        var (pickupId, orderId, codes) = await f.OpenPickupAsync(2, carrier: "jd");
        await f.CourierA.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null);
        var (response, _) = await f.CollectWithRetriesAsync(f.CourierA, pickupId, codes);
        var shipment = await response.Content.ReadFromJsonAsync<JsonElement>();
        var shipmentId = shipment.GetProperty("id").GetGuid();
        var master = shipment.GetProperty("masterWaybillNo").GetString()!;

        await SetFateAsync(master, "returned");
        await AdvanceClockAsync(200);

        var part = Assert.Single(await Eventually.Until(() => PartsEndedAsync(shipmentId), e => e.Count > 0, TimeSpan.FromSeconds(60), "the JD part ended"));
        Assert.Equal(("returned", master, orderId), (part.GetProperty("outcome").GetString(), part.GetProperty("masterWaybillNo").GetString(), part.GetProperty("orderId").GetGuid()));
        Assert.Equal(codes.Order(), part.GetProperty("traceCodes").EnumerateArray().Select(c => c.GetString()!).Order());
        Assert.Equal("退回", (await f.ShipmentAsync(shipmentId)).GetProperty("timeline").EnumerateArray().Last().GetProperty("carrierCode").GetString());
    }
}
