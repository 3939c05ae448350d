using System.Text.Json;
using Dapper;
using MassTransit;
using MelonChain.Messages;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MelonChain.ServiceDefaults.Messaging;

/// <summary>
/// Publishes outbox rows to RabbitMQ. Claims a batch with <c>FOR UPDATE SKIP LOCKED</c> (replicas share the
/// work), publishes the batch with confirms awaited together, deletes what the broker confirmed and pushes the
/// rest back with a capped backoff. It never gives up on a row: a broker outage only delays it. It starts only once
/// the catalogue's topology is declared, and publishes every event that has subscribers <em>mandatory</em>: a message
/// the broker cannot route to any queue is returned, so its row stays and is tried again instead of vanishing.
/// </summary>
public sealed class OutboxRelay(
    NpgsqlDataSource source, IBus bus, OutboxSignal signal, TopologyDeployment topology, ILogger<OutboxRelay> logger) : BackgroundService
{
    public const int BatchSize = 200;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private sealed record Row(long Id, Guid MessageId, string MessageType, string Body, int Attempts);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try { await topology.Ready.WaitAsync(stoppingToken); }
        catch (OperationCanceledException) { return; }
        while (!stoppingToken.IsCancellationRequested)
        {
            int relayed;
            try
            {
                relayed = await RelayBatchAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Outbox relay could not reach its database; retrying");
                relayed = 0;
            }

            // A full batch means more may be waiting: go again at once.
            if (relayed < BatchSize)
            {
                try { await signal.WaitAsync(PollInterval, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Publishes one batch; returns how many rows it claimed.</summary>
    public async Task<int> RelayBatchAsync(CancellationToken ct)
    {
        await using var connection = await source.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            """
            select id, message_id, message_type, body::text as body, attempts
            from outbox
            where next_attempt_at <= now()
            order by id
            limit @BatchSize
            for update skip locked
            """, new { BatchSize }, tx, cancellationToken: ct))).AsList();
        if (rows.Count == 0)
        {
            await tx.CommitAsync(ct);
            return 0;
        }

        var outcomes = await Task.WhenAll(rows.Select(row => PublishAsync(row, ct)));
        var published = rows.Where((_, i) => outcomes[i] is null).Select(r => r.Id).ToArray();
        var failed = rows.Select((r, i) => (Row: r, Error: outcomes[i])).Where(x => x.Error is not null).ToList();

        if (published.Length > 0)
            await connection.ExecuteAsync(new CommandDefinition(
                "delete from outbox where id = any(@Ids)", new { Ids = published }, tx, cancellationToken: ct));
        foreach (var (row, error) in failed)
        {
            var backoff = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 100 * Math.Pow(2, row.Attempts)));
            await connection.ExecuteAsync(new CommandDefinition(
                """
                update outbox set attempts = attempts + 1, last_error = @Error,
                                  next_attempt_at = now() + @Backoff
                where id = @Id
                """, new { row.Id, Error = error, Backoff = backoff }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        if (failed.Count > 0)
            logger.LogWarning("Outbox relay: {Failed} of {Count} events not published yet ({Error})",
                failed.Count, rows.Count, failed[0].Error);
        return rows.Count;
    }

    private async Task<string?> PublishAsync(Row row, CancellationToken ct)
    {
        try
        {
            var entry = EventCatalogue.Named(row.MessageType);
            var message = JsonSerializer.Deserialize(row.Body, entry.Type, MessageJson.Options)!;
            var mandatory = entry.Subscribers.Count > 0;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(PublishTimeout);
            await bus.Publish(message, entry.Type, Pipe.Execute<PublishContext>(ctx =>
            {
                ctx.MessageId = row.MessageId;
                if (mandatory && ctx.TryGetPayload<RabbitMqSendContext>(out var rabbit)) rabbit.Mandatory = true;
            }), timeout.Token);
            return null;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            return ex.GetType().Name + ": " + ex.Message;
        }
    }
}
