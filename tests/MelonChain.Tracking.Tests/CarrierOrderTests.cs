using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Messages;
using MelonChain.Messages.Cooperative;
using MelonChain.Messages.Dispatch;
using MelonChain.Testing;

namespace MelonChain.Tracking.Tests;

/// <summary>
/// A shipment of more than 300 boxes is booked as several carrier orders: the buyer finds it by any of their waybills,
/// and sees each box's carrier order, its scans and its outcome — whichever carrier.
/// </summary>
public class CarrierOrderTests(TrackingFixture f) : IClassFixture<TrackingFixture>
{
    private const int Boxes = 301;

    /// <summary>A 301-box shipment as Dispatch books it: part 1 holds 300 parcels, part 2 one; each part scanned and ended.</summary>
    private static (IReadOnlyList<IEvent> Events, string[] Codes, string[] Masters, string[] ParcelWaybills, Guid BuyerId) Story(string carrier, DateTimeOffset collected)
    {
        var orderId = Guid.NewGuid();
        var buyerId = Guid.NewGuid();
        var shipmentId = Guid.NewGuid();
        var codes = Enumerable.Range(0, Boxes).Select(_ => Guid.NewGuid().ToString("N")[..12].ToUpperInvariant()).ToArray();
        var digits = Random.Shared.NextInt64(1_000_000_000, 9_999_999_999);
        string[] masters;
        string[] parcels;
        if (carrier == "JD")
        {
            // JD: one waybill (deliveryId) per carrier order, its parcels are package codes of it.
            masters = [$"JD{digits}001", $"JD{digits}002"];
            parcels = codes.Select((_, i) => i < 300 ? $"{masters[0]}-{i + 1}-300-" : $"{masters[1]}-1-1-").ToArray();
        }
        else
        {
            // SF: a waybill per parcel; each carrier order's master is its first parcel's.
            parcels = codes.Select((_, i) => $"SF{digits}{i:D3}").ToArray();
            masters = [parcels[0], parcels[300]];
        }
        var harvested = DateOnly.FromDateTime(collected.AddHours(8).Date).AddDays(-1);
        var sources = new[] { new BoxSource(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "SX-007", "上巷村", null, harvested, 5_000) };
        var coop = ShipmentStory.Coop;
        var delivered = collected.AddHours(40);
        var events = new List<IEvent>
        {
            new ShipmentRequested(Guid.NewGuid(), collected.AddHours(-3), coop, orderId, buyerId,
                new Destination("上海", ShipmentStory.Street, ShipmentStory.ContactName, ShipmentStory.Phone), "jd_cold",
                codes.Select(c => new RequestedBox(c, "grade1", 5_000, 40, 30, 25, sources)).ToList()),
            new ShipmentBooked(Guid.NewGuid(), collected, coop, shipmentId, orderId, buyerId, carrier, "jd_cold", masters[0],
                codes.Select((c, i) => new BookedWaybill(parcels[i], c)).ToList(), 1_505_000, 1_000_000, 800_000, collected.AddDays(2),
                [new BookedCarrierOrder($"MC-{shipmentId:N}-1", masters[0], 300), new BookedCarrierOrder($"MC-{shipmentId:N}-2", masters[1], 1)]),
            Status(shipmentId, orderId, masters[0], "picked_up", collected.AddMinutes(30), "江门市"),
            Status(shipmentId, orderId, masters[1], "in_transit", collected.AddHours(6), "广州转运中心"),
            Status(shipmentId, orderId, masters[0], "delivered", delivered, "上海浦东"),
            Status(shipmentId, orderId, masters[1], "returned", delivered.AddHours(2), "上海浦东"),
            new ShipmentDelivered(Guid.NewGuid(), delivered, coop, shipmentId, orderId, delivered, collected.AddDays(2), true),
            new ShipmentPartEnded(Guid.NewGuid(), delivered, coop, shipmentId, orderId, $"MC-{shipmentId:N}-1", masters[0],
                PartOutcomes.Delivered, delivered, codes[..300]),
            new ShipmentPartEnded(Guid.NewGuid(), delivered.AddHours(2), coop, shipmentId, orderId, $"MC-{shipmentId:N}-2", masters[1],
                PartOutcomes.Returned, delivered.AddHours(2), codes[300..]),
        };
        return (events, codes, masters, parcels, buyerId);

        ShipmentStatusChanged Status(Guid shipment, Guid order, string waybill, string status, DateTimeOffset at, string location) =>
            new(Guid.NewGuid(), at, coop, shipment, order, waybill, status, at, location, "00", "");
    }

