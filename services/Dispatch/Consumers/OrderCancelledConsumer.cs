using MelonChain.Dispatch.Features.Carrier;
using MelonChain.Dispatch.Features.Routes;
using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Messaging;

namespace MelonChain.Dispatch.Consumers;

/// <summary>
/// A cancelled order closes its pickup while no box has left; once booked, it cancels the carrier order too
/// (which the carrier refuses after pickup: then the shipment goes on and the refusal is logged).
/// Remembered, so a ShipmentRequested arriving after the cancellation opens nothing.
/// </summary>
public sealed class OrderCancelledConsumer(Db db, ICarrier carrier, TimeProvider clock, ILogger<OrderCancelledConsumer> logger)
    : InboxConsumer<OrderCancelled>(db)
{
    private sealed record Booked(Guid Id, Guid OrderId, string CarrierOrderId, string MasterWaybillNo, string Status);

    protected override async Task Handle(OrderCancelled m, Db db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await db.ExecuteAsync(
            """
            insert into cancelled_orders (order_id, cooperative_id, reason, cancelled_at) values (@OrderId, @Coop, @Reason, @Now)
            on conflict do nothing
            """, new { m.OrderId, Coop = m.CooperativeId, m.Reason, Now = now }, ct);
        await db.ExecuteAsync(
            """
            update pickups set status = 'cancelled', updated_at = @Now
            where order_id = @OrderId and cooperative_id = @Coop and status in ('open', 'accepted', 'scheduled')
            """, new { m.OrderId, Coop = m.CooperativeId, Now = now }, ct);

        var shipment = await db.QuerySingleOrDefaultAsync<Booked>(
            """
            select id, order_id, carrier_order_id, master_waybill_no, status from shipments
            where order_id = @OrderId and cooperative_id = @Coop for update
            """, new { m.OrderId, Coop = m.CooperativeId }, ct);
        if (shipment is null || shipment.Status != "pending") return;
        try
        {
            await carrier.CancelAsync(shipment.CarrierOrderId, ct);
        }
        catch (ProblemException e) when (e.Status == 502)
        {
            logger.LogWarning("Carrier refused to cancel {CarrierOrderId}: {Detail}", shipment.CarrierOrderId, e.Detail);
            return;
        }
        await RouteIngest.ChangeStatusAsync(db, m.CooperativeId, shipment.Id, shipment.OrderId, shipment.MasterWaybillNo,
            "cancelled", now, "", "", m.Reason, now, ct);
    }
}
