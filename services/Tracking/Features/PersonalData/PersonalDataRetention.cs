using Dapper;
using MelonChain.ServiceDefaults.Data;
using Npgsql;

namespace MelonChain.Tracking.Features.PersonalData;

/// <summary>
/// PIPL (kept no longer than the purpose needs): <c>Tracking:Retention:PersonalDataDays</c> (90) after a shipment ended —
/// delivered, cancelled, or the last outcome of its carrier orders — its consignee's name, phone and address and the
/// carrier's remarks (which can name who signed) are dropped from the kept events and the read model, and so are a
/// contract grower's name and phone in contract events older than the period. Kept: the destination city, amounts,
/// weights, boxes, scans (status, time, place), member numbers and villages — what freight, the books and traceability
/// need. In batches, each in its own transaction; idempotent (a dropped field is empty and a shipment is marked done).
/// </summary>
public sealed class PersonalDataRetention(NpgsqlDataSource source, IConfiguration config, TimeProvider clock, ILogger<PersonalDataRetention> logger)
    : PersonalDataRetentionJob(source, config, clock, logger, "Tracking")
{
    protected override IReadOnlyList<PersonalDataPass> Passes { get; } =
        [new("shipments", DropShipmentsAsync), new("contract events", DropContractGrowersAsync)];

    private static async Task<int> DropShipmentsAsync(NpgsqlConnection connection, PersonalDataCut cut, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        var orders = (await connection.QueryAsync<Guid>(new CommandDefinition(
            """
            select s.order_id from shipments s
            where s.personal_data_dropped_at is null
              and greatest(s.delivered_at, s.cancelled_at, (select max(o.ended_at) from box_outcomes o where o.order_id = s.order_id)) < @Before
            order by s.order_id limit @Batch for update skip locked
            """, cut, tx, cancellationToken: ct))).ToArray();
        if (orders.Length > 0)
        {
            var ids = orders.Select(o => o.ToString()).ToArray();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                update event_log set body = jsonb_set(body, '{destination}', jsonb_build_object(
                    'city', body -> 'destination' -> 'city', 'address', '', 'contactName', '', 'phone', ''))
                where event_type = 'shipment-requested' and body ->> 'orderId' = any(@Ids)
                  and (body -> 'destination' ->> 'address' <> '' or body -> 'destination' ->> 'contactName' <> '' or body -> 'destination' ->> 'phone' <> '');
                update event_log set body = jsonb_set(body, '{remark}', '""')
                where event_type = 'shipment-status-changed' and body ->> 'orderId' = any(@Ids) and body ->> 'remark' <> '';
                update timeline set remark = '' where order_id = any(@Orders) and remark <> '';
                update shipments set phone_last4 = null, personal_data_dropped_at = @Now where order_id = any(@Orders);
                """, new { Ids = ids, Orders = orders, cut.Now }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return orders.Length;
    }

    private static Task<int> DropContractGrowersAsync(NpgsqlConnection connection, PersonalDataCut cut, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            update event_log set body = jsonb_set(jsonb_set(body, '{grower,name}', '""'), '{grower,phone}', '""')
            where seq = any(array(
                select seq from event_log
                where event_type in ('contract-signed', 'contract-amended') and occurred_at < @Before
                  and jsonb_typeof(body -> 'grower') = 'object' and (body -> 'grower' ->> 'name' <> '' or body -> 'grower' ->> 'phone' <> '')
                limit @Batch))
            """, cut, cancellationToken: ct));
}
