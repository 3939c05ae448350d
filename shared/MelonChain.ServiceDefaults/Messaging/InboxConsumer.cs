using MassTransit;
using MelonChain.Messages;
using MelonChain.ServiceDefaults.Data;

namespace MelonChain.ServiceDefaults.Messaging;

/// <summary>
/// Base of every consumer: records <c>(message_id, consumer)</c> in the inbox in the same transaction as the
/// consumer's effects (and any events it publishes), so a redelivered message has no second effect.
/// </summary>
public abstract class InboxConsumer<TEvent>(Db db) : IConsumer<TEvent> where TEvent : class, IEvent
{
    public async Task Consume(ConsumeContext<TEvent> context)
    {
        var ct = context.CancellationToken;
        await db.BeginAsync(ct);
        var first = await db.ExecuteAsync(
            "insert into inbox (message_id, consumer) values (@MessageId, @Consumer) on conflict do nothing",
            new { MessageId = context.Message.EventId, Consumer = GetType().Name }, ct) == 1;
        if (first)
            await Handle(context.Message, db, ct);
        await db.CommitAsync(ct);
    }

    /// <summary>Applies the event; runs at most once per event id, inside the inbox transaction.</summary>
    protected abstract Task Handle(TEvent message, Db db, CancellationToken ct);
}
