using MelonChain.Dispatch.Features.Cancellation;
using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Messaging;

namespace MelonChain.Dispatch.Consumers;

/// <summary>
/// Takes a cancellation request and answers it at once when the database can tell (pickup closed, never opened,
/// or already collected). When a collection has begun booking, only the carrier can tell: the request stays
/// pending and <see cref="CancellationWorker"/> asks the carrier, outside any transaction, until it answers.
/// </summary>
public sealed class CancellationRequestedConsumer(Db db, TimeProvider clock, CancellationSignal signal) : InboxConsumer<CancellationRequested>(db)
{
    protected override async Task Handle(CancellationRequested m, Db db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await Cancellations.LockOrderAsync(db, m.OrderId, ct);
        await db.ExecuteAsync(
            """
            insert into cancellation_requests (order_id, cooperative_id, reason, requested_at, next_try_at)
            values (@OrderId, @CooperativeId, @Reason, @Now, @Now) on conflict do nothing
            """, new { m.OrderId, m.CooperativeId, m.Reason, Now = now }, ct);
        var decision = await Cancellations.DecideAsync(db, m.OrderId, m.CooperativeId, now, ct);
        if (decision.Outcome is { } outcome)
            await Cancellations.AnswerAsync(db, m.OrderId, m.CooperativeId, outcome, Cancellations.Detail(outcome), now, ct);
        else
            signal.Wake();
    }
}
