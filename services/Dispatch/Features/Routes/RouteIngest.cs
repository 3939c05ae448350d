using MelonChain.Messages;
using MelonChain.Dispatch.Features.Carrier;
using MelonChain.Messages.Dispatch;
using MelonChain.ServiceDefaults.Data;

namespace MelonChain.Dispatch.Features.Routes;

/// <summary>
/// Stores route records raw (a record seen before — same waybill, carrier code and time — is ignored, so replays and
/// duplicates are harmless), then moves each touched shipment to the status its records imply, emitting
/// ShipmentStatusChanged only on a change and ShipmentDelivered (on time or not against the promise) once.
/// Records of a waybill not booked here are kept aside and adopted when its booking commits (<see cref="AdoptAsync"/>):
/// a push can overtake the commit of the booking that issued the waybill. Runs inside the caller's transaction
/// (push request, poll round or booking).
/// </summary>
public static class RouteIngest
{
    private sealed record ShipmentRow(Guid Id, string CooperativeId, Guid OrderId, string Status, DateTimeOffset PromisedBy, int Parts);

    private sealed record Timeline(long Id, string? Status, DateTimeOffset At, string WaybillNo, string CarrierCode, string Location, string Remark, int Part);

    /// <summary>Returns how many records were new.</summary>
    /// <remarks>
    /// Locks in one order, so concurrent pushes for one shipment queue up instead of deadlocking: first each waybill
    /// (an advisory lock, in waybill order — the booking that issues a waybill takes the same lock before it adopts
    /// early records, so a record is either adopted by the booking or finds the booked waybill), then the shipments
    /// (in id order), and only then the route records, whose foreign key would otherwise share-lock the shipment
    /// before this transaction asks to update it.
    /// </remarks>
    public static async Task<int> ApplyAsync(Db db, string carrier, IReadOnlyList<RouteEvent> events, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var waybillNos = events.Select(e => e.WaybillNo).Distinct().Order(StringComparer.Ordinal).ToArray();
        await LockWaybillsAsync(db, waybillNos, ct);
        // A record names a parcel's waybill or a carrier order's master waybill (JD's one waybill per order).
        var shipmentOf = (await db.QueryAsync<(string WaybillNo, Guid ShipmentId)>(
            """
            select waybill_no, shipment_id from waybills where waybill_no = any(@WaybillNos)
            union
            select master_waybill_no, shipment_id from carrier_orders where master_waybill_no = any(@WaybillNos)
            """, new { WaybillNos = waybillNos }, ct))
            .ToDictionary(w => w.WaybillNo, w => w.ShipmentId);
        var touched = shipmentOf.Values.Distinct().Order().ToArray();
        await db.ExecuteAsync("select id from shipments where id = any(@Ids) order by id for update", new { Ids = touched }, ct);

        // The bound on unmatched records is counted under one lock, so concurrent pushes cannot each find room.
        if (events.Any(e => !shipmentOf.ContainsKey(e.WaybillNo)))
            await db.ExecuteAsync("select pg_advisory_xact_lock(hashtextextended('unmatched_route_records', 0))", ct: ct);

        var fresh = 0;
        foreach (var e in events)
        {
            if (!shipmentOf.TryGetValue(e.WaybillNo, out var shipmentId))
            {
                // Not booked here (yet): acknowledged and kept, so the carrier does not push it again and it is not lost —
                // up to a bound, so pushes for waybills that are not ours cannot grow storage without end (they also age out).
                await db.ExecuteAsync(
                    """
                    insert into unmatched_route_records (carrier, waybill_no, op_code, status, accept_time, accept_address, remark, raw, received_at)
                    select @Carrier, @WaybillNo, @CarrierCode, @Status, @At, @Location, @Remark, @Raw::jsonb, @Now
                    where (select count(*) from unmatched_route_records) < @Limit
                    on conflict do nothing
                    """, new { Carrier = carrier, e.WaybillNo, e.CarrierCode, e.Status, e.At, Location = Bound(e.Location), Remark = Bound(e.Remark),
                               e.Raw, Now = now, Limit = UnmatchedLimit }, ct);
                continue;
            }
            fresh += await db.ExecuteAsync(
                """
                insert into route_records (shipment_id, waybill_no, op_code, status, accept_time, accept_address, remark, raw, received_at)
                values (@ShipmentId, @WaybillNo, @CarrierCode, @Status, @At, @Location, @Remark, @Raw::jsonb, @Now)
                on conflict (waybill_no, op_code, accept_time) do nothing
                """, new { ShipmentId = shipmentId, e.WaybillNo, e.CarrierCode, e.Status, e.At,
                           Location = Bound(e.Location), Remark = Bound(e.Remark), e.Raw, Now = now }, ct);
        }
        foreach (var id in touched)
            await SettleAsync(db, id, now, ct);
        return fresh;
    }

