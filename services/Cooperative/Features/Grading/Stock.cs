using MelonChain.Messages;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Grading;

/// <summary>
/// Stock per grade: graded lots minus what packed orders took. Bitter melon keeps only 3–4 days at ambient
/// temperature, so stock shows the oldest harvest and how much is older than the packing limit (the profile's maxLotAgeDays).
/// Boxes whose carrier order ended returned and that the clerk has not scanned back in yet are on their way back
/// (<see cref="GradeStock.ReturningBoxes"/>, not yet in stock).
/// </summary>
public static class Stock
{
    public sealed record GradeStock(string Grade, decimal AvailableKg, decimal FreshKg, decimal TooOldKg, int Lots, DateOnly? OldestHarvest,
        int ReturningBoxes = 0, decimal ReturningKg = 0);

    public sealed record Response(DateOnly Today, int MaxLotAgeDays, IReadOnlyList<GradeStock> Grades);

    public static async Task<Ok<Response>> Get(Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var today = ChinaTime.Today(clock);
        var maxAge = (await Profile.Profile.RulesAsync(db, user.CooperativeId(), ct)).MaxLotAgeDays;
        var rows = (await db.QueryAsync<(string Grade, long Available, long Fresh, int Lots, DateOnly? Oldest)>(
            """
            select grade, sum(grams - allocated_grams)::bigint,
                   coalesce(sum(grams - allocated_grams) filter (where harvested_on >= @Cutoff), 0)::bigint,
                   count(*)::int, min(harvested_on)
            from lots where cooperative_id = @Coop and allocated_grams < grams and withdrawn_at is null group by grade
            """, new { Coop = user.CooperativeId(), Cutoff = today.AddDays(-maxAge) }, ct)).ToDictionary(r => r.Grade);
        var returning = (await db.QueryAsync<(string Grade, int Boxes, long Grams)>(
            """
            select b.grade, count(*)::int, sum(b.net_grams)::bigint
            from boxes b join orders o on o.id = b.order_id
            where o.cooperative_id = @Coop and b.outcome = 'returned' and not exists (select 1 from box_returns x where x.trace_code = b.trace_code)
            group by b.grade
            """, new { Coop = user.CooperativeId() }, ct)).ToDictionary(r => r.Grade);
        return TypedResults.Ok(new Response(today, maxAge, Grades.All.Select(g =>
        {
            var back = returning.TryGetValue(g, out var b) ? (b.Boxes, b.Grams) : (Boxes: 0, Grams: 0L);
            return rows.TryGetValue(g, out var r)
                ? new GradeStock(g, Weight.ToKg(r.Available), Weight.ToKg(r.Fresh), Weight.ToKg(r.Available - r.Fresh), r.Lots, r.Oldest, back.Boxes, Weight.ToKg(back.Grams))
                : new GradeStock(g, 0, 0, 0, 0, null, back.Boxes, Weight.ToKg(back.Grams));
        }).ToList()));
    }
}
