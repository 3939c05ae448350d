using MelonChain.ServiceDefaults.Data;
using Npgsql;

namespace MelonChain.Cooperative.Features.Receiving;

/// <summary>
/// CQ-20260612-0007: receipt numbers under the cooperative's prefix (its profile), sequential per cooperative and day. The day's counter row is taken in a
/// short transaction of its own rather than the request's: held until the request commits, that one row made every
/// receipt of a cooperative wait for the one before (≈ 280 receipts/s and p99 > 1 s at 64 clerks, pgbench alike).
/// Its commit does not wait for the disk (synchronous_commit off): the receipt's own commit comes later in the same
/// WAL and flushes it, so no number is ever given twice; a request that fails after numbering leaves a gap.
/// A pool of its own (a few connections) so a request holding its connection can always get one here.
/// </summary>
public sealed class ReceiptNumbers(DatabaseSettings settings) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source = new NpgsqlDataSourceBuilder(
        new NpgsqlConnectionStringBuilder(settings.ConnectionString) { MaxPoolSize = 8, MinPoolSize = 0 }.ConnectionString).Build();

    public async Task<string> NextAsync(string coop, string prefix, DateOnly day, CancellationToken ct)
    {
        await using var command = _source.CreateCommand(
            """
            with async_commit as (select set_config('synchronous_commit', 'off', true))
            insert into receipt_counters (cooperative_id, day, last_no) select $1, $2, 1 from async_commit
            on conflict (cooperative_id, day) do update set last_no = receipt_counters.last_no + 1
            returning last_no
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = coop });
        command.Parameters.Add(new NpgsqlParameter { Value = day });
        var next = (int)(await command.ExecuteScalarAsync(ct))!;
        return $"{prefix}-{day:yyyyMMdd}-{next:D4}";
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
