using MelonChain.Messages;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Grading;

/// <summary>
/// The intake book (收货汇总) for harvest dates from–to (default: the last 7 days): what was received, how it was
/// graded, how much went to shrink and how much still waits for grading, and per grade how much has since been
/// packed into orders. Every received kilogram is in exactly one of graded, shrink or ungraded.
/// </summary>
public static class IntakeReport
{
    public sealed record GradeLine(string Grade, decimal GradedKg, decimal PackedKg, decimal InStockKg);

    public sealed record Response(DateOnly From, DateOnly To, int Receipts, decimal ReceivedKg, decimal GradedKg, decimal ShrinkKg,
        int UngradedReceipts, decimal UngradedKg, IReadOnlyList<GradeLine> Grades);

    private sealed record Totals(int Receipts, long Received, long Graded, long Shrink, int UngradedReceipts, long Ungraded);

    public static async Task<Ok<Response>> Get(DateOnly? from, DateOnly? to, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var (first, last) = Validation.ReportPeriod(from, to, ChinaTime.Today(clock), defaultDays: 7);
        var args = new { Coop = user.CooperativeId(), From = first, To = last };

        var totals = await db.QuerySingleAsync<Totals>(
            """
            select count(*)::int as receipts, coalesce(sum(r.gross_grams), 0)::bigint as received,
                   coalesce(sum(g.graded_grams), 0)::bigint as graded, coalesce(sum(g.shrink_grams), 0)::bigint as shrink,
                   (count(*) filter (where g.receipt_id is null))::int as ungraded_receipts,
                   coalesce(sum(r.gross_grams) filter (where g.receipt_id is null), 0)::bigint as ungraded
            from receipts r left join gradings g on g.receipt_id = r.id and g.reversed_at is null
            where r.cooperative_id = @Coop and r.harvested_on between @From and @To
            """, args, ct);
        var grades = (await db.QueryAsync<(string Grade, long Graded, long Packed)>(
            """
            select grade, sum(grams)::bigint, sum(allocated_grams)::bigint from lots
            where cooperative_id = @Coop and harvested_on between @From and @To and withdrawn_at is null group by grade
            """, args, ct)).ToDictionary(r => r.Grade);

        return TypedResults.Ok(new Response(first, last, totals.Receipts, Weight.ToKg(totals.Received), Weight.ToKg(totals.Graded),
            Weight.ToKg(totals.Shrink), totals.UngradedReceipts, Weight.ToKg(totals.Ungraded),
            Grades.All.Select(g => grades.TryGetValue(g, out var r)
                ? new GradeLine(g, Weight.ToKg(r.Graded), Weight.ToKg(r.Packed), Weight.ToKg(r.Graded - r.Packed))
                : new GradeLine(g, 0, 0, 0)).ToList()));
    }
}
