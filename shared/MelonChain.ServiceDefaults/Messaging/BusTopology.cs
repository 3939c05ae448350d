using MassTransit;
using MelonChain.Messages;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace MelonChain.ServiceDefaults.Messaging;

/// <summary>
/// Declares the whole <see cref="EventCatalogue"/> on the broker: every event's exchange and every subscriber's queue
/// and bindings, exactly as MassTransit declares them (fanout exchanges, a quorum queue behind an exchange of its
/// name). Every service does it before its relay publishes, and <c>deploy/dev.sh</c> does it before any service
/// starts, so whichever process comes first, an event always finds the queues of all its subscribers — even those
/// of a service that has never run. Declaring is idempotent.
/// </summary>
public static class BusTopology
{
    public static readonly Dictionary<string, object?> QueueArguments = new() { ["x-queue-type"] = "quorum" };

    public static async Task DeclareAsync(RabbitMqAddress broker, CancellationToken ct)
    {
        var factory = new ConnectionFactory
        {
            Uri = broker.AmqpUri,
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
            ClientProvidedName = "topology",
        };
        await using var connection = await factory.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        foreach (var entry in EventCatalogue.Events)
        {
            await channel.ExchangeDeclareAsync(entry.Name, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct);
            foreach (var queue in entry.Subscribers)
            {
                await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, QueueArguments, cancellationToken: ct);
                await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct);
                await channel.QueueBindAsync(queue, queue, "", cancellationToken: ct);
                await channel.ExchangeBindAsync(queue, entry.Name, "", cancellationToken: ct);
            }
        }
    }
}

/// <summary><c>--deploy-topology</c>: declare the topology and exit (what <c>deploy/dev.sh</c> runs before the services).</summary>
public static class TopologyCommand
{
    public static async Task<bool> RanAsync(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder, string[] args)
    {
        if (!args.Contains("--deploy-topology")) return false;
        await BusTopology.DeclareAsync(RabbitMqAddress.From(builder.Configuration), CancellationToken.None);
        Console.WriteLine($"declared {EventCatalogue.Events.Count} events and {EventCatalogue.Events.Sum(e => e.Subscribers.Count)} subscriber queues");
        return true;
    }
}

/// <summary>
/// Names exchanges after the catalogue (<c>harvest-received</c>), not after .NET types; anything else (faults) keeps
/// MassTransit's names.
/// </summary>
public sealed class CatalogueEntityNameFormatter(IEntityNameFormatter fallback) : IEntityNameFormatter
{
    public string FormatEntityName<T>() =>
        EventCatalogue.Contains(typeof(T)) ? EventCatalogue.NameOf(typeof(T)) : fallback.FormatEntityName<T>();
}

/// <summary>A consumer's queue is its service's subscription in the catalogue, whatever the class is called.</summary>
public sealed class CatalogueEndpointNameFormatter : KebabCaseEndpointNameFormatter
{
    private readonly string _service;

    public CatalogueEndpointNameFormatter(string service) : base(service, false) => _service = service;

    public override string Consumer<T>()
    {
        var handled = typeof(T).GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(i => i.GetGenericArguments()[0])
            .Single(EventCatalogue.Contains);
        return EventCatalogue.SubscriberQueue(_service, handled);
    }
}

/// <summary>
/// Declares the topology when the service starts, before the bus and the relay run; keeps trying in the background
/// while the broker is away (the relay waits for <see cref="Ready"/>, so nothing is published before it).
/// </summary>
public sealed class TopologyDeployment(RabbitMqAddress broker, ILogger<TopologyDeployment> logger) : BackgroundService
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => _ready.Task;

    public override async Task StartAsync(CancellationToken ct)
    {
        // One quick try in line, so a healthy start has the topology before MassTransit starts; else in the background.
        if (await TryDeclareAsync(ct)) return;
        await base.StartAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pause = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested && !await TryDeclareAsync(stoppingToken))
        {
            await Task.Delay(pause, stoppingToken);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
        }
    }

    private async Task<bool> TryDeclareAsync(CancellationToken ct)
    {
        try
        {
            await BusTopology.DeclareAsync(broker, ct);
            _ready.TrySetResult();
            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("Could not declare the bus topology yet ({Error}); retrying", ex.Message);
            return false;
        }
    }
}
