using MelonChain.Messages;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.ContractGrowing.Features.Fulfilment;

/// <summary>
/// How much of each contract has been delivered, from the cooperative's receipts and gradings under it: kg per
/// grade against the expected kg, and the contracts under half of expectation (the season-end alert).
/// </summary>
public static class FulfilmentReport
{
    public sealed record Fulfilment(Guid ContractId, decimal ExpectedKg, int Deliveries, decimal ReceivedKg, decimal DeliveredKg,
        IReadOnlyDictionary<string, decimal> GradedKg, decimal PercentOfExpected, bool Below50);

    public sealed record ReportLine(Guid ContractId, Guid GrowerId, string GrowerName, string Status, Fulfilment Fulfilment);

    /// <summary>
    /// <see cref="Below50"/> lists every contract under half of expectation now; <see cref="Alerts"/> those still
    /// under half once the season has ended (spring on 31 July, autumn on 30 November) or the contract is completed.
    /// </summary>
    public sealed record Report(string Season, DateOnly SeasonEndsOn, bool SeasonEnded, int Contracts, decimal ExpectedKg, decimal DeliveredKg,
        IReadOnlyList<ReportLine> Lines, IReadOnlyList<Guid> Below50, IReadOnlyList<Guid> Alerts);

    /// <summary>The last day of a season: 2026-spring → 2026-07-31, 2026-autumn → 2026-11-30.</summary>
    public static DateOnly SeasonEnd(string season) =>
        new(int.Parse(season[..4]), season.EndsWith("spring") ? 7 : 11, season.EndsWith("spring") ? 31 : 30);

    public static RouteGroupBuilder MapFulfilment(this RouteGroupBuilder api)
    {
        api.MapGet("/reports/fulfilment", Season).RequireRoles(Roles.Officer).WithTags("Fulfilment").WithName("FulfilmentReport");
        api.MapGet("/contracts/{id:guid}/timeline", ContractTimeline.Get).RequireRoles(Roles.Officer).WithTags("Fulfilment").WithName("ContractTimeline");
        return api;
    }

    private sealed record Totals(Guid ContractId, int Deliveries, long ReceivedGrams, long DeliveredGrams);

    /// <summary>
    /// The graded lines that count: of each receipt's gradings, the newest one not reversed. A corrected receipt counts
    /// its new grading; one whose only grading is reversed counts as received, ungraded.
    /// </summary>
    private const string LiveGradedLines =
        """
        select gd.receipt_id, gd.contract_id, gd.grade, gd.grams from graded_deliveries gd
        where gd.cooperative_id = @Coop and gd.contract_id = any(@Ids)
          and gd.grading_no = (select max(x.grading_no) from graded_deliveries x
                               where x.receipt_id = gd.receipt_id
                                 and not exists (select 1 from reversed_gradings r where r.receipt_id = x.receipt_id and r.grading_no = x.grading_no))
        """;

    /// <summary>
    /// Delivered = graded kg of each graded receipt, gross kg of a receipt not graded yet. Receipts and gradings
    /// are matched by receipt id, so either event may arrive first and a repeated event adds nothing.
    /// </summary>
    public static async Task<IReadOnlyList<Fulfilment>> ForContracts(Db db, string coop, Guid[] ids, CancellationToken ct)
    {
        var expected = (await db.QueryAsync<(Guid ContractId, long ExpectedGrams)>(
            """
            select distinct on (contract_id) contract_id, expected_grams from contract_terms
            where contract_id = any(@Ids) order by contract_id, version desc
            """, new { Ids = ids }, ct)).ToDictionary(x => x.ContractId, x => x.ExpectedGrams);
        var totals = (await db.QueryAsync<Totals>(
            $"""
            with live as ({LiveGradedLines}),
            graded as (select receipt_id, contract_id, sum(grams) as grams from live group by receipt_id, contract_id),
            received as (
                select receipt_id, contract_id, gross_grams from deliveries where cooperative_id = @Coop and contract_id = any(@Ids))
            select coalesce(r.contract_id, g.contract_id) as contract_id, count(*)::int as deliveries,
                   coalesce(sum(r.gross_grams), 0)::bigint as received_grams,
                   coalesce(sum(coalesce(g.grams, r.gross_grams)), 0)::bigint as delivered_grams
            from received r full join graded g on g.receipt_id = r.receipt_id
            group by 1
            """, new { Coop = coop, Ids = ids }, ct)).ToDictionary(t => t.ContractId);
        var grades = (await db.QueryAsync<(Guid ContractId, string Grade, long Grams)>(
            $"with live as ({LiveGradedLines}) select contract_id, grade, sum(grams)::bigint from live group by 1, 2",
            new { Coop = coop, Ids = ids }, ct)).ToLookup(g => g.ContractId);

        return ids.Select(id =>
        {
            var exp = expected.GetValueOrDefault(id);
            var t = totals.GetValueOrDefault(id) ?? new Totals(id, 0, 0, 0);
            var percent = exp == 0 ? 0 : Math.Round(100m * t.DeliveredGrams / exp, 1);
            return new Fulfilment(id, Weight.ToKg(exp), t.Deliveries, Weight.ToKg(t.ReceivedGrams), Weight.ToKg(t.DeliveredGrams),
                grades[id].ToDictionary(g => g.Grade, g => Weight.ToKg(g.Grams)), percent, t.DeliveredGrams * 2 < exp);
        }).ToList();
    }

    private static async Task<Ok<Report>> Season(string? season, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        new Validation().Check(season is not null && Contracts.Contracts.SeasonPattern().IsMatch(season), "season", "must look like 2026-spring").ThrowIfInvalid();
        var coop = user.CooperativeId();
        var contracts = await db.QueryAsync<(Guid Id, Guid GrowerId, string GrowerName, string Status)>(
            """
            select c.id, c.grower_id, g.name, c.status from contracts c join growers g on g.id = c.grower_id
            where c.cooperative_id = @Coop and c.season = @Season and c.status in ('signed', 'completed') order by c.created_at
            """, new { Coop = coop, Season = season }, ct);
        var fulfilment = (await ForContracts(db, coop, contracts.Select(c => c.Id).ToArray(), ct)).ToDictionary(f => f.ContractId);
        var lines = contracts.Select(c => new ReportLine(c.Id, c.GrowerId, c.GrowerName, c.Status, fulfilment[c.Id])).ToList();
        var endsOn = SeasonEnd(season!);
        var ended = ChinaTime.Today(clock) > endsOn;
        var below = lines.Where(l => l.Fulfilment.Below50).ToList();
        return TypedResults.Ok(new Report(season!, endsOn, ended, lines.Count, lines.Sum(l => l.Fulfilment.ExpectedKg), lines.Sum(l => l.Fulfilment.DeliveredKg),
            lines, below.Select(l => l.ContractId).ToList(), below.Where(l => ended || l.Status == "completed").Select(l => l.ContractId).ToList()));
    }
}
