using MelonChain.Messages.Dispatch;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Messaging;

namespace MelonChain.Cooperative.Consumers;

/// <summary>
/// The negotiated freight of a booked shipment is charged to its order's pools at settlement; each box keeps its
/// waybill, for recall.
/// </summary>
public sealed class ShipmentBookedConsumer(Db db) : InboxConsumer<ShipmentBooked>(db)
{
    protected override async Task Handle(ShipmentBooked m, Db db, CancellationToken ct)
    {
        await db.ExecuteAsync(
            """
            update orders set shipment_id = @ShipmentId, freight_fen = @NegotiatedFen, booked_at = @OccurredAt,
                              collected_at = coalesce(collected_at, @OccurredAt)
            where id = @OrderId and cooperative_id = @CooperativeId
            """, m, ct);
        await db.ExecuteAsync(
            """
            update boxes b set waybill_no = w.no
            from unnest(@Nos, @Codes) as w(no, code)
            where b.trace_code = w.code and b.order_id = @OrderId
            """, new { m.OrderId, Nos = m.Waybills.Select(w => w.WaybillNo).ToArray(), Codes = m.Waybills.Select(w => w.TraceCode).ToArray() }, ct);
        // Its carrier orders, for the freight reconciliation; a booking that names none is one, under its master waybill.
        var parts = m.CarrierOrders is { Count: > 0 } named ? named : [new BookedCarrierOrder(null!, m.MasterWaybillNo, Math.Max(1, m.Waybills.Count))];
        await db.ExecuteAsync(
            """
            insert into carrier_orders (order_id, master_waybill_no, carrier_order_id, part, carrier, parcels, booked_at)
            select @OrderId, p.master, p.id, p.part, @Carrier, p.parcels, @OccurredAt
            from unnest(@Masters, @Ids, @Parcels) with ordinality as p(master, id, parcels, part)
            where exists (select 1 from orders where id = @OrderId and cooperative_id = @CooperativeId)
            on conflict do nothing
            """, new { m.OrderId, m.CooperativeId, m.Carrier, m.OccurredAt, Masters = parts.Select(p => p.MasterWaybillNo).ToArray(),
                       Ids = parts.Select(p => p.CarrierOrderId).ToArray(), Parcels = parts.Select(p => Math.Max(1, p.Parcels)).ToArray() }, ct);
    }
}

/// <summary>A delivered order is settled by the first settlement whose period ends on or after its delivery (carrier's time, China date).</summary>
public sealed class ShipmentDeliveredConsumer(Db db) : InboxConsumer<ShipmentDelivered>(db)
{
    protected override Task Handle(ShipmentDelivered m, Db db, CancellationToken ct) => db.ExecuteAsync(
        """
        update orders set delivered_at = @DeliveredAt, on_time = @OnTime, shipment_id = coalesce(shipment_id, @ShipmentId)
        where id = @OrderId and cooperative_id = @CooperativeId
        """, m, ct);
}

/// <summary>
/// One carrier order ended: its boxes take its outcome (the first told stands; a repeat or a contradicting re-push
/// changes nothing). Once every box of the order has an outcome the order has ended (at its latest part's end) and the
/// next settlement takes it; an order whose every box arrived is delivered then, as ShipmentDelivered also says. A part
/// may end before its booking is known: the boxes exist from packing, and the order waits for its freight to settle.
/// Parts of one order are serialised on the order row.
/// </summary>
public sealed class ShipmentPartEndedConsumer(Db db) : InboxConsumer<ShipmentPartEnded>(db)
{
    protected override async Task Handle(ShipmentPartEnded m, Db db, CancellationToken ct)
    {
        if (!PartOutcomes.All.Contains(m.Outcome)) throw new InvalidOperationException($"Unknown part outcome '{m.Outcome}'.");
        // Parts of one order end concurrently: the order row is locked first, so the last one to commit sees every box.
        await db.ExecuteAsync("select 1 from orders where id = @OrderId for update", new { m.OrderId }, ct);
        await db.ExecuteAsync(
            """
            update boxes b set outcome = @Outcome, outcome_at = @EndedAt, carrier_order_id = @CarrierOrderId
            from orders o
            where o.id = b.order_id and o.id = @OrderId and o.cooperative_id = @CooperativeId
              and b.trace_code = any(@TraceCodes) and b.outcome is null
            """, new { m.Outcome, m.EndedAt, m.CarrierOrderId, m.OrderId, m.CooperativeId, TraceCodes = m.TraceCodes.ToArray() }, ct);
        await db.ExecuteAsync(
            """
            update orders o set ended_at = e.ended_at, shipment_id = coalesce(o.shipment_id, @ShipmentId),
                                delivered_at = case when e.all_delivered then coalesce(o.delivered_at, e.ended_at) else o.delivered_at end
            from (select max(outcome_at) as ended_at, bool_and(outcome = 'delivered') as all_delivered
                  from boxes where order_id = @OrderId having count(*) > 0 and bool_and(outcome is not null)) e
            where o.id = @OrderId and o.cooperative_id = @CooperativeId and o.ended_at is null
            """, new { m.OrderId, m.CooperativeId, m.ShipmentId }, ct);
    }
}

