using MelonChain.Dispatch.Features.Carrier;
using MelonChain.Dispatch.Features.Rates;
using MelonChain.Messages.Dispatch;
using MelonChain.Dispatch.Features.Fees;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Dispatch.Features.Pickups.Pickups;

namespace MelonChain.Dispatch.Features.Pickups;

/// <summary>
/// At the village the courier scans every box: the scanned set must equal the packed set (422 names the
/// missing and unknown codes). Then the shipment is booked with the pickup's carrier — a parcel per box, at most 300 per
/// carrier order (a larger shipment is several orders, each with its master and child waybills), door pickup,
/// monthly account, sender pays — priced from the rate card, promised by collection + the product's days, and
/// ShipmentBooked is published.
/// The carrier is called outside any transaction, with no connection or row lock held: a short transaction first
/// marks that booking has begun (from then on a cancellation must be confirmed by the carrier), then the carrier is
/// asked, then a second short transaction records the result. The carrier order ids derive from the shipment id
/// decided when the pickup opened, so a retry (after a timeout, a 503, or a crash before the record) finds the first
/// orders instead of creating more; a collect of a collected pickup answers its shipment again.
/// Route records the carrier pushed before the record are adopted in it.
/// </summary>
public static class CollectPickup
{
    /// <summary>The most parcels the carrier takes in one order.</summary>
    public const int MaxParcelsPerCarrierOrder = 300;

    /// <summary>The most boxes one pickup holds (an order's size limit).</summary>
    public const int MaxBoxes = 2_000;

    public sealed record Request(IReadOnlyList<string>? TraceCodes);

    public sealed record Waybill(string WaybillNo, string TraceCode);

    /// <summary>
    /// One carrier order; <c>Outcome</c> (delivered, returned, lost) and <c>EndedAt</c> once its route has ended; its share of
    /// the negotiated quote (<c>QuotedFen</c>) and, once the carrier has billed it, <c>BilledFen</c> with its <c>BillVersion</c>.
    /// </summary>
    public sealed record CarrierOrder(int Part, string CarrierOrderId, string MasterWaybillNo, int Parcels, string? Outcome = null, DateTimeOffset? EndedAt = null,
        long QuotedFen = 0, long? BilledFen = null, int BillVersion = 0, DateTimeOffset? BilledAt = null);

    private sealed record PartRow(int Part, string CarrierOrderId, string MasterWaybillNo, int Parcels, string? Outcome, DateTimeOffset? EndedAt,
        long? BilledFen, int BillVersion, DateTimeOffset? BilledAt, long NegotiatedFen);

    public sealed record Shipment(
        Guid Id, Guid OrderId, Guid PickupId, string Carrier, string CarrierOrderId, string Product, string MasterWaybillNo,
        IReadOnlyList<Waybill> Waybills, decimal ChargeableKg, long ListFen, long NegotiatedFen, long SavingFen,
        DateTimeOffset CollectedAt, DateTimeOffset PromisedBy, string Status, IReadOnlyList<CarrierOrder> CarrierOrders);

    public static void Map(RouteGroupBuilder pickups) =>
        pickups.MapPost("/{id:guid}/collect", Handle).RequireRoles(Roles.Courier).WithOwnTransactions().WithName("CollectPickup").Problems(403, "no-courier").Problems(409, "cancellation-requested", "pickup-cancelled", "pickup-not-accepted", ProblemTypes.ProfileRequired, "carrier-account-required").Problems(422, "no-rate", "scan-mismatch").Problems(502, "carrier-waybills", "carrier-rejected").Problems(503, "carrier-unavailable", "carrier-circuit-open");

    private sealed record BoxRow(string TraceCode, long NetGrams, int LengthCm, int WidthCm, int HeightCm);

    /// <summary>The carrier's order id for part <paramref name="part"/> of a shipment: stable across retries, unique forever.</summary>
    public static string CarrierOrderId(Guid shipmentId, int part = 1) =>
        "MC" + shipmentId.ToString("N").ToUpperInvariant() + (part == 1 ? "" : $"-{part}");

    public static int CarrierOrderCount(int boxes) => Math.Max(1, (boxes + MaxParcelsPerCarrierOrder - 1) / MaxParcelsPerCarrierOrder);

