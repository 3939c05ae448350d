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
        // Shared with other consumers, exclusive to a rebuild of the same cooperative: an event is either replayed by the
        // rebuild or applied after it, never applied and then wiped.
        await LockCooperativeAsync(db, @event.CooperativeId, "pg_advisory_xact_lock_shared", ct);
        var fresh = await db.ExecuteAsync(
            """
            insert into event_log (event_id, event_type, cooperative_id, body, occurred_at)
            values (@EventId, @Type, @CooperativeId, @Body::jsonb, @OccurredAt) on conflict (event_id) do nothing
            """, new { @event.EventId, Type = EventCatalogue.NameOf(typeof(TEvent)), @event.CooperativeId,
                       Body = JsonSerializer.Serialize(@event, MessageJson.Options), @event.OccurredAt }, ct) == 1;
        if (fresh) await ApplyAsync(db, @event, ct);
        return fresh;
    }

    /// <summary>The read-model tables, each with its cooperative.</summary>
    private static readonly string[] Tables = ["shipments", "boxes", "waybills", "timeline", "contracts", "seedling_issues", "cooperative_profiles", "box_outcomes", "carrier_orders"];

    /// <summary>
    /// Deletes one cooperative's rows and applies its kept events again, in the order they were kept. Other
    /// cooperatives' rows are untouched, and readers are never blocked (row deletes, not a truncate): they see the old
    /// rows until the rebuild commits, then the new ones. That cooperative's consumers wait for it.
    /// </summary>
    public static async Task<int> RebuildAsync(Db db, string cooperativeId, CancellationToken ct)
    {
        await LockCooperativeAsync(db, cooperativeId, "pg_advisory_xact_lock", ct);
        foreach (var table in Tables)
            await db.ExecuteAsync($"delete from {table} where cooperative_id = @CooperativeId", new { CooperativeId = cooperativeId }, ct);
        var events = await db.QueryAsync<(string EventType, string Body)>(
            "select event_type, body::text from event_log where cooperative_id = @CooperativeId order by seq", new { CooperativeId = cooperativeId }, ct);
        foreach (var (type, body) in events)
            await ApplyAsync(db, (IEvent)JsonSerializer.Deserialize(body, MessageJson.TypeOf(type), MessageJson.Options)!, ct);
        return events.Count;
    }

    private static Task LockCooperativeAsync(Db db, string cooperativeId, string function, CancellationToken ct) =>
        db.ExecuteAsync($"select {function}(hashtextextended('tracking-read-model:' || @CooperativeId, 0))", new { CooperativeId = cooperativeId }, ct);

    private static Task ApplyAsync(Db db, IEvent @event, CancellationToken ct) => @event switch
    {
        ShipmentRequested e => Requested(db, e, ct),
        ShipmentBooked e => Booked(db, e, ct),
        ShipmentStatusChanged e => StatusChanged(db, e, ct),
        ShipmentDelivered e => Delivered(db, e, ct),
        ShipmentPartEnded e => PartEnded(db, e, ct),
        OrderCancelled e => Cancelled(db, e, ct),
        ContractSigned e => Contract(db, e.CooperativeId, e.ContractId, e.Region, e.Season, e.OccurredAt, ct),
        ContractAmended e => Contract(db, e.CooperativeId, e.ContractId, e.Region, e.Season, e.OccurredAt, ct),
        SeedlingsIssued e => Seedlings(db, e, ct),
        CooperativeProfileSaved e => Profile(db, e, ct),
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
        var parts = e.CarrierOrders ?? [];
        if (parts.Count > 0)
            await db.ExecuteAsync(
                """
                insert into carrier_orders (carrier_order_id, order_id, cooperative_id, part, master_waybill_no, parcels)
                select id, @OrderId, @CooperativeId, part, master, parcels
                from unnest(@Ids::text[], @Parts::int[], @Masters::text[], @Parcels::int[]) as p(id, part, master, parcels)
                on conflict (carrier_order_id) do nothing
                """, new { e.OrderId, e.CooperativeId, Ids = parts.Select(p => p.CarrierOrderId).ToArray(),
                           Parts = parts.Select((_, i) => i + 1).ToArray(), Masters = parts.Select(p => p.MasterWaybillNo).ToArray(),
                           Parcels = parts.Select(p => p.Parcels).ToArray() }, ct);
        var carrierOrderOf = CarrierOrderOfEachParcel(e);
        await db.ExecuteAsync(
            """
            insert into waybills (waybill_no, order_id, trace_code, cooperative_id, carrier_order_id)
            select no, @OrderId, code, @CooperativeId, part from unnest(@Nos::text[], @Codes::text[], @CarrierOrders::text[]) as w(no, code, part)
            on conflict do nothing
            """, new { e.OrderId, e.CooperativeId, Nos = e.Waybills.Select(w => w.WaybillNo).ToArray(),
                       Codes = e.Waybills.Select(w => w.TraceCode).ToArray(), CarrierOrders = carrierOrderOf }, ct);
    }

    /// <summary>
    /// The carrier order each parcel's waybill travels in: Dispatch lists the waybills part by part, each carrier order's
    /// parcels in turn (<see cref="BookedCarrierOrder.Parcels"/>). Null for each when the event names no carrier orders
    /// (kept from before) or their parcels do not add up to the waybills.
    /// </summary>
    private static string?[] CarrierOrderOfEachParcel(ShipmentBooked e)
    {
        var parts = e.CarrierOrders ?? [];
        if (parts.Sum(p => p.Parcels) != e.Waybills.Count) return new string?[e.Waybills.Count];
        return parts.SelectMany(p => Enumerable.Repeat<string?>(p.CarrierOrderId, p.Parcels)).ToArray();
    }

    private static Task StatusChanged(Db db, ShipmentStatusChanged e, CancellationToken ct) => db.ExecuteAsync(
        """
        insert into timeline (event_id, order_id, waybill_no, status, status_at, location, carrier_code, remark, cooperative_id)
        values (@EventId, @OrderId, @WaybillNo, @Status, @StatusAt, @Location, @CarrierCode, @Remark, @CooperativeId)
        on conflict (event_id) do nothing
        """, e, ct);

    private static Task Delivered(Db db, ShipmentDelivered e, CancellationToken ct) => db.ExecuteAsync(
        """
        insert into shipments (order_id, cooperative_id, shipment_id, promised_by, delivered_at, on_time)
        values (@OrderId, @CooperativeId, @ShipmentId, @PromisedBy, @DeliveredAt, @OnTime)
        on conflict (order_id) do update set delivered_at = excluded.delivered_at, on_time = excluded.on_time,
            promised_by = coalesce(shipments.promised_by, excluded.promised_by)
        """, e, ct);

    /// <summary>
    /// Each box of the carrier order gets its outcome. A carrier order ends once: should two endings of a box ever be
    /// told, the earliest (by the carrier's time) stays, whatever order they arrive in, so a rebuild agrees.
    /// </summary>
    private static Task PartEnded(Db db, ShipmentPartEnded e, CancellationToken ct) => db.ExecuteAsync(
        """
        insert into box_outcomes (trace_code, order_id, cooperative_id, carrier_order_id, outcome, ended_at)
        select code, @OrderId, @CooperativeId, @CarrierOrderId, @Outcome, @EndedAt from unnest(@TraceCodes::text[]) code
        on conflict (trace_code) do update
            set carrier_order_id = excluded.carrier_order_id, outcome = excluded.outcome, ended_at = excluded.ended_at
            where excluded.ended_at < box_outcomes.ended_at
        """, new { e.OrderId, e.CooperativeId, e.CarrierOrderId, e.Outcome, e.EndedAt, TraceCodes = e.TraceCodes.ToArray() }, ct);

    private static Task Cancelled(Db db, OrderCancelled e, CancellationToken ct) => db.ExecuteAsync(
        """
        insert into shipments (order_id, cooperative_id, cancelled_at) values (@OrderId, @CooperativeId, @OccurredAt)
        on conflict (order_id) do update set cancelled_at = excluded.cancelled_at
        """, e, ct);

    private static Task Contract(Db db, string cooperativeId, Guid contractId, string region, string season, DateTimeOffset at, CancellationToken ct) => db.ExecuteAsync(
        """
        insert into contracts (contract_id, cooperative_id, region, season, version_at) values (@ContractId, @CooperativeId, @Region, @Season, @At)
        on conflict (contract_id) do update set region = excluded.region, season = excluded.season, version_at = excluded.version_at
            where contracts.version_at < excluded.version_at
        """, new { ContractId = contractId, CooperativeId = cooperativeId, Region = region, Season = season, At = at }, ct);

    private static Task Seedlings(Db db, SeedlingsIssued e, CancellationToken ct) => db.ExecuteAsync(
        """
        insert into seedling_issues (event_id, contract_id, batch_no, nursery, mother_field, issued_on, cooperative_id)
        values (@EventId, @ContractId, @BatchNo, @Nursery, @MotherField, @IssuedOn, @CooperativeId) on conflict do nothing
        """, e, ct);

    private static Task Profile(Db db, CooperativeProfileSaved e, CancellationToken ct) => db.ExecuteAsync(
        """
        insert into cooperative_profiles (cooperative_id, name, certificate_producer, certificate_origin, certificate_contact, certificate_basis, version)
        values (@CooperativeId, @Name, @Producer, @Origin, @Contact, @Basis, @Version)
        on conflict (cooperative_id) do update set name = excluded.name, certificate_producer = excluded.certificate_producer,
            certificate_origin = excluded.certificate_origin, certificate_contact = excluded.certificate_contact,
            certificate_basis = excluded.certificate_basis, version = excluded.version
            where cooperative_profiles.version < excluded.version
        """, new { e.CooperativeId, e.Name, e.Certificate.Producer, e.Certificate.Origin, e.Certificate.Contact, e.Certificate.Basis, e.Version }, ct);
}
