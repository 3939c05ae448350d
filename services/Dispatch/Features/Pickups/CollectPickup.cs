using MelonChain.Dispatch.Features.Carrier;
using MelonChain.Dispatch.Features.Rates;
using MelonChain.Messages.Dispatch;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Dispatch.Features.Pickups.Pickups;

namespace MelonChain.Dispatch.Features.Pickups;

/// <summary>
/// At the village the courier scans every box: the scanned set must equal the packed set (422 names the
/// missing and unknown codes). Then the shipment is booked with the carrier — one order, a parcel per box,
/// door pickup, monthly account, sender pays — priced from the rate card, promised by collection + the
/// product's days, and ShipmentBooked is published. The carrier order id derives from the shipment id decided
/// when the pickup opened, so a retry (after a timeout, a 503, or a crash before commit) finds the first order
/// instead of creating a second; if the carrier cannot be reached the request fails with 503 and writes nothing.
/// Route records the carrier pushed before this commit are adopted in it.
/// </summary>
public static class CollectPickup
{
    public sealed record Request(IReadOnlyList<string>? TraceCodes);

    public sealed record Waybill(string WaybillNo, string TraceCode);

    public sealed record Shipment(
        Guid Id, Guid OrderId, Guid PickupId, string Carrier, string CarrierOrderId, string Product, string MasterWaybillNo,
        IReadOnlyList<Waybill> Waybills, decimal ChargeableKg, long ListFen, long NegotiatedFen, long SavingFen,
        DateTimeOffset CollectedAt, DateTimeOffset PromisedBy, string Status);

    public static void Map(RouteGroupBuilder pickups) =>
        pickups.MapPost("/{id:guid}/collect", Handle).RequireRoles(Roles.Courier).WithName("CollectPickup");

    private sealed record BoxRow(string TraceCode, long NetGrams, int LengthCm, int WidthCm, int HeightCm);

    /// <summary>The carrier's order id for a shipment: stable across retries, unique forever.</summary>
    public static string CarrierOrderId(Guid shipmentId) => "MC" + shipmentId.ToString("N").ToUpperInvariant();

