using Dapper;
using Npgsql;

namespace MelonChain.Dispatch.Features.PersonalData;

/// <summary>
/// PIPL (kept no longer than the purpose needs): <c>Dispatch:Retention:PersonalDataDays</c> (90) after a shipment ended —
/// delivered, or every carrier order ended (delivered, returned, lost) — or its pickup was cancelled, the pickup's
/// consignee name, phone and address are emptied, and its route records lose the carrier's remarks (which can name who
/// signed: <c>remark</c>, and <c>remark</c>/<c>opeRemark</c>/<c>opeName</c> in the raw record). Kept: the destination city,
/// amounts, weights, waybills, boxes, scans (code, time, place) — freight, the books and traceability need them. In
/// batches, each in its own transaction; idempotent (a pickup is marked once done).
/// </summary>
public sealed class PersonalDataRetention(NpgsqlDataSource source, IConfiguration config, TimeProvider clock, ILogger<PersonalDataRetention> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private const int Batch = 500;

    public TimeSpan KeptFor => TimeSpan.FromDays(config.GetValue("Dispatch:Retention:PersonalDataDays", 90));

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

    /// <summary>One pass; returns how many pickups it dropped personal data from.</summary>
    public async Task<int> MaskAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var done = 0;
        int batch;
        do
        {
            await using var connection = await source.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var pickups = (await connection.QueryAsync<Guid>(new CommandDefinition(
                """
                select p.id from pickups p left join shipments s on s.pickup_id = p.id
                where p.personal_data_dropped_at is null
                  and (case when p.status = 'cancelled' and s.id is null then p.updated_at
                            else greatest(s.delivered_at, (select max(o.ended_at) from carrier_orders o where o.shipment_id = s.id
                                                           having count(*) = count(o.outcome))) end) < @Before
                order by p.id limit @Batch for update of p skip locked
                """, new { Before = now - KeptFor, Batch }, tx, cancellationToken: ct))).ToArray();
            batch = pickups.Length;
            if (batch > 0)
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    update route_records r set remark = '', raw = r.raw - array['remark', 'opeRemark', 'opeName']
                    from shipments s where s.id = r.shipment_id and s.pickup_id = any(@Pickups)
                      and (r.remark <> '' or r.raw ?| array['remark', 'opeRemark', 'opeName']);
                    update pickups set address = '', contact_name = '', phone = '', personal_data_dropped_at = @Now where id = any(@Pickups);
                    """, new { Pickups = pickups, Now = now }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            done += batch;
        } while (batch == Batch);
        if (done > 0) logger.LogInformation("Personal data dropped from {Count} pickups past {Days} days", done, KeptFor.TotalDays);
        return done;
    }
}
