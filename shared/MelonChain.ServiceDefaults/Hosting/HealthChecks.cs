using MelonChain.ServiceDefaults.Messaging;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using RabbitMQ.Client;

namespace MelonChain.ServiceDefaults.Hosting;

/// <summary>Ready only while the service's own database answers.</summary>
public sealed class PostgresHealthCheck(NpgsqlDataSource source) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var command = source.CreateCommand("select 1");
            await command.ExecuteScalarAsync(ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL is not reachable", ex);
        }
    }
}

/// <summary>Ready only while RabbitMQ accepts connections; keeps one connection open and replaces it once lost.</summary>
public sealed class RabbitMqHealthCheck(RabbitMqAddress broker) : IHealthCheck, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_connection is { IsOpen: true })
            {
                // An open connection can be stale after a broker restart: a channel proves it is alive.
                await using var probe = await _connection.CreateChannelAsync(cancellationToken: ct);
                return HealthCheckResult.Healthy();
            }
            if (_connection is not null) await _connection.DisposeAsync();
            var factory = new ConnectionFactory
            {
                Uri = broker.AmqpUri,
                AutomaticRecoveryEnabled = false,
                RequestedConnectionTimeout = TimeSpan.FromSeconds(3),
                ClientProvidedName = "health-check",
            };
            _connection = await factory.CreateConnectionAsync(ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            if (_connection is not null)
            {
                try { await _connection.DisposeAsync(); } catch (Exception) { /* already broken */ }
                _connection = null;
            }
            return HealthCheckResult.Unhealthy("RabbitMQ is not reachable", ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
    }
}