    private static async Task<Ok<Shipment>> Handle(
        Guid id, Request request, Db db, ClaimsPrincipal user, CarrierRegistry carriers, TimeProvider clock,
        IServiceScopeFactory scopes, IConfiguration config, ILogger<BookingLease> logger, Labels.WaybillLabelSignal labels, CancellationToken ct)
    {
        var scanned = request.TraceCodes ?? [];
        new Validation()
            .Check(scanned.Count is > 0 and <= MaxBoxes, "traceCodes", $"must hold 1 to {MaxBoxes} scanned codes")
            .Check(scanned.All(c => !string.IsNullOrWhiteSpace(c) && c.Length <= 40), "traceCodes", "must be codes of at most 40 characters")
            .ThrowIfInvalid();
        var coop = user.CooperativeId();

        // 1. Check the scan and mark that booking begins, in a short transaction of its own.
        await db.BeginAsync(ct);
        var pickup = await LoadForCourierAsync(db, id, user, ct);
        if (pickup.CourierId is null) throw Problem.Conflict("pickup-not-accepted", "Accept the pickup before collecting it.");
        if (pickup.Status == "cancelled") throw Problem.Conflict("pickup-cancelled", "The order was cancelled; do not collect it.");
        var boxes = await db.QueryAsync<BoxRow>(
            "select trace_code, net_grams, length_cm, width_cm, height_cm from pickup_boxes where pickup_id = @Id order by seq", new { Id = id }, ct);
        CheckScan(boxes, scanned);
        if (pickup.Status == "collected")
        {
            // The courier's app retried after a lost answer: the shipment it booked, again.
            var again = await LoadAsync(db, pickup.ShipmentId, ct);
            await db.CommitAsync(ct);
            return TypedResults.Ok(again);
        }
        if (await db.ExecuteScalarAsync<bool>(
                "select exists (select 1 from cancellation_requests where order_id = @OrderId and answered_at is null)", new { pickup.OrderId }, ct))
            throw Problem.Conflict("cancellation-requested", "The cooperative asked to cancel this order; do not collect it.");
        var carrier = carriers.Get(pickup.Carrier);
        var line = RateCalculator.Find((await Rates.Rates.CardAsync(db, coop, ct)).Where(l => l.Carrier == carrier.Name), pickup.Product, pickup.DestinationCity)
            ?? throw Problem.Unprocessable("no-rate", $"The rate card has no {carrier.Name} {pickup.Product} rate to {pickup.DestinationCity}.");
        var price = RateCalculator.Quote(line, boxes.Select(b => new ParcelSpec(b.NetGrams, b.LengthCm, b.WidthCm, b.HeightCm)).ToList(),
            Rates.Rates.DiscountBps(await Rates.Rates.DiscountsAsync(db, coop, ct), carrier.Name));
        var (sender, account) = await Accounts.CarrierAccounts.ForBookingAsync(db, coop, carrier.Name, ct);
        var now = clock.GetUtcNow();
        // An earlier request that began booking may have reached the carrier even though its answer never came back.
        var bookedBefore = await db.ExecuteScalarAsync<bool>("select booking_started_at is not null from pickups where id = @Id", new { Id = id }, ct);
        await db.ExecuteAsync("update pickups set booking_started_at = @Now, updated_at = @Now where id = @Id", new { Id = id, Now = now }, ct);
        await db.CommitAsync(ct);
        await db.ReleaseConnectionAsync();

        // 2. The carrier, outside any transaction: one order per 300 parcels, each found again on a retry. The courier holds
        //    the boxes now, so the carrier's pickup time is now (not the window's start): the promise counts from it. The
        //    booking lease is kept alive meanwhile, so a cancellation waits for this collection however slow the carrier.
        var from = new Party(sender.ContactName, sender.Phone, sender.Province, sender.City, sender.Street, sender.County, sender.Name);
        var receiver = new Party(pickup.ContactName, pickup.Phone, Province(pickup.DestinationCity), pickup.DestinationCity, pickup.Address);
        var parts = boxes.Chunk(MaxParcelsPerCarrierOrder).ToList();
        var bookings = new List<(CarrierOrder Order, IReadOnlyList<Waybill> Waybills)>();
        await using (var lease = BookingLease.Keep(scopes, config, clock, id, logger))
        {
            foreach (var (part, i) in parts.Select((p, i) => (p, i + 1)))
            {
                if (lease.PickupCancelled)
                    throw Problem.Conflict("pickup-cancelled", "The order was cancelled while booking; the carrier orders are being cancelled.");
                var booking = await CarrierRegistry.Guard(() => carrier.BookAsync(new BookingRequest(CarrierOrderId(pickup.ShipmentId, i), pickup.Product, from, receiver,
                    part.Select(b => new BookingParcel(b.TraceCode, b.NetGrams)).ToList(), now,
                    $"MelonChain order {pickup.OrderId}" + (parts.Count > 1 ? $" part {i}/{parts.Count}" : ""), account, MayExist: bookedBefore), ct));
                if (booking.WaybillNos.Count != part.Length)
                    throw new ProblemException(502, "carrier-waybills", "Carrier answered unexpectedly",
                        $"The carrier issued {booking.WaybillNos.Count} waybills for {part.Length} parcels.");
                bookings.Add((new CarrierOrder(i, booking.CarrierOrderId, booking.MasterWaybillNo, part.Length),
                    booking.WaybillNos.Zip(part, (no, box) => new Waybill(no, box.TraceCode)).ToList()));
            }
        }

        // 3. Record what the carrier answered, in a second short transaction.
        await db.BeginAsync(ct);
        var current = await LoadForCourierAsync(db, id, user, ct);
        if (current.Status == "collected")
        {
            var recorded = await LoadAsync(db, current.ShipmentId, ct);
            await db.CommitAsync(ct);
            return TypedResults.Ok(recorded);
        }
        if (current.Status == "cancelled")
            throw Problem.Conflict("pickup-cancelled", "The order was cancelled while booking; the carrier order is being cancelled.");
        var first = bookings[0].Order;
        await db.ExecuteAsync(
            """
            insert into shipments (id, cooperative_id, pickup_id, order_id, buyer_id, carrier, carrier_order_id, product, destination_city,
                                   master_waybill_no, chargeable_grams, list_fen, negotiated_fen, collected_at, promised_by, status,
                                   status_at, last_route_at, courier_id)
            values (@Id, @Coop, @PickupId, @OrderId, @BuyerId, @Carrier, @CarrierOrderId, @Product, @City, @Master, @Grams,
                    @ListFen, @NegotiatedFen, @Now, @PromisedBy, 'pending', @Now, @Now, @Courier)
            """, new { Id = pickup.ShipmentId, Coop = coop, PickupId = pickup.Id, pickup.OrderId, pickup.BuyerId, Carrier = carrier.Name,
                       first.CarrierOrderId, pickup.Product, City = pickup.DestinationCity, Master = first.MasterWaybillNo, Grams = price.ChargeableGrams,
                       price.ListFen, price.NegotiatedFen, Now = now, PromisedBy = now.AddDays(price.PromisedDays), Courier = pickup.CourierId }, ct);
        await db.ExecuteAsync(
            """
            insert into carrier_orders (carrier_order_id, shipment_id, part, master_waybill_no, parcels)
            select * from unnest(@Ids, @Shipments, @Parts, @Masters, @Parcels)
            """, new { Ids = bookings.Select(b => b.Order.CarrierOrderId).ToArray(), Shipments = bookings.Select(_ => pickup.ShipmentId).ToArray(),
                       Parts = bookings.Select(b => b.Order.Part).ToArray(), Masters = bookings.Select(b => b.Order.MasterWaybillNo).ToArray(),
                       Parcels = bookings.Select(b => b.Order.Parcels).ToArray() }, ct);
        // A parcel's waybill is the master when the carrier numbers parcels by waybill (SF); JD's parcels are all package codes of the order's waybill.
        var waybills = bookings.SelectMany(b => b.Waybills.Select(w => (b.Order.Part, w.WaybillNo, w.TraceCode,
            Kind: w.WaybillNo == b.Order.MasterWaybillNo ? "master" : "child"))).ToList();
        await db.ExecuteAsync(
            """
            insert into waybills (waybill_no, shipment_id, trace_code, kind, part)
            select w.no, @Id, w.code, w.kind, w.part from unnest(@Nos, @Codes, @Kinds, @Parts) as w(no, code, kind, part)
            """, new { Id = pickup.ShipmentId, Nos = waybills.Select(w => w.WaybillNo).ToArray(), Codes = waybills.Select(w => w.TraceCode).ToArray(),
                       Kinds = waybills.Select(w => w.Kind).ToArray(), Parts = waybills.Select(w => w.Part).ToArray() }, ct);
        await db.ExecuteAsync("update pickups set status = 'collected', updated_at = @Now where id = @Id", new { Id = id, Now = now }, ct);
        await db.Publish(new ShipmentBooked(Guid.NewGuid(), now, coop, pickup.ShipmentId, pickup.OrderId, pickup.BuyerId, carrier.Name,
            pickup.Product, first.MasterWaybillNo, waybills.Select(w => new BookedWaybill(w.WaybillNo, w.TraceCode)).ToList(),
            price.ChargeableGrams, price.ListFen, price.NegotiatedFen, now.AddDays(price.PromisedDays),
            bookings.Select(b => new BookedCarrierOrder(b.Order.CarrierOrderId, b.Order.MasterWaybillNo, b.Order.Parcels)).ToList()), ct);
        // The carrier may already have pushed routes for these waybills (e.g. while a first attempt was dying).
        await Routes.RouteIngest.AdoptAsync(db, pickup.ShipmentId, clock, ct);
        var shipment = await LoadAsync(db, pickup.ShipmentId, ct);
        await db.CommitAsync(ct);
        // The carrier's waybill labels are fetched after the booking, never as part of it (a booking never fails by printing).
        labels.Wake();
        return TypedResults.Ok(shipment);
    }

