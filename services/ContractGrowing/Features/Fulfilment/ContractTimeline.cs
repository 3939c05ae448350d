using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.ContractGrowing.Features.Fulfilment;

/// <summary>A contract's story in date order: seedlings issued → training, visits and field logs → deliveries.</summary>
public static class ContractTimeline
{
    public sealed record Entry(DateOnly On, string Kind, string Detail);

    public static async Task<Ok<IReadOnlyList<Entry>>> Get(Guid id, Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        var coop = user.CooperativeId();
        _ = await db.QuerySingleOrDefaultAsync<Guid?>("select id from contracts where id = @Id and cooperative_id = @Coop", new { Id = id, Coop = coop }, ct)
            ?? throw Problem.NotFound("contract");
        return TypedResults.Ok(await db.QueryAsync<Entry>(
            """
            select on_date as "on", kind, detail from (
                select i.issued_on as on_date, 'seedlings' as kind, i.count || ' seedlings of batch ' || b.batch_no || ' (' || b.nursery || ', ' || b.mother_field || ')' as detail, 1 as rank
                from seedling_issues i join seedling_batches b on b.id = i.batch_id where i.contract_id = @Id
                union all
                select visited_on, kind, topic || coalesce(' — ' || advice, ''), 2 from visits where contract_id = @Id
                union all
                select logged_on, kind, coalesce(material, '') || coalesce(' ' || quantity, '') || coalesce(' — ' || note, ''), 3 from field_logs where contract_id = @Id
                union all
                select harvested_on, 'delivery', receipt_no || ': ' || (gross_grams / 1000.0)::text || ' kg received', 4 from deliveries where contract_id = @Id and cooperative_id = @Coop
            ) t order by on_date, rank, detail
            """, new { Id = id, Coop = coop }, ct));
    }
}
