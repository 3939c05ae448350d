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

/// <summary>
/// Degraded while any of the service's consumers' <c>_error</c> queues holds messages, naming each queue and its count:
/// those events had no effect, and nothing else will tell anyone. Degraded still answers 200, so the instance keeps
/// serving; an admin lists the messages and redelivers them (<c>/api/v1/{service}/admin/dead-letters</c>). A broker it
/// cannot reach is the <see cref="RabbitMqHealthCheck"/>'s to report.
/// </summary>
public sealed class DeadLetterHealthCheck(DeadLetters deadLetters) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        IReadOnlyList<DeadLetterCount> counts;
        try { counts = await deadLetters.CountAsync(ct); }
        catch (Exception) when (!ct.IsCancellationRequested) { return HealthCheckResult.Healthy("dead letters not counted: RabbitMQ is not reachable"); }
        if (counts.Count == 0) return HealthCheckResult.Healthy();
        return HealthCheckResult.Degraded(
            $"dead letters: {string.Join(", ", counts.Select(c => $"{c.Queue} holds {c.Messages}"))}; see GET /api/v1/{deadLetters.Service}/admin/dead-letters",
            data: counts.ToDictionary(c => c.Queue, c => (object)c.Messages));
    }
}

/// <summary>
/// The readiness answer as JSON: the overall status and each check's status, description and data (a dead-letter
/// queue's count), never an exception's details. The status code stays the platform's: 200 Healthy or Degraded, 503
/// Unhealthy.
/// </summary>
public static class HealthReportJson
{
    public static Task WriteAsync(Microsoft.AspNetCore.Http.HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        return System.Text.Json.JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data.Count == 0 ? null : e.Value.Data,
            }),
        }, cancellationToken: http.RequestAborted);
    }
}
