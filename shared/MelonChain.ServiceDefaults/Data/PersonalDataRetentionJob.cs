using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MelonChain.ServiceDefaults.Data;

/// <summary>What one batch of a personal-data pass may drop: rows whose purpose ended before <paramref name="Before"/>, at most <paramref name="Batch"/>, stamped <paramref name="Now"/>.</summary>
public sealed record PersonalDataCut(DateTimeOffset Now, DateTimeOffset Before, int Batch);

/// <summary>One kind of row a service drops personal data from: a batch at a time (its own transaction if it needs one), returning how many rows it took.</summary>
public sealed record PersonalDataPass(string Rows, Func<NpgsqlConnection, PersonalDataCut, CancellationToken, Task<int>> DropBatchAsync);

/// <summary>
/// PIPL (kept no longer than the purpose needs): a service's personal data is emptied
/// <c>{Service}:Retention:PersonalDataDays</c> (90) days after its purpose ended. Each service declares its passes (which
/// rows, which fields, when their purpose ended); this runs each pass hourly in batches until a batch comes back short.
/// A pass marks what it has done, so running it again changes nothing.
/// </summary>
public abstract class PersonalDataRetentionJob(NpgsqlDataSource source, IConfiguration config, TimeProvider clock, ILogger logger, string service)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private const int Batch = 500;

    public TimeSpan KeptFor => TimeSpan.FromDays(config.GetValue($"{service}:Retention:PersonalDataDays", 90));

    protected abstract IReadOnlyList<PersonalDataPass> Passes { get; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try { await MaskAsync(stoppingToken); }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Personal data retention could not run; trying again in {Interval}", Interval);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One run of every pass; returns how many rows it dropped personal data from.</summary>
    public async Task<int> MaskAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var cut = new PersonalDataCut(now, now - KeptFor, Batch);
        var total = 0;
        foreach (var pass in Passes)
        {
            var done = 0;
            int batch;
            do
            {
                await using var connection = await source.OpenConnectionAsync(ct);
                batch = await pass.DropBatchAsync(connection, cut, ct);
                done += batch;
            } while (batch == Batch);
            if (done > 0) logger.LogInformation("Personal data dropped from {Count} {Rows} past {Days} days", done, pass.Rows, KeptFor.TotalDays);
            total += done;
        }
        return total;
    }
}
