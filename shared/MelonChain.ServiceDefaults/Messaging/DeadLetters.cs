using System.Text;
using System.Text.Json;
using MelonChain.Messages;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace MelonChain.ServiceDefaults.Messaging;

/// <summary>A dead-letter queue holding messages, and how many.</summary>
public sealed record DeadLetterCount(string Queue, long Messages);

/// <summary>One message a consumer gave up on, as MassTransit left it in the <c>_error</c> queue.</summary>
public sealed record DeadLetter(
    string Queue, Guid MessageId, string MessageType, string? ExceptionType, string? Reason, DateTimeOffset? FailedAt,
    string? CooperativeId);

/// <summary>
/// The service's dead letters: messages its consumers gave up on after the in-memory retries, which MassTransit moves to
/// the consumer's queue with <c>_error</c> after its name (<c>cooperative-shipment-booked_error</c>) with the failure in
/// its <c>MT-Fault-*</c> headers. Nothing consumes those queues, so this counts them (passive declares, a few seconds
/// cached, for readiness), reads them without taking them (got unacknowledged, returned when the channel closes) and
/// moves them back to the queue they came from once the cause is fixed. A move publishes to that queue only (the
/// default exchange, not the event's, so other subscribers are not sent a copy), waits for the broker's confirm and
/// then acknowledges the dead letter: a crash in between leaves a copy in both queues, and the consumer's inbox gives
/// the copy no second effect.
/// </summary>
public sealed class DeadLetters : IAsyncDisposable
{
    public const string Suffix = "_error";

    /// <summary>At most this many messages are read from one queue per listing or redelivery.</summary>
    public const int MaxPerQueue = 10_000;

    private static readonly TimeSpan CountsKeptFor = TimeSpan.FromSeconds(5);

    private readonly RabbitMqAddress _broker;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private sealed record Counted(DateTimeOffset At, IReadOnlyList<DeadLetterCount> Counts);

    private volatile Counted? _counted;

