using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MelonChain.ServiceDefaults.Messaging;

public static class MessagingSetup
{
    /// <summary>
    /// MassTransit over RabbitMQ (<c>ConnectionStrings:RabbitMq</c>, an amqp:// URI): quorum queues named
    /// after the service, in-memory retry then the <c>_error</c> queue (a consumer waits minutes for an unreachable database first),
    /// usage telemetry off, and the outbox relay.
    /// </summary>
    public static WebApplicationBuilder AddMessaging(
        this WebApplicationBuilder builder, string serviceName, Action<IBusRegistrationConfigurator>? consumers = null)
    {
        var broker = RabbitMqAddress.From(builder.Configuration);
        builder.Services.AddSingleton(broker);
        builder.Services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, false));
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
                cfg.PrefetchCount = 32;
                // A database that is away is waited for inside InboxConsumer; these retries are for everything else.
                cfg.UseMessageRetry(r => r.Intervals(100, 500, 1_000, 2_000, 5_000));
                cfg.ConfigureEndpoints(context);
            });
        });
        builder.Services.AddHostedService<OutboxRelay>();
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
