using MassTransit;
using MelonChain.Messages;
using MelonChain.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MelonChain.ServiceDefaults.Messaging;

public static class MessagingSetup
{
    /// <summary>
    /// MassTransit over RabbitMQ (<c>ConnectionStrings:RabbitMq</c>, an amqp:// URI): exchanges and quorum queues
    /// named by the <see cref="EventCatalogue"/> and declared before anything is published (<see cref="TopologyDeployment"/>),
    /// in-memory retry then the <c>_error</c> queue (a consumer waits minutes for an unreachable database first),
    /// usage telemetry off, the outbox relay, and the <see cref="DeadLetters"/> (readiness Degraded while any are held).
    /// </summary>
    public static WebApplicationBuilder AddMessaging(
        this WebApplicationBuilder builder, string serviceName, Action<IBusRegistrationConfigurator>? consumers = null)
    {
        var broker = RabbitMqAddress.From(builder.Configuration);
        builder.Services.AddSingleton(broker);
        // Registered before MassTransit's own hosted service, so the topology is declared before the bus starts.
        builder.Services.AddSingleton<TopologyDeployment>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TopologyDeployment>());
        builder.Services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            x.SetEndpointNameFormatter(new CatalogueEndpointNameFormatter(serviceName));
            consumers?.Invoke(x);
            x.AddConfigureEndpointsCallback((_, _, endpoint) =>
            {
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                    rabbit.SetQuorumQueue();
            });
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(broker.Host, broker.Port, broker.VirtualHost, h =>
                {
                    h.Username(broker.Username);
                    h.Password(broker.Password);
                });
                cfg.ConfigureJsonSerializerOptions(options =>
                {
                    options.Converters.Add(new UtcDateTimeOffsetConverter());
                    return options;
                });
                cfg.MessageTopology.SetEntityNameFormatter(new CatalogueEntityNameFormatter(cfg.MessageTopology.EntityNameFormatter));
                // Events are published to their own exchange only; nothing subscribes to the IEvent interface.
                cfg.Publish<IEvent>(p => p.Exclude = true);
                // Each message is one short database transaction: 32 prefetched keep the queue's next work local,
                // and 8 at a time per endpoint keep a service's pool (and 2 cores) from being flooded by one queue.
                cfg.PrefetchCount = 32;
                cfg.ConcurrentMessageLimit = 8;
                // A database that is away is waited for inside InboxConsumer; these retries are for everything else.
                cfg.UseMessageRetry(r => r.Intervals(100, 500, 1_000, 2_000, 5_000));
                cfg.ConfigureEndpoints(context);
            });
        });
        builder.Services.AddHostedService<OutboxRelay>();
        // What the consumers gave up on: readiness names it, and admins list and redeliver it (MapApi maps the endpoints).
        builder.Services.AddSingleton(sp => new DeadLetters(serviceName, broker, sp.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.Services.AddHealthChecks().AddCheck<DeadLetterHealthCheck>("dead-letters", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// The database cannot be reached or is restarting: a connection-level failure, or the server shutting down,
    /// starting up or out of connections — anywhere in the exception's chain. Waiting fixes these; a bug does not.
    /// </summary>
    public static bool DatabaseAway(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException p)
                return p.IsTransient || p.SqlState.StartsWith("57P") || p.SqlState.StartsWith("08") || p.SqlState.StartsWith("53");
            if (e is NpgsqlException) return true;
        }
        return false;
    }
}

/// <summary>The broker address parsed once from <c>ConnectionStrings:RabbitMq</c>.</summary>
public sealed record RabbitMqAddress(string Host, ushort Port, string VirtualHost, string Username, string Password)
{
    public static RabbitMqAddress From(IConfiguration configuration)
    {
        var uri = new Uri(configuration.GetConnectionString("RabbitMq") ?? "amqp://guest:guest@127.0.0.1:5672/");
        var user = uri.UserInfo.Split(':', 2);
        var vhost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        return new RabbitMqAddress(
            uri.Host,
            (ushort)(uri.IsDefaultPort || uri.Port < 0 ? 5672 : uri.Port),
            vhost.Length == 0 ? "/" : vhost,
            user.Length > 0 && user[0].Length > 0 ? Uri.UnescapeDataString(user[0]) : "guest",
            user.Length > 1 ? Uri.UnescapeDataString(user[1]) : "guest");
    }

    public Uri AmqpUri => new($"amqp://{Uri.EscapeDataString(Username)}:{Uri.EscapeDataString(Password)}@{Host}:{Port}/{Uri.EscapeDataString(VirtualHost)}");
}
