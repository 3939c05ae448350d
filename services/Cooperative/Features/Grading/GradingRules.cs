using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Grading;

/// <summary>
/// The rule a grading is checked against, for the clerk who grades (the profile itself is the admin's): the most shrink
/// the cooperative accepts, in basis points of gross. The workstation shows shrink live against it; GradeReceipt
/// enforces it (422 shrink-out-of-bounds).
/// </summary>
public static class GradingRules
{
    public sealed record Response(int MaxShrinkBps);

    public static async Task<Ok<Response>> Get(Db db, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(new Response((await Profile.Profile.RulesAsync(db, user.CooperativeId(), ct)).MaxShrinkBps));
}