    /// <summary>How many records of unknown waybills are kept at most (they are also deleted after <see cref="UnmatchedKeptFor"/>).</summary>
    public const int UnmatchedLimit = 10_000;

    /// <summary>A booking commits within minutes of its waybills' first records; older unmatched records are not ours.</summary>
    public static readonly TimeSpan UnmatchedKeptFor = TimeSpan.FromDays(2);

    private static async Task LockWaybillsAsync(Db db, IEnumerable<string> waybillNos, CancellationToken ct)
    {
        foreach (var waybillNo in waybillNos)
            await db.ExecuteAsync("select pg_advisory_xact_lock(hashtextextended('waybill:' || @WaybillNo, 0))", new { WaybillNo = waybillNo }, ct);
    }

    private sealed record Unmatched(string Carrier, string WaybillNo, string CarrierCode, string? Status, DateTimeOffset At, string Location, string Remark, string Raw);

    /// <summary>Applies the records that arrived for a shipment's waybills before its booking was committed.</summary>
    public static async Task AdoptAsync(Db db, Guid shipmentId, TimeProvider clock, CancellationToken ct)
    {
        // The pushes' lock on each waybill: a push still storing an early record finishes first, and one that comes
        // later waits for this booking to commit and then finds the waybill booked.
        const string ShipmentWaybills =
            """
            select waybill_no from waybills where shipment_id = @ShipmentId
            union select master_waybill_no from carrier_orders where shipment_id = @ShipmentId
            """;
        await LockWaybillsAsync(db, (await db.QueryAsync<string>(ShipmentWaybills, new { ShipmentId = shipmentId }, ct)).Order(StringComparer.Ordinal), ct);
        var early = await db.QueryAsync<Unmatched>(
            $"""
            delete from unmatched_route_records u where u.waybill_no in ({ShipmentWaybills})
            returning u.carrier, u.waybill_no, u.op_code as carrier_code, u.status, u.accept_time as at, u.accept_address as location, u.remark, u.raw::text as raw
            """, new { ShipmentId = shipmentId }, ct);
        foreach (var carrier in early.GroupBy(r => r.Carrier))
            await ApplyAsync(db, carrier.Key, carrier.Select(r => new RouteEvent(r.WaybillNo, null, r.CarrierCode, r.Status, r.At, r.Location,
                r.Remark, r.Raw)).ToList(), clock, ct);
    }

    private static string Bound(string text) => text.Length > 500 ? text[..500] : text;

