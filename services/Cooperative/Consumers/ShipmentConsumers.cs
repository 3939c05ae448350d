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