    public DeadLetters(string service, RabbitMqAddress broker, TimeProvider clock)
    {
        Service = service;
        _broker = broker;
        _clock = clock;
        Queues = EventCatalogue.Events.SelectMany(e => e.Subscribers)
            .Where(q => q.StartsWith(service + "-", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal)
            .Select(q => q + Suffix).ToList();
    }

    public string Service { get; }

    /// <summary>The <c>_error</c> queues of the service's consumers (its subscriptions in the <see cref="EventCatalogue"/>).</summary>
    public IReadOnlyList<string> Queues { get; }

    /// <summary>The dead-letter queue a name stands for: the queue itself, or the consumer's queue it belongs to; null if neither.</summary>
    public string? QueueNamed(string name) =>
        Queues.FirstOrDefault(q => q == name) ?? Queues.FirstOrDefault(q => q == name + Suffix);

    /// <summary>The queues holding messages, counted at most every few seconds.</summary>
    public async Task<IReadOnlyList<DeadLetterCount>> CountAsync(CancellationToken ct)
    {
        if (_counted is { } fresh && _clock.GetUtcNow() - fresh.At < CountsKeptFor) return fresh.Counts;
        await _gate.WaitAsync(ct);
        try
        {
            if (_counted is { } again && _clock.GetUtcNow() - again.At < CountsKeptFor) return again.Counts;
            var connection = await ConnectionAsync(ct);
            var counts = new List<DeadLetterCount>();
            foreach (var queue in Queues)
            {
                await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
                var messages = await MessagesInAsync(channel, queue, ct);
                if (messages > 0) counts.Add(new DeadLetterCount(queue, messages));
            }
            _counted = new Counted(_clock.GetUtcNow(), counts);
            return counts;
        }
        catch
        {
            await DropConnectionAsync();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The dead letters of one cooperative, read and left where they are.</summary>
    public async Task<IReadOnlyList<DeadLetter>> PeekAsync(string cooperativeId, string? queue, CancellationToken ct)
    {
        var letters = new List<DeadLetter>();
        foreach (var name in queue is null ? Queues : [queue])
        {
            await using var channel = await (await SharedConnectionAsync(ct)).CreateChannelAsync(cancellationToken: ct);
            var messages = await MessagesInAsync(channel, name, ct);
            if (messages == 0) continue;
            for (var i = 0; i < Math.Min(messages, MaxPerQueue); i++)
            {
                var got = await channel.BasicGetAsync(name, autoAck: false, ct);
                if (got is null) break;
                var letter = Read(name, got);
                if (letter.CooperativeId == cooperativeId) letters.Add(letter);
            }
            // Closing the channel returns every message it got, unacknowledged, to the queue.
            await channel.CloseAsync(ct);
        }
        return letters;
    }

    /// <summary>Moves one cooperative's dead letters back to the queues they came from; how many per queue.</summary>
    public async Task<IReadOnlyList<DeadLetterCount>> RedeliverAsync(string cooperativeId, string? queue, CancellationToken ct)
    {
        var moved = new List<DeadLetterCount>();
        foreach (var name in queue is null ? Queues : [queue])
        {
            var original = name[..^Suffix.Length];
            await using var channel = await (await SharedConnectionAsync(ct)).CreateChannelAsync(new CreateChannelOptions(
                publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
            var messages = await MessagesInAsync(channel, name, ct);
            if (messages == 0) continue;
            var count = 0;
            // Only the messages there when it started: one that fails again meanwhile waits for the next redelivery.
            for (var i = 0; i < Math.Min(messages, MaxPerQueue); i++)
            {
                var got = await channel.BasicGetAsync(name, autoAck: false, ct);
                if (got is null) break;
                if (Read(name, got).CooperativeId != cooperativeId) continue; // another cooperative's: returned on close
                await channel.BasicPublishAsync("", original, mandatory: true, Resent(got.BasicProperties), got.Body, ct);
                await channel.BasicAckAsync(got.DeliveryTag, multiple: false, ct);
                count++;
            }
            await channel.CloseAsync(ct);
            if (count > 0) moved.Add(new DeadLetterCount(name, count));
        }
        if (moved.Count > 0) _counted = null;
        return moved;
    }

    /// <summary>Messages in the queue; 0 when it does not exist (MassTransit declares it with the first fault).</summary>
    private static async Task<long> MessagesInAsync(IChannel channel, string queue, CancellationToken ct)
    {
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, ct)).MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }

    private static DeadLetter Read(string queue, BasicGetResult got)
    {
        var headers = got.BasicProperties.Headers ?? new Dictionary<string, object?>();
        string? Header(string name) => headers.TryGetValue(name, out var value) ? Text(value) : null;
        Guid.TryParse(got.BasicProperties.MessageId, out var messageId);
        string? cooperative = null;
        try
        {
            using var envelope = JsonDocument.Parse(got.Body);
            if (envelope.RootElement.TryGetProperty("message", out var message)
                && message.TryGetProperty("cooperativeId", out var coop) && coop.ValueKind == JsonValueKind.String)
                cooperative = coop.GetString();
            if (messageId == Guid.Empty && envelope.RootElement.TryGetProperty("messageId", out var id)) id.TryGetGuid(out messageId);
        }
        catch (JsonException) { /* not an envelope: nobody's, shown to no one but still counted */ }
        var original = queue[..^Suffix.Length];
        var type = EventCatalogue.Events.FirstOrDefault(e => e.Subscribers.Contains(original))?.Name ?? "unknown";
        return new DeadLetter(queue, messageId, type, Header("MT-Fault-ExceptionType"), Header("MT-Fault-Message"),
            DateTimeOffset.TryParse(Header("MT-Fault-Timestamp"), out var at) ? at.ToUniversalTime() : null, cooperative);
    }

    private static string? Text(object? value) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        null => null,
        _ => value.ToString(),
    };

    /// <summary>The message's properties as sent, without the failure MassTransit recorded on it.</summary>
    private static BasicProperties Resent(IReadOnlyBasicProperties sent) => new()
    {
        MessageId = sent.MessageId,
        CorrelationId = sent.CorrelationId,
        ContentType = sent.ContentType,
        Type = sent.Type,
        Persistent = true,
        Headers = sent.Headers?
            .Where(h => !h.Key.StartsWith("MT-Fault-", StringComparison.Ordinal) && !h.Key.StartsWith("MT-Host-", StringComparison.Ordinal) && h.Key != "MT-Reason")
            .ToDictionary(h => h.Key, h => h.Value),
    };

    private async Task<IConnection> SharedConnectionAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try { return await ConnectionAsync(ct); }
        finally { _gate.Release(); }
    }

    /// <summary>One connection, made again once lost; callers hold the gate.</summary>
    private async Task<IConnection> ConnectionAsync(CancellationToken ct)
    {
        if (_connection is { IsOpen: true } open) return open;
        await DropConnectionAsync();
        var factory = new ConnectionFactory
        {
            Uri = _broker.AmqpUri,
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(3),
            ClientProvidedName = "dead-letters",
        };
        _connection = await factory.CreateConnectionAsync(ct);
        return _connection;
    }

    private async Task DropConnectionAsync()
    {
        try { if (_connection is not null) await _connection.DisposeAsync(); } catch (Exception) { /* already broken */ }
        _connection = null;
    }

    public async ValueTask DisposeAsync() => await DropConnectionAsync();
}