    private static async Task SettleAsync(Db db, Guid shipmentId, DateTimeOffset now, CancellationToken ct)
    {
        var shipment = await db.QuerySingleAsync<ShipmentRow>(
            """
            select id, cooperative_id, order_id, status, promised_by,
                   (select greatest(count(*), 1)::int from carrier_orders o where o.shipment_id = s.id) as parts
            from shipments s where id = @Id for update
            """, new { Id = shipmentId }, ct);
        var records = await db.QueryAsync<Timeline>(
            """
            select r.id, r.status, r.accept_time as at, r.waybill_no, r.op_code as carrier_code, r.accept_address as location, r.remark, coalesce(w.part, o.part, 1) as part
            from route_records r left join waybills w on w.waybill_no = r.waybill_no
                 left join carrier_orders o on o.master_waybill_no = r.waybill_no and w.waybill_no is null
            where r.shipment_id = @Id
            """, new { Id = shipmentId }, ct);
        await db.ExecuteAsync("update shipments set last_route_at = @Now where id = @Id", new { Id = shipmentId, Now = now }, ct);
        if (shipment.Status != ShipmentStatuses.Cancelled)
            await EndPartsAsync(db, shipment, records, now, ct);
        var implied = RouteStatus.Implied(shipment.Status, records.Select(r => new StatusRecord(r.Id, r.Status, r.At, r.Part)), shipment.Parts);
        if (implied is null || implied.Status == shipment.Status) return;
        var record = records.Single(r => r.Id == implied.Id);
        await ChangeStatusAsync(db, shipment.CooperativeId, shipment.Id, shipment.OrderId, record.WaybillNo, record.Status!, record.At,
            record.Location, record.CarrierCode, record.Remark, now, ct);
        if (record.Status == ShipmentStatuses.Delivered)
        {
            var onTime = record.At <= shipment.PromisedBy;
            await db.ExecuteAsync("update shipments set delivered_at = @At, on_time = @OnTime where id = @Id",
                new { Id = shipment.Id, record.At, OnTime = onTime }, ct);
            await db.Publish(new ShipmentDelivered(Guid.NewGuid(), now, shipment.CooperativeId, shipment.Id, shipment.OrderId,
                record.At, shipment.PromisedBy, onTime), ct);
        }
    }

    private sealed record OpenPart(int Part, string CarrierOrderId, string MasterWaybillNo);

    /// <summary>
    /// Each carrier order whose route has ended (<see cref="RouteStatus.Endings"/>) gets its outcome once, and
    /// ShipmentPartEnded is published with it, naming the boxes it carried; under the shipment's lock, so concurrent
    /// pushes and polls cannot both end it.
    /// </summary>
    private static async Task EndPartsAsync(Db db, ShipmentRow shipment, IReadOnlyList<Timeline> records, DateTimeOffset now, CancellationToken ct)
    {
        var endings = RouteStatus.Endings(records.Select(r => new StatusRecord(r.Id, r.Status, r.At, r.Part)));
        if (endings.Count == 0) return;
        var open = await db.QueryAsync<OpenPart>(
            "select part, carrier_order_id, master_waybill_no from carrier_orders where shipment_id = @Id and outcome is null order by part",
            new { Id = shipment.Id }, ct);
        foreach (var part in open)
        {
            if (!endings.TryGetValue(part.Part, out var ending)) continue;
            var outcome = RouteStatus.OutcomeOf(ending.Status)!;
            await db.ExecuteAsync("update carrier_orders set outcome = @Outcome, ended_at = @At where carrier_order_id = @Id",
                new { Outcome = outcome, ending.At, Id = part.CarrierOrderId }, ct);
            var traceCodes = await db.QueryAsync<string>(
                "select trace_code from waybills where shipment_id = @ShipmentId and part = @Part order by kind desc, waybill_no",
                new { ShipmentId = shipment.Id, part.Part }, ct);
            await db.Publish(new ShipmentPartEnded(Guid.NewGuid(), now, shipment.CooperativeId, shipment.Id, shipment.OrderId, part.CarrierOrderId,
                part.MasterWaybillNo, outcome, ending.At, traceCodes), ct);
        }
    }

    public static async Task ChangeStatusAsync(Db db, string coop, Guid shipmentId, Guid orderId, string waybillNo, string status,
        DateTimeOffset at, string location, string carrierCode, string remark, DateTimeOffset now, CancellationToken ct)
    {
        await db.ExecuteAsync("update shipments set status = @Status, status_at = @At where id = @Id",
            new { Id = shipmentId, Status = status, At = at }, ct);
        await db.Publish(new ShipmentStatusChanged(Guid.NewGuid(), now, coop, shipmentId, orderId, waybillNo, status, at,
            location, carrierCode, remark), ct);
    }
}