/// <summary>
/// The carrier paid compensation for lost or damaged parcels: kept once per carrier claim (a repeat changes nothing), it
/// raises the revenue of the pools the boxes were sold from at the next settlement, with its order or as adjustment lines.
/// </summary>
public sealed class CarrierCompensationPaidConsumer(Db db) : InboxConsumer<CarrierCompensationPaid>(db)
{
    protected override Task Handle(CarrierCompensationPaid m, Db db, CancellationToken ct) => db.ExecuteAsync(
        """
        insert into carrier_compensations (carrier_claim_id, cooperative_id, order_id, waybill_no, amount_fen, trace_codes, paid_at)
        select @CarrierClaimId, @CooperativeId, @OrderId, @WaybillNo, @AmountFen, @TraceCodes, @OccurredAt
        where @AmountFen > 0 and exists (select 1 from orders where id = @OrderId and cooperative_id = @CooperativeId)
        on conflict (carrier_claim_id) do nothing
        """, new { m.CarrierClaimId, m.CooperativeId, m.OrderId, m.WaybillNo, m.AmountFen, TraceCodes = m.TraceCodes.ToArray(), m.OccurredAt }, ct);
}

/// <summary>
/// What the carrier billed for one carrier order: one bill per carrier order, the highest version winning (a replay, the
/// same version again or a lower one changes nothing). The next settlement charges it to the pools instead of the
/// carrier order's quote, with its order or as adjustment lines for an order settled earlier.
/// </summary>
public sealed class CarrierFeeBilledConsumer(Db db) : InboxConsumer<CarrierFeeBilled>(db)
{
    protected override Task Handle(CarrierFeeBilled m, Db db, CancellationToken ct)
    {
        if (m.BilledFen < 0 || m.QuotedFen < 0)
            throw new InvalidOperationException($"A bill of {m.BilledFen} fen on a quote of {m.QuotedFen} fen for {m.CarrierOrderId}.");
        return db.ExecuteAsync(
            """
            insert into carrier_fees (id, carrier_order_id, cooperative_id, order_id, shipment_id, carrier, master_waybill_no, quoted_fen, billed_fen,
                                      version, billed_at, received_at)
            select @Id, @CarrierOrderId, @CooperativeId, @OrderId, @ShipmentId, @Carrier, @MasterWaybillNo, @QuotedFen, @BilledFen, @Version, @BilledAt, @OccurredAt
            where exists (select 1 from orders where id = @OrderId and cooperative_id = @CooperativeId)
            on conflict (carrier_order_id) do update
                set quoted_fen = excluded.quoted_fen, billed_fen = excluded.billed_fen, version = excluded.version, billed_at = excluded.billed_at,
                    received_at = excluded.received_at
                where excluded.version > carrier_fees.version and carrier_fees.cooperative_id = excluded.cooperative_id
                  and carrier_fees.order_id = excluded.order_id
            """, new { Id = Guid.CreateVersion7(), m.CarrierOrderId, m.CooperativeId, m.OrderId, m.ShipmentId, m.Carrier, m.MasterWaybillNo, m.QuotedFen,
                       m.BilledFen, m.Version, m.BilledAt, m.OccurredAt }, ct);
    }
}
