using MelonChain.Dispatch.Features.Carrier;
using MelonChain.Messages.Dispatch;
using MelonChain.ServiceDefaults.Data;

namespace MelonChain.Dispatch.Features.Routes;

/// <summary>
/// Stores route records raw (a record seen before — same waybill, opCode and time — is ignored, so replays and
/// duplicates are harmless), then moves each touched shipment to the status its records imply, emitting
/// ShipmentStatusChanged only on a change and ShipmentDelivered (on time or not against the promise) once.
/// Records of a waybill not booked here are kept aside and adopted when its booking commits (<see cref="AdoptAsync"/>):
/// a push can overtake the commit of the booking that issued the waybill. Runs inside the caller's transaction
/// (push request, poll round or booking).
/// </summary>
public static class RouteIngest
{
    private sealed record ShipmentRow(Guid Id, string CooperativeId, Guid OrderId, string Status, DateTimeOffset PromisedBy, int Parts);

    private sealed record Timeline(long Id, string? Status, DateTimeOffset At, string WaybillNo, string OpCode, string AcceptAddress, string Remark, int Part);

    /// <summary>Returns how many records were new.</summary>
    public static async Task<int> ApplyAsync(Db db, IReadOnlyList<RouteEvent> events, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var touched = new HashSet<Guid>();
        var fresh = 0;
        foreach (var e in events)
        {
            var shipmentId = await db.QuerySingleOrDefaultAsync<Guid?>(
                "select shipment_id from waybills where waybill_no = @WaybillNo", new { e.WaybillNo }, ct);
            if (shipmentId is null)
            {
                // Not booked here (yet): acknowledged and kept, so the carrier does not push it again and it is not lost.
                await db.ExecuteAsync(
                    """
                    insert into unmatched_route_records (waybill_no, op_code, accept_time, accept_address, remark, raw, received_at)
                    values (@WaybillNo, @OpCode, @At, @Location, @Remark, @Raw::jsonb, @Now)
                    on conflict do nothing
                    """, new { e.WaybillNo, e.OpCode, e.At, Location = Bound(e.Location), Remark = Bound(e.Remark), e.Raw, Now = now }, ct);
                continue;
            }
            fresh += await db.ExecuteAsync(
                """
                insert into route_records (shipment_id, waybill_no, op_code, status, accept_time, accept_address, remark, raw, received_at)
                values (@ShipmentId, @WaybillNo, @OpCode, @Status, @At, @Location, @Remark, @Raw::jsonb, @Now)
                on conflict (waybill_no, op_code, accept_time) do nothing
                """, new { ShipmentId = shipmentId, e.WaybillNo, e.OpCode, Status = SfProtocol.StatusOf(e.OpCode), e.At,
                           Location = Bound(e.Location), Remark = Bound(e.Remark), e.Raw, Now = now }, ct);
            touched.Add(shipmentId.Value);
        }
        foreach (var id in touched.Order())
            await SettleAsync(db, id, now, ct);
        return fresh;
    }

    private sealed record Unmatched(string WaybillNo, string OpCode, DateTimeOffset AcceptTime, string AcceptAddress, string Remark, string Raw);

    /// <summary>Applies the records that arrived for a shipment's waybills before its booking was committed.</summary>
    public static async Task AdoptAsync(Db db, Guid shipmentId, TimeProvider clock, CancellationToken ct)
    {
        var early = await db.QueryAsync<Unmatched>(
            """
            delete from unmatched_route_records u using waybills w
            where w.waybill_no = u.waybill_no and w.shipment_id = @ShipmentId
            returning u.waybill_no, u.op_code, u.accept_time, u.accept_address, u.remark, u.raw::text as raw
            """, new { ShipmentId = shipmentId }, ct);
        if (early.Count > 0)
            await ApplyAsync(db, early.Select(r => new RouteEvent(r.WaybillNo, null, r.OpCode, r.AcceptTime, r.AcceptAddress, r.Remark, r.Raw)).ToList(), clock, ct);
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
            select r.id, r.status, r.accept_time as at, r.waybill_no, r.op_code, r.accept_address, r.remark, coalesce(w.part, 1) as part
            from route_records r left join waybills w on w.waybill_no = r.waybill_no where r.shipment_id = @Id
            """, new { Id = shipmentId }, ct);
        await db.ExecuteAsync("update shipments set last_route_at = @Now where id = @Id", new { Id = shipmentId, Now = now }, ct);
        var implied = RouteStatus.Implied(shipment.Status, records.Select(r => new StatusRecord(r.Id, r.Status, r.At, r.Part)), shipment.Parts);
        if (implied is null || implied.Status == shipment.Status) return;
        var record = records.Single(r => r.Id == implied.Id);
        await ChangeStatusAsync(db, shipment.CooperativeId, shipment.Id, shipment.OrderId, record.WaybillNo, record.Status!, record.At,
            record.AcceptAddress, record.OpCode, record.Remark, now, ct);
        if (record.Status == "delivered")
        {
            var onTime = record.At <= shipment.PromisedBy;
            await db.ExecuteAsync("update shipments set delivered_at = @At, on_time = @OnTime where id = @Id",
                new { Id = shipment.Id, record.At, OnTime = onTime }, ct);
            await db.Publish(new ShipmentDelivered(Guid.NewGuid(), now, shipment.CooperativeId, shipment.Id, shipment.OrderId,
                record.At, shipment.PromisedBy, onTime), ct);
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