    private static void CheckScan(IReadOnlyList<BoxRow> boxes, IReadOnlyList<string> scanned)
    {
        var packed = boxes.Select(b => b.TraceCode).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var seen = scanned.Select(c => c.Trim()).ToList();
        var seenSet = seen.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = boxes.Select(b => b.TraceCode).Where(c => !seenSet.Contains(c)).ToList();
        var unknown = seen.Where(c => !packed.Contains(c)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var twice = seen.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (missing.Count > 0 || unknown.Count > 0 || twice.Count > 0)
            throw Problem.Unprocessable("scan-mismatch", "The scanned boxes are not the packed boxes.",
                new Dictionary<string, object?> { ["missing"] = missing, ["unknown"] = unknown, ["duplicated"] = twice });
    }

    private sealed record ShipmentRow(Guid Id, Guid OrderId, Guid PickupId, string Carrier, string CarrierOrderId, string Product, string MasterWaybillNo,
        long ChargeableGrams, long ListFen, long NegotiatedFen, DateTimeOffset CollectedAt, DateTimeOffset PromisedBy, string Status);

    private static async Task<Shipment> LoadAsync(Db db, Guid shipmentId, CancellationToken ct)
    {
        var s = await db.QuerySingleAsync<ShipmentRow>(
            """
            select id, order_id, pickup_id, carrier, carrier_order_id, product, master_waybill_no, chargeable_grams, list_fen, negotiated_fen,
                   collected_at, promised_by, status from shipments where id = @Id
            """, new { Id = shipmentId }, ct);
        var waybills = await WaybillsAsync(db, shipmentId, ct);
        var orders = await CarrierOrdersAsync(db, shipmentId, ct);
        return new Shipment(s.Id, s.OrderId, s.PickupId, s.Carrier, s.CarrierOrderId, s.Product, s.MasterWaybillNo, waybills,
            s.ChargeableGrams / 1000m, s.ListFen, s.NegotiatedFen, s.ListFen - s.NegotiatedFen, s.CollectedAt, s.PromisedBy, s.Status, orders);
    }

    public static Task<IReadOnlyList<Waybill>> WaybillsAsync(Db db, Guid shipmentId, CancellationToken ct) => db.QueryAsync<Waybill>(
        "select waybill_no, trace_code from waybills where shipment_id = @Id order by part, kind desc, waybill_no", new { Id = shipmentId }, ct);

    public static async Task<IReadOnlyList<CarrierOrder>> CarrierOrdersAsync(Db db, Guid shipmentId, CancellationToken ct)
    {
        var rows = await db.QueryAsync<PartRow>(
            """
            select o.part, o.carrier_order_id, o.master_waybill_no, o.parcels, o.outcome, o.ended_at, o.billed_fen, o.bill_version, o.billed_at,
                   s.negotiated_fen
            from carrier_orders o join shipments s on s.id = o.shipment_id where o.shipment_id = @Id order by o.part
            """, new { Id = shipmentId }, ct);
        var parcels = rows.Select(r => r.Parcels).ToList();
        return rows.Select(r => new CarrierOrder(r.Part, r.CarrierOrderId, r.MasterWaybillNo, r.Parcels, r.Outcome, r.EndedAt,
            FeeBook.QuotedFen(r.NegotiatedFen, parcels, r.Part), r.BilledFen, r.BillVersion, r.BilledAt)).ToList();
    }

    private static string Province(string city) => RateCalculator.NormalizeDestination(city) switch
    {
        "Beijing" => "北京市",
        "Shanghai" => "上海市",
        var other => other,
    };
}