    private static async Task<Ok<Shipment>> Handle(
        Guid id, Request request, Db db, ClaimsPrincipal user, ICarrier carrier, TimeProvider clock, IConfiguration config, CancellationToken ct)
    {
        var scanned = request.TraceCodes ?? [];
        new Validation()
            .Check(scanned.Count is > 0 and <= 1000, "traceCodes", "must hold 1 to 1000 scanned codes")
            .Check(scanned.All(c => !string.IsNullOrWhiteSpace(c) && c.Length <= 40), "traceCodes", "must be codes of at most 40 characters")
            .ThrowIfInvalid();

        var pickup = await LoadForCourierAsync(db, id, user, ct);
        if (pickup.CourierId is null) throw Problem.Conflict("pickup-not-accepted", "Accept the pickup before collecting it.");
        if (pickup.Status == "collected")
            throw Problem.Conflict("pickup-collected", "The pickup is already collected.", new Dictionary<string, object?> { ["shipmentId"] = pickup.ShipmentId });
        if (pickup.Status == "cancelled") throw Problem.Conflict("pickup-cancelled", "The order was cancelled; do not collect it.");

        var boxes = await db.QueryAsync<BoxRow>(
            "select trace_code, net_grams, length_cm, width_cm, height_cm from pickup_boxes where pickup_id = @Id order by seq", new { Id = id }, ct);
        var packed = boxes.Select(b => b.TraceCode).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var seen = scanned.Select(c => c.Trim()).ToList();
        var missing = boxes.Select(b => b.TraceCode).Where(c => !seen.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
        var unknown = seen.Where(c => !packed.Contains(c)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var twice = seen.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (missing.Count > 0 || unknown.Count > 0 || twice.Count > 0)
            throw Problem.Unprocessable("scan-mismatch", "The scanned boxes are not the packed boxes.",
                new Dictionary<string, object?> { ["missing"] = missing, ["unknown"] = unknown, ["duplicated"] = twice });

        var coop = user.CooperativeId();
        var line = RateCalculator.Find(await Rates.Rates.CardAsync(db, coop, ct), pickup.Product, pickup.DestinationCity)
            ?? throw Problem.Unprocessable("no-rate", $"The rate card has no {pickup.Product} rate to {pickup.DestinationCity}.");
        var price = RateCalculator.Quote(line, boxes.Select(b => new ParcelSpec(b.NetGrams, b.LengthCm, b.WidthCm, b.HeightCm)).ToList(),
            await Rates.Rates.DiscountBpsAsync(db, coop, ct));

        var now = clock.GetUtcNow();
        var carrierOrderId = CarrierOrderId(pickup.ShipmentId);
        var booking = await carrier.BookAsync(new BookingRequest(carrierOrderId, pickup.Product, Sender(config),
            new Party(pickup.ContactName, pickup.Phone, Province(pickup.DestinationCity), pickup.DestinationCity, pickup.Address),
            boxes.Select(b => new BookingParcel(b.TraceCode, b.NetGrams)).ToList(), now > pickup.WindowStart ? now : pickup.WindowStart,
            $"MelonChain order {pickup.OrderId}"), ct);
        if (booking.WaybillNos.Count != boxes.Count)
            throw new ProblemException(502, "carrier-waybills", "Carrier answered unexpectedly",
                $"The carrier issued {booking.WaybillNos.Count} waybills for {boxes.Count} parcels.");

        var waybills = booking.WaybillNos.Zip(boxes, (no, box) => new Waybill(no, box.TraceCode)).ToList();
        var shipment = new Shipment(pickup.ShipmentId, pickup.OrderId, pickup.Id, carrier.Name, carrierOrderId, pickup.Product,
            booking.MasterWaybillNo, waybills, price.ChargeableGrams / 1000m, price.ListFen, price.NegotiatedFen, price.SavingFen,
            now, now.AddDays(price.PromisedDays), "pending");
        await db.ExecuteAsync(
            """
            insert into shipments (id, cooperative_id, pickup_id, order_id, buyer_id, carrier, carrier_order_id, product, destination_city,
                                   master_waybill_no, chargeable_grams, list_fen, negotiated_fen, collected_at, promised_by, status,
                                   status_at, last_route_at, courier_id)
            values (@Id, @Coop, @PickupId, @OrderId, @BuyerId, @Carrier, @CarrierOrderId, @Product, @City, @Master, @Grams,
                    @ListFen, @NegotiatedFen, @Now, @PromisedBy, 'pending', @Now, @Now, @Courier)
            """, new { shipment.Id, Coop = coop, PickupId = pickup.Id, pickup.OrderId, pickup.BuyerId, shipment.Carrier, shipment.CarrierOrderId,
                       shipment.Product, City = pickup.DestinationCity, Master = shipment.MasterWaybillNo, Grams = price.ChargeableGrams,
                       shipment.ListFen, shipment.NegotiatedFen, Now = now, shipment.PromisedBy, Courier = pickup.CourierId }, ct);
        await db.ExecuteAsync(
            """
            insert into waybills (waybill_no, shipment_id, trace_code, kind)
            select w.no, @Id, w.code, case when w.ord = 1 then 'master' else 'child' end
            from unnest(@Nos, @Codes) with ordinality as w(no, code, ord)
            """, new { shipment.Id, Nos = waybills.Select(w => w.WaybillNo).ToArray(), Codes = waybills.Select(w => w.TraceCode).ToArray() }, ct);
        await db.ExecuteAsync("update pickups set status = 'collected', updated_at = @Now where id = @Id", new { Id = id, Now = now }, ct);
        await db.Publish(new ShipmentBooked(Guid.NewGuid(), now, coop, shipment.Id, shipment.OrderId, pickup.BuyerId, shipment.Carrier,
            shipment.Product, shipment.MasterWaybillNo, waybills.Select(w => new BookedWaybill(w.WaybillNo, w.TraceCode)).ToList(),
            price.ChargeableGrams, price.ListFen, price.NegotiatedFen, shipment.PromisedBy), ct);
        // The carrier may already have pushed routes for these waybills (e.g. while a first attempt was dying).
        await Routes.RouteIngest.AdoptAsync(db, shipment.Id, clock, ct);
        var status = await db.QuerySingleAsync<string>("select status from shipments where id = @Id", new { shipment.Id }, ct);
        return TypedResults.Ok(shipment with { Status = status });
    }

    private static Party Sender(IConfiguration config)
    {
        var s = config.GetSection("Dispatch:Sender");
        return new Party(s["Name"] ?? "上巷村合作社", s["Phone"] ?? "0750-3000000", s["Province"] ?? "广东省", s["City"] ?? "江门市",
            s["Address"] ?? "蓬江区杜阮镇上巷村");
    }

    private static string Province(string city) => RateCalculator.NormalizeDestination(city) switch
    {
        "Beijing" => "北京市",
        "Shanghai" => "上海市",
        var other => other,
    };
}
