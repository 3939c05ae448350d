using System.Collections.Concurrent;
using System.Text.Json;
using MelonChain.Messages;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace MelonChain.Reliability.Tests;

/// <summary>
/// Counts at the broker every copy of every event that reaches it, before any consumer or inbox: a queue of its own
/// bound to each event's exchange, read by a plain RabbitMQ.Client consumer that records each delivery as it arrives
/// (the event's id, its exchange and the time the relay sent it), never de-duplicating. It reads with automatic
/// acknowledgement, so the broker never hands the tap one copy twice: each delivery it records is one publish.
/// Started before the services, so it sees their first event.
/// </summary>
public sealed class BrokerTap : IAsyncDisposable
{
    public sealed record Delivery(Guid EventId, string Exchange, DateTimeOffset SentAt);

    private readonly ConcurrentQueue<Delivery> _deliveries = new();
    private readonly ConcurrentQueue<string> _unreadable = new();
    private IConnection _connection = null!;
    private IChannel _channel = null!;

    /// <summary>Every delivery so far, one entry per copy the broker routed to the tap.</summary>
    public IReadOnlyList<Delivery> Deliveries => _deliveries.ToList();

    /// <summary>Deliveries the tap could not read an event id from (there should be none).</summary>
    public IReadOnlyList<string> Unreadable => _unreadable.ToList();

    public static string Queue(string exchange) => "broker-tap-" + exchange.Replace(':', '-');

    public static async Task<BrokerTap> StartAsync(string amqp)
    {
        var tap = new BrokerTap();
        var factory = new ConnectionFactory { Uri = new Uri(amqp), ClientProvidedName = "broker-tap" };
        tap._connection = await factory.CreateConnectionAsync();
        tap._channel = await tap._connection.CreateChannelAsync();
        var consumer = new AsyncEventingBasicConsumer(tap._channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            tap.Record(delivery.Exchange, delivery.Body.Span);
            return Task.CompletedTask;
        };
        foreach (var exchange in EventCatalogue.Events.Select(e => e.Name))
        {
            // Declared as the services' topology declares it (BusTopology), so whoever comes first agrees with the other.
            await tap._channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await tap._channel.QueueDeclareAsync(Queue(exchange), durable: true, exclusive: false, autoDelete: false);
            await tap._channel.QueueBindAsync(Queue(exchange), exchange, "");
            await tap._channel.BasicConsumeAsync(Queue(exchange), autoAck: true, consumer);
        }
        return tap;
    }

    private void Record(string exchange, ReadOnlySpan<byte> body)
    {
        try
        {
            // MassTransit's envelope as the relay wraps it: messageId is the outbox row's, which is the event's id.
            var envelope = JsonDocument.Parse(body.ToArray()).RootElement;
            _deliveries.Enqueue(new Delivery(envelope.GetProperty("messageId").GetGuid(), exchange,
                envelope.GetProperty("sentTime").GetDateTimeOffset()));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            _unreadable.Enqueue($"{exchange}: {ex.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await _channel.DisposeAsync(); } catch (Exception) { }
        try { await _connection.DisposeAsync(); } catch (Exception) { }
    }
}
