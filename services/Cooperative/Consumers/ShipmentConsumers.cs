using MelonChain.Messages.Dispatch;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Messaging;

namespace MelonChain.Cooperative.Consumers;

/// <summary>The negotiated freight of a booked shipment is charged to its order's pools at settlement.</summary>
public sealed class ShipmentBookedConsumer(Db db) : InboxConsumer<ShipmentBooked>(db)
{
    protected override Task Handle(ShipmentBooked m, Db db, CancellationToken ct) => db.ExecuteAsync(
        """
        update orders set shipment_id = @ShipmentId, freight_fen = @NegotiatedFen, booked_at = @OccurredAt,
                          collected_at = coalesce(collected_at, @OccurredAt)
        where id = @OrderId and cooperative_id = @CooperativeId
        """, m, ct);
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
