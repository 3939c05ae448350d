using MassTransit;
using MelonChain.Messages;
using MelonChain.ServiceDefaults.Data;

namespace MelonChain.ServiceDefaults.Messaging;

/// <summary>
/// Base of every consumer: records <c>(message_id, consumer)</c> in the inbox in the same transaction as the
/// consumer's effects (and any events it publishes), so a redelivered message has no second effect. The consumer's
/// name is the queue it receives from — its subscription in the <see cref="EventCatalogue"/> — not its class name.
/// </summary>
public abstract class InboxConsumer<TEvent>(Db db) : IConsumer<TEvent> where TEvent : class, IEvent
{
    /// <summary>How long a message waits for its database to come back before the ordinary retries and the _error queue.</summary>
    public static readonly TimeSpan WaitForDatabase = TimeSpan.FromMinutes(5);

    public async Task Consume(ConsumeContext<TEvent> context)
    {
        var ct = context.CancellationToken;
        var consumer = NameOf(context.ReceiveContext.InputAddress);
        var giveUpAt = DateTime.UtcNow + WaitForDatabase;
        var pause = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await db.BeginAsync(ct);
                var first = await db.ExecuteAsync(
                    "insert into inbox (message_id, consumer) values (@MessageId, @Consumer) on conflict do nothing",
                    new { MessageId = context.Message.EventId, Consumer = consumer }, ct) == 1;
                if (first)
                    await Handle(context.Message, db, ct);
                await db.CommitAsync(ct);
                return;
            }
            catch (Exception e) when (MessagingSetup.DatabaseAway(e) && DateTime.UtcNow < giveUpAt && !ct.IsCancellationRequested)
            {
                // A restart or failover: the message stays unacknowledged and is tried again on a fresh connection, instead
                // of running through its few quick retries into the _error queue while the database is still away.
                await db.ResetAsync();
                await Task.Delay(pause, ct);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
            catch
            {
                // The retry that follows must start afresh: no half-done transaction, no connection the database dropped.
                await db.ResetAsync();
                throw;
            }
        }
    }

    /// <summary>The queue of an input address (<c>rabbitmq://host/vhost/queue?…</c>).</summary>
    public static string NameOf(Uri inputAddress) => inputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1];

    /// <summary>Applies the event; runs at most once per event id, inside the inbox transaction.</summary>
    protected abstract Task Handle(TEvent message, Db db, CancellationToken ct);
}
