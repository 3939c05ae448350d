using Dapper;
using MelonChain.ServiceDefaults.Data;
using Npgsql;

namespace MelonChain.Cooperative.Features.PersonalData;

/// <summary>
/// PIPL (kept no longer than the purpose needs): <c>Cooperative:Retention:PersonalDataDays</c> (90) after an order was
/// settled with no claim of it open or accepted and not yet settled — from the later of its settlement and its last
/// claim decision — or after it was cancelled, its consignee's address, contact name and phone are emptied. Kept: the
/// destination city, buyer, lines, prices, weights, boxes, freight, outcomes, claims and settlements — the books and
/// traceability need them. The buyers register (a customer's business contact, needed while it buys) is not an
/// order's and stays. In batches, each in its own transaction; idempotent (an order is marked once done).
/// </summary>
public sealed class PersonalDataRetention(NpgsqlDataSource source, IConfiguration config, TimeProvider clock, ILogger<PersonalDataRetention> logger)
    : PersonalDataRetentionJob(source, config, clock, logger, "Cooperative")
{
    protected override IReadOnlyList<PersonalDataPass> Passes { get; } = [new("orders", DropOrdersAsync)];

    private static Task<int> DropOrdersAsync(NpgsqlConnection connection, PersonalDataCut cut, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            update orders set dest_address = '', dest_contact = '', dest_phone = '', personal_data_dropped_at = @Now
            where id = any(array(
                select o.id from orders o left join settlements s on s.id = o.settlement_id
                where o.personal_data_dropped_at is null
                  and not exists (select 1 from claims c where c.order_id = o.id
                                  and (c.status = 'open' or (c.status = 'accepted' and c.settlement_id is null)))
                  and (case when o.cancelled_at is not null then o.cancelled_at
                            when s.id is not null then greatest(s.settled_at, (select max(c.decided_at) from claims c where c.order_id = o.id))
                       end) < @Before
                order by o.id limit @Batch for update of o skip locked))
            """, cut, cancellationToken: ct));
}
