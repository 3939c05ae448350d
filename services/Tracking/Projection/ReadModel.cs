using System.Text.Json;
using MelonChain.Messages;
using MelonChain.Messages.ContractGrowing;
using MelonChain.Messages.Cooperative;
using MelonChain.Messages.Dispatch;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Messaging;

namespace MelonChain.Tracking.Projection;

/// <summary>
/// Applies events to the read model. Each apply is an idempotent upsert that touches only the fields its event
/// owns, and anything ordered (current status) is derived when read, so duplicates and any arrival order end in
/// the same rows — which is also what makes <see cref="RebuildAsync"/> exact.
/// </summary>
public static class ReadModel
{
    /// <summary>Keeps the event (once) and applies it; returns false for an event seen before.</summary>
    public static async Task<bool> RecordAsync<TEvent>(Db db, TEvent @event, CancellationToken ct) where TEvent : class, IEvent
    {
        var fresh = await db.ExecuteAsync(
            """
            insert into event_log (event_id, event_type, body, occurred_at)
            values (@EventId, @Type, @Body::jsonb, @OccurredAt) on conflict (event_id) do nothing
            """, new { @event.EventId, Type = EventCatalogue.NameOf(typeof(TEvent)), Body = JsonSerializer.Serialize(@event, MessageJson.Options), @event.OccurredAt }, ct) == 1;
        if (fresh) await ApplyAsync(db, @event, ct);
        return fresh;
    }

    /// <summary>Empties the read model and applies every kept event again, in the order they were kept.</summary>
    public static async Task<int> RebuildAsync(Db db, CancellationToken ct)
    {
        await db.ExecuteAsync("truncate shipments, boxes, waybills, timeline, contracts, seedling_issues", ct: ct);
        var events = await db.QueryAsync<(string EventType, string Body)>("select event_type, body::text from event_log order by seq", ct: ct);
        foreach (var (type, body) in events)
            await ApplyAsync(db, (IEvent)JsonSerializer.Deserialize(body, MessageJson.TypeOf(type), MessageJson.Options)!, ct);
        return events.Count;
    }

    private static Task ApplyAsync(Db db, IEvent @event, CancellationToken ct) => @event switch
    {
        ShipmentRequested e => Requested(db, e, ct),
        ShipmentBooked e => Booked(db, e, ct),
        ShipmentStatusChanged e => StatusChanged(db, e, ct),
        ShipmentDelivered e => Delivered(db, e, ct),
        OrderCancelled e => Cancelled(db, e, ct),
        ContractSigned e => Contract(db, e.ContractId, e.Region, e.Season, e.OccurredAt, ct),
        ContractAmended e => Contract(db, e.ContractId, e.Region, e.Season, e.OccurredAt, ct),
        SeedlingsIssued e => Seedlings(db, e, ct),
        _ => Task.CompletedTask,
    };

    private static async Task Requested(Db db, ShipmentRequested e, CancellationToken ct)
    {
        var digits = new string(e.Destination.Phone.Where(char.IsAsciiDigit).ToArray());
        await db.ExecuteAsync(
            """
            insert into shipments (order_id, cooperative_id, buyer_id, product, destination_city, phone_last4, requested_at)
            values (@OrderId, @CooperativeId, @BuyerId, @Product, @City, @Last4, @OccurredAt)
            on conflict (order_id) do update set buyer_id = excluded.buyer_id, product = excluded.product,
                destination_city = excluded.destination_city, phone_last4 = excluded.phone_last4,
                requested_at = excluded.requested_at
            """, new { e.OrderId, e.CooperativeId, e.BuyerId, e.Product, e.Destination.City,
                       Last4 = digits.Length >= 4 ? digits[^4..] : digits, e.OccurredAt }, ct);
        foreach (var box in e.Boxes)
            await db.ExecuteAsync(
                """
                insert into boxes (trace_code, order_id, cooperative_id, grade, net_grams, packed_at, sources)
                values (@TraceCode, @OrderId, @CooperativeId, @Grade, @NetGrams, @OccurredAt, @Sources::jsonb)
                on conflict (trace_code) do nothing
                """, new { box.TraceCode, e.OrderId, e.CooperativeId, box.Grade, box.NetGrams, e.OccurredAt,
                           Sources = JsonSerializer.Serialize(box.Sources, MessageJson.Options) }, ct);
    }

