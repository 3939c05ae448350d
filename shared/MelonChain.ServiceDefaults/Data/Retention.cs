using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MelonChain.ServiceDefaults.Data;

/// <summary>Rows of <paramref name="Table"/> whose <paramref name="Column"/> is older than <paramref name="KeptFor"/> are deleted.</summary>
public sealed record RetentionRule(string Table, string Column, TimeSpan KeptFor);

/// <summary>
/// Deletes what is only kept for a while, in small batches so no delete holds many locks: every service's
/// idempotency keys after 8 days (an online client retries within minutes, but the workstation's offline queue may
/// replay a capture whose answer was lost up to the 7 days a capture is accepted for, so a key outlives that window),
/// its relay's publication log after 24 hours, and its inbox rows after 7 days — far beyond the broker's redelivery
/// horizon, since a message is redelivered only while it is unacknowledged, and the outbox republishes only within
/// seconds of a lost confirm. Services add rules
/// of their own (Dispatch: route records of waybills that never became ours).
/// </summary>
public sealed class Retention(NpgsqlDataSource source, IEnumerable<RetentionRule> rules, ILogger<Retention> logger) : BackgroundService
{
    public static readonly RetentionRule IdempotencyKeys = new("idempotency_keys", "created_at", TimeSpan.FromDays(8));
    public static readonly RetentionRule Inbox = new("inbox", "received_at", TimeSpan.FromDays(7));
    public static readonly RetentionRule OutboxPublished = new("outbox_published", "published_at", TimeSpan.FromHours(24));
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);
    private const int Batch = 5_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try { await PruneAsync(stoppingToken); }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Retention could not prune; trying again in {Interval}", Interval);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass over every rule; returns how many rows it deleted.</summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        var deleted = 0;
        foreach (var rule in rules)
        {
            int batch;
            do
            {
                await using var connection = await source.OpenConnectionAsync(ct);
                // Table and column names come from code, never from a request.
                batch = await connection.ExecuteAsync(new CommandDefinition(
                    $"""
                    delete from {rule.Table} where ctid = any(array(
                        select ctid from {rule.Table} where {rule.Column} < now() - @KeptFor limit {Batch}))
                    """, new { rule.KeptFor }, cancellationToken: ct));
                deleted += batch;
            } while (batch == Batch);
        }
        if (deleted > 0) logger.LogInformation("Retention deleted {Rows} expired rows", deleted);
        return deleted;
    }
}
