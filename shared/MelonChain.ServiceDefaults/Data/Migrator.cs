using System.Reflection;
using DbUp;
using DbUp.Engine.Output;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MelonChain.ServiceDefaults.Data;

/// <summary>
/// Applies the numbered <c>Migrations/NNNN_name.sql</c> scripts at start-up: first the platform's own tables
/// (outbox, inbox, idempotency), then the service's. An advisory lock makes concurrent replicas take turns.
/// Runs as the first hosted service, so the service listens only once its schema is current.
/// </summary>
public sealed class Migrator(DatabaseSettings settings, ILogger<Migrator> logger) : IHostedService
{
    private const long LockKey = 0x4d656c6f6e; // "Melon"

    public async Task StartAsync(CancellationToken ct)
    {
        // Two connections (the lock and DbUp's) for a moment at start-up: unpooled, so they never count against
        // the service's own pool, however small that is configured.
        var connectionString = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { Pooling = false }.ConnectionString;
        EnsureDatabase.For.PostgresqlDatabase(connectionString, new NoOpUpgradeLog());

        await using var lockConnection = new NpgsqlConnection(connectionString);
        await lockConnection.OpenAsync(ct);
        await using (var take = new NpgsqlCommand($"select pg_advisory_lock({LockKey})", lockConnection))
            await take.ExecuteNonQueryAsync(ct);
        try
        {
            Upgrade(typeof(Migrator).Assembly, connectionString);
            Upgrade(settings.MigrationsAssembly, connectionString);
        }
        finally
        {
            await using var release = new NpgsqlCommand($"select pg_advisory_unlock({LockKey})", lockConnection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private void Upgrade(Assembly assembly, string connectionString)
    {
        var result = DeployChanges.To.PostgresqlDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(assembly, name => name.Contains(".Migrations.") && name.EndsWith(".sql"))
            .WithTransactionPerScript()
            .LogTo(new NoOpUpgradeLog())
            .Build()
            .PerformUpgrade();
        if (!result.Successful)
            throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed", result.Error);
        foreach (var script in result.Scripts)
            logger.LogInformation("Applied migration {Script}", script.Name);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
