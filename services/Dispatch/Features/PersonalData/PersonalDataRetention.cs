using Dapper;
using MelonChain.ServiceDefaults.Data;
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
    : PersonalDataRetentionJob(source, config, clock, logger, "Dispatch")
{
    protected override IReadOnlyList<PersonalDataPass> Passes { get; } = [new("pickups", DropPickupsAsync)];

    private static async Task<int> DropPickupsAsync(NpgsqlConnection connection, PersonalDataCut cut, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        var pickups = (await connection.QueryAsync<Guid>(new CommandDefinition(
            """
            select p.id from pickups p left join shipments s on s.pickup_id = p.id
            where p.personal_data_dropped_at is null
              and (case when p.status = 'cancelled' and s.id is null then p.updated_at
                        else greatest(s.delivered_at, (select max(o.ended_at) from carrier_orders o where o.shipment_id = s.id
                                                       having count(*) = count(o.outcome))) end) < @Before
            order by p.id limit @Batch for update of p skip locked
            """, cut, tx, cancellationToken: ct))).ToArray();
        if (pickups.Length > 0)
            await connection.ExecuteAsync(new CommandDefinition(
                """
                update route_records r set remark = '', raw = r.raw - array['remark', 'opeRemark', 'opeName']
                from shipments s where s.id = r.shipment_id and s.pickup_id = any(@Pickups)
                  and (r.remark <> '' or r.raw ?| array['remark', 'opeRemark', 'opeName']);
                update pickups set address = '', contact_name = '', phone = '', personal_data_dropped_at = @Now where id = any(@Pickups);
                """, new { Pickups = pickups, cut.Now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return pickups.Length;
    }
}
