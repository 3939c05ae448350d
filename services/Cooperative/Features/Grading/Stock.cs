using MelonChain.Messages;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Grading;

/// <summary>
/// Stock per grade: graded lots minus what packed orders took. Bitter melon keeps only 3–4 days at ambient
/// temperature, so stock shows the oldest harvest and how much is older than the packing limit (the profile's maxLotAgeDays).
/// </summary>
public static class Stock
{
    public sealed record GradeStock(string Grade, decimal AvailableKg, decimal FreshKg, decimal TooOldKg, int Lots, DateOnly? OldestHarvest);

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
        return TypedResults.Ok(new Response(today, maxAge, Grades.All.Select(g => rows.TryGetValue(g, out var r)
            ? new GradeStock(g, Weight.ToKg(r.Available), Weight.ToKg(r.Fresh), Weight.ToKg(r.Available - r.Fresh), r.Lots, r.Oldest)
            : new GradeStock(g, 0, 0, 0, 0, null)).ToList()));
    }
}