    [Theory]
    [InlineData("JD")]
    [InlineData("SF")]
    public async Task A_buyer_finds_a_shipment_of_several_carrier_orders_by_any_waybill_with_each_boxs_carrier_order_scans_and_outcome(string carrier)
    {
        var (events, codes, masters, parcels, buyerId) = Story(carrier, DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-3).ToUnixTimeSeconds()));
        await f.PublishAsync(events);
        var buyer = f.Buyer(buyerId);

        // The whole story, found by the second carrier order's own waybill (JD's second deliveryId was unknown to Tracking).
        var shipment = await Eventually.Found(buyer, $"/api/v1/tracking/shipments/{masters[1]}",
            j => j.GetProperty("timeline").GetArrayLength() == 4 && j.GetProperty("boxes").GetArrayLength() == Boxes
                 && j.GetProperty("boxes").EnumerateArray().All(b => b.GetProperty("outcome").GetString() != "in_transit"),
            TimeSpan.FromSeconds(60), $"{carrier}: the second carrier order's waybill");

        foreach (var waybill in new[] { masters[0], parcels[299], parcels[300] })
        {
            var found = await buyer.GetFromJsonAsync<JsonElement>($"/api/v1/tracking/shipments/{waybill}");
            Assert.Equal(shipment.GetProperty("shipment").GetProperty("orderId").GetGuid(), found.GetProperty("shipment").GetProperty("orderId").GetGuid());
        }
        var boxes = shipment.GetProperty("boxes").EnumerateArray().ToDictionary(b => b.GetProperty("traceCode").GetString()!);
        Assert.Equal(masters[0], boxes[codes[0]].GetProperty("carrierWaybillNo").GetString());
        Assert.Equal(PartOutcomes.Delivered, boxes[codes[0]].GetProperty("outcome").GetString());
        Assert.Equal(masters[1], boxes[codes[300]].GetProperty("carrierWaybillNo").GetString());
        Assert.Equal(parcels[300], boxes[codes[300]].GetProperty("waybillNo").GetString());
        Assert.Equal(PartOutcomes.Returned, boxes[codes[300]].GetProperty("outcome").GetString());
        Assert.Equal(300, boxes.Values.Count(b => b.GetProperty("carrierWaybillNo").GetString() == masters[0]));
        // Each scan names the carrier order's waybill it was made under, so a box's scans are those of its waybill.
        var scans = shipment.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(["in_transit", "returned"], scans.Where(s => s.GetProperty("waybillNo").GetString() == masters[1]).Select(s => s.GetProperty("status").GetString()));
        Assert.Equal(["picked_up", "delivered"], scans.Where(s => s.GetProperty("waybillNo").GetString() == masters[0]).Select(s => s.GetProperty("status").GetString()));

        // Anyone with the second waybill and the phone's last 4 digits tracks it, without personal data.
        var track = await f.Tracking.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/tracking/public/track/{masters[1]}?phoneLast4=2222");
        Assert.Equal(Boxes, track.GetProperty("boxes").GetInt32());
        Assert.Equal("{\"delivered\":300,\"returned\":1}", track.GetProperty("boxOutcomes").GetRawText());
        Assert.DoesNotContain(ShipmentStory.ContactName, track.GetRawText());
        Assert.DoesNotContain(ShipmentStory.Street, track.GetRawText());

        // A rebuild from the kept events tells the same.
        var admin = f.Tracking.As(MelonChain.ServiceDefaults.Security.Roles.Admin, "admin-1");
        (await admin.PostAsync("/api/v1/tracking/admin/rebuild", null)).EnsureSuccessStatusCode();
        var rebuilt = await buyer.GetFromJsonAsync<JsonElement>($"/api/v1/tracking/shipments/{masters[1]}");
        Assert.Equal(shipment.GetRawText(), rebuilt.GetRawText());
    }
}
