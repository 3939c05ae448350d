using MelonChain.Messages.Cooperative;
using MelonChain.Messages.Dispatch;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Messaging;

namespace MelonChain.Cooperative.Consumers;

/// <summary>
/// Dispatch's answer to a cancellation request. Pickup closed or carrier order cancelled: the order is cancelled,
/// its kilograms go back to stock and OrderCancelled tells everyone. Already collected: the boxes are on their way,
/// the order stays collected and nothing returns to stock. Only the first answer counts.
/// </summary>
public sealed class CancellationAnsweredConsumer(Db db) : InboxConsumer<CancellationAnswered>(db)
{
    protected override async Task Handle(CancellationAnswered m, Db db, CancellationToken ct)
    {
        var order = await db.QuerySingleOrDefaultAsync<(string? Reason, bool Open)>(
            """
            select cancel_reason, (cancelled_at is null and cancel_answer is null and cancel_requested_at is not null) as open
            from orders where id = @OrderId and cooperative_id = @CooperativeId for update
            """, m, ct);
        if (!order.Open) return;
        if (!CancellationOutcomes.ReleasesStock(m.Outcome))
        {
            await db.ExecuteAsync(
                "update orders set cancel_answer = @Outcome, collected_at = coalesce(collected_at, @OccurredAt) where id = @OrderId",
                m, ct);
            return;
        }
        await db.ExecuteAsync(
            """
            update lots l set allocated_grams = l.allocated_grams - t.grams
            from (select s.lot_id, sum(s.grams) as grams from box_sources s join boxes b on b.trace_code = s.trace_code
                  where b.order_id = @OrderId group by s.lot_id) t
            where l.id = t.lot_id
            """, m, ct);
        await db.ExecuteAsync("update orders set cancel_answer = @Outcome, cancelled_at = @OccurredAt where id = @OrderId", m, ct);
        // The batch never left: its certificate stays on record (kept 6 months), marked revoked.
        await db.ExecuteAsync("update certificates set revoked_at = @OccurredAt, revoked_reason = @Reason where order_id = @OrderId and revoked_at is null",
            new { m.OccurredAt, m.OrderId, Reason = order.Reason ?? "cancelled by the cooperative" }, ct);
        await db.Publish(new OrderCancelled(Guid.NewGuid(), m.OccurredAt, m.CooperativeId, m.OrderId, order.Reason ?? "cancelled by the cooperative"), ct);
    }
}
