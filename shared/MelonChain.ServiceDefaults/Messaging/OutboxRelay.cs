using System.Text;
using Dapper;
using MassTransit;
using MelonChain.Messages;
using MelonChain.ServiceDefaults.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace MelonChain.ServiceDefaults.Messaging;

/// <summary>
/// Publishes outbox rows to RabbitMQ. Claims a batch with <c>FOR UPDATE SKIP LOCKED</c> (replicas share the
/// work), publishes the batch with confirms awaited together, deletes what the broker confirmed and pushes the
/// rest back with a capped backoff. It never gives up on a row: a broker outage only delays it. It starts only once
/// the catalogue's topology is declared, and publishes every event that has subscribers <em>mandatory</em>: a message
/// the broker cannot route to any queue is returned, so its row stays and is tried again instead of vanishing.
/// The stored JSON is the message: it is wrapped in MassTransit's envelope as text and published on a
/// RabbitMQ.Client channel with confirms, with no deserialise/serialise round trip per row. Each published row is
/// logged in <c>outbox_published</c> with the replica that published it, in the transaction that deletes it.
/// </summary>
public sealed class OutboxRelay(
    NpgsqlDataSource source, RabbitMqAddress broker, OutboxSignal signal, TopologyDeployment topology, ServiceInstance instance,
    ILogger<OutboxRelay> logger)
    : BackgroundService
{
    public const int BatchSize = 200;

    /// <summary>
    /// Batches in flight at once, each worker on its own channel: while one waits for the broker's confirms another
    /// claims and publishes the next rows (SKIP LOCKED keeps them apart, as it keeps replicas apart).
    /// </summary>
    public const int Workers = 2;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private sealed record Row(long Id, Guid MessageId, string MessageType, string Body, int Attempts);

    private readonly BrokerChannel[] _channels = Enumerable.Range(0, Workers).Select(_ => new BrokerChannel(broker)).ToArray();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try { await topology.Ready.WaitAsync(stoppingToken); }
        catch (OperationCanceledException) { return; }
        await Task.WhenAll(_channels.Select(channel => Task.Run(() => WorkAsync(channel, stoppingToken), CancellationToken.None)));
    }

    private async Task WorkAsync(BrokerChannel channel, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int relayed;
            try
            {
                relayed = await RelayBatchAsync(channel, stoppingToken);
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

            // A full batch means more may be waiting: go again at once, and wake the other worker to share it.
            if (relayed == BatchSize) signal.Wake();
            if (relayed < BatchSize)
            {
                try { await signal.WaitAsync(PollInterval, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Publishes one batch on the worker's channel; returns how many rows it claimed.</summary>
    private async Task<int> RelayBatchAsync(BrokerChannel channel, CancellationToken ct)
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

        var outcomes = await channel.PublishAllAsync(rows.Select(r => (r.MessageId, r.MessageType, r.Body)).ToList(), ct);
        var published = rows.Where((_, i) => outcomes[i] is null).Select(r => r.Id).ToArray();
        var failed = rows.Select((r, i) => (Row: r, Error: outcomes[i])).Where(x => x.Error is not null).ToList();

        if (published.Length > 0)
            await connection.ExecuteAsync(new CommandDefinition(
                """
                with gone as (delete from outbox where id = any(@Ids) returning message_id, message_type)
                insert into outbox_published (message_id, message_type, published_by)
                select message_id, message_type, @By from gone
                """, new { Ids = published, By = instance.Id }, tx, cancellationToken: ct));
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

    public override async Task StopAsync(CancellationToken ct)
    {
        await base.StopAsync(ct);
        foreach (var channel in _channels) await channel.DisposeAsync();
    }

    /// <summary>One confirming RabbitMQ.Client channel of a relay worker; a lost connection is made again for the next batch.</summary>
    private sealed class BrokerChannel(RabbitMqAddress broker) : IAsyncDisposable
    {
        private IConnection? _connection;
        private IChannel? _channel;

        /// <summary>Publishes every row at once and awaits the confirms together; per row, null or why it was not confirmed.</summary>
        public async Task<string?[]> PublishAllAsync(IReadOnlyList<(Guid MessageId, string MessageType, string Body)> rows, CancellationToken ct)
        {
            IChannel channel;
            try { channel = await ChannelAsync(ct); }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                await DisposeAsync();
                return rows.Select(_ => (string?)("broker unreachable: " + ex.Message)).ToArray();
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(PublishTimeout);
            var outcomes = await Task.WhenAll(rows.Select(row => PublishAsync(channel, row, timeout.Token)));
            if (!channel.IsOpen) await DisposeAsync();
            return outcomes;
        }

        private async Task<string?> PublishAsync(IChannel channel, (Guid MessageId, string MessageType, string Body) row, CancellationToken ct)
        {
            try
            {
                var entry = EventCatalogue.Named(row.MessageType);
                var properties = new BasicProperties
                {
                    MessageId = row.MessageId.ToString(),
                    ContentType = MassTransitEnvelope.ContentType,
                    Persistent = true,
                };
                var body = MassTransitEnvelope.Wrap(row.MessageId, entry, row.Body, broker, DateTimeOffset.UtcNow);
                await channel.BasicPublishAsync(entry.Name, "", mandatory: entry.Subscribers.Count > 0, properties, body, ct);
                return null;
            }
            catch (PublishReturnException returned)
            {
                return $"returned by the broker: {returned.ReplyCode} {returned.ReplyText} (exchange {returned.Exchange})";
            }
            catch (Exception ex) when (!ct.IsCancellationRequested || ex is OperationCanceledException)
            {
                return ex.GetType().Name + ": " + ex.Message;
            }
        }

        private async Task<IChannel> ChannelAsync(CancellationToken ct)
        {
            if (_channel is { IsOpen: true } open) return open;
            await DisposeAsync();
            var factory = new ConnectionFactory
            {
                Uri = broker.AmqpUri,
                AutomaticRecoveryEnabled = false,   // a lost connection is made again for the next batch
                RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
                ClientProvidedName = "outbox-relay",
            };
            _connection = await factory.CreateConnectionAsync(ct);
            _channel = await _connection.CreateChannelAsync(new CreateChannelOptions(
                publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
            return _channel;
        }

        public async ValueTask DisposeAsync()
        {
            try { if (_channel is not null) await _channel.DisposeAsync(); } catch (Exception) { }
            try { if (_connection is not null) await _connection.DisposeAsync(); } catch (Exception) { }
            (_channel, _connection) = (null, null);
        }
    }
}

/// <summary>
/// MassTransit's JSON envelope (<c>application/vnd.masstransit+json</c>) around an event already stored as JSON:
/// the consumers' MassTransit reads it as if MassTransit had published it.
/// </summary>
public static class MassTransitEnvelope
{
    public const string ContentType = "application/vnd.masstransit+json";

    public static byte[] Wrap(Guid messageId, EventCatalogue.Entry entry, string json, RabbitMqAddress broker, DateTimeOffset sentAt)
    {
        var destination = $"rabbitmq://{broker.Host}:{broker.Port}/{Uri.EscapeDataString(broker.VirtualHost.TrimStart('/'))}/{entry.Name}";
        var envelope = new StringBuilder(json.Length + 400)
            .Append("{\"messageId\":\"").Append(messageId.ToString()).Append('"')
            .Append(",\"destinationAddress\":\"").Append(destination).Append('"')
            .Append(",\"messageType\":[\"").Append(MessageUrn.ForTypeString(entry.Type)).Append("\"]")
            .Append(",\"message\":").Append(json)
            .Append(",\"sentTime\":\"").Append(sentAt.UtcDateTime.ToString("O")).Append('"')
            .Append(",\"headers\":{}}");
        return Encoding.UTF8.GetBytes(envelope.ToString());
    }
}