    private static async Task Booked(Db db, ShipmentBooked e, CancellationToken ct)
    {
        await db.ExecuteAsync(
            """
            insert into shipments (order_id, cooperative_id, buyer_id, product, shipment_id, carrier, master_waybill_no,
                                   list_fen, negotiated_fen, booked_at, promised_by)
            values (@OrderId, @CooperativeId, @BuyerId, @Product, @ShipmentId, @Carrier, @MasterWaybillNo,
                    @ListFen, @NegotiatedFen, @OccurredAt, @PromisedBy)
            on conflict (order_id) do update set shipment_id = excluded.shipment_id, carrier = excluded.carrier,
                master_waybill_no = excluded.master_waybill_no, list_fen = excluded.list_fen,
                negotiated_fen = excluded.negotiated_fen, booked_at = excluded.booked_at, promised_by = excluded.promised_by,
                buyer_id = coalesce(shipments.buyer_id, excluded.buyer_id), product = coalesce(shipments.product, excluded.product)
            """, new { e.OrderId, e.CooperativeId, e.BuyerId, e.Product, e.ShipmentId, e.Carrier, e.MasterWaybillNo,
                       e.ListFen, e.NegotiatedFen, e.OccurredAt, e.PromisedBy }, ct);
        foreach (var waybill in e.Waybills)
            await db.ExecuteAsync(
                "insert into waybills (waybill_no, order_id, trace_code) values (@WaybillNo, @OrderId, @TraceCode) on conflict do nothing",
                new { waybill.WaybillNo, e.OrderId, waybill.TraceCode }, ct);
    }

    private static Task StatusChanged(Db db, ShipmentStatusChanged e, CancellationToken ct) => db.ExecuteAsync(
        """
        insert into timeline (event_id, order_id, waybill_no, status, status_at, location, carrier_code, remark)
        values (@EventId, @OrderId, @WaybillNo, @Status, @StatusAt, @Location, @CarrierCode, @Remark)
        on conflict (event_id) do nothing
        """, e, ct);

    private static Task Delivered(Db db, ShipmentDelivered e, CancellationToken ct) => db.ExecuteAsync(
        """
        insert into shipments (order_id, cooperative_id, shipment_id, promised_by, delivered_at, on_time)
        values (@OrderId, @CooperativeId, @ShipmentId, @PromisedBy, @DeliveredAt, @OnTime)
        on conflict (order_id) do update set delivered_at = excluded.delivered_at, on_time = excluded.on_time,
            promised_by = coalesce(shipments.promised_by, excluded.promised_by)
        """, e, ct);

    private static Task Cancelled(Db db, OrderCancelled e, CancellationToken ct) => db.ExecuteAsync(
        """
        insert into shipments (order_id, cooperative_id, cancelled_at) values (@OrderId, @CooperativeId, @OccurredAt)
        on conflict (order_id) do update set cancelled_at = excluded.cancelled_at
        """, e, ct);

    private static Task Contract(Db db, Guid contractId, string region, string season, DateTimeOffset at, CancellationToken ct) => db.ExecuteAsync(
        """
        insert into contracts (contract_id, region, season, version_at) values (@ContractId, @Region, @Season, @At)
        on conflict (contract_id) do update set region = excluded.region, season = excluded.season, version_at = excluded.version_at
            where contracts.version_at < excluded.version_at
        """, new { ContractId = contractId, Region = region, Season = season, At = at }, ct);

    private static Task Seedlings(Db db, SeedlingsIssued e, CancellationToken ct) => db.ExecuteAsync(
        """
        insert into seedling_issues (event_id, contract_id, batch_no, nursery, mother_field, issued_on)
        values (@EventId, @ContractId, @BatchNo, @Nursery, @MotherField, @IssuedOn) on conflict do nothing
        """, e, ct);
}
