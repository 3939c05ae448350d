using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Profile;

/// <summary>
/// The cooperative's profile (合作社档案): everything that makes a cooperative itself — its names and address (the
/// carrier's sender and the certificate's contact), receipt prefix, commission, box fee, grading and packing limits,
/// and the texts of its 承诺达标合格证. Kept by the cooperative's admin; a cooperative exists once it is saved.
/// </summary>
public static class Profile
{
    public static RouteGroupBuilder MapProfile(this RouteGroupBuilder api)
    {
        var profile = api.MapGroup("/profile").RequireRoles(Roles.Admin).WithTags("Profile");
        GetProfile.Map(profile);
        SaveProfile.Map(profile);
        return api;
    }

    public sealed record Address(string? Province, string? City, string? County, string? Street);

    public sealed record CertificateTexts(string? Producer, string? Origin, string? Contact, string? Basis);

    public sealed record CooperativeProfile(
        string? Name, string? ShortName, string? Village, Address? Address, string? ContactName, string? Phone,
        string? ReceiptPrefix, int CommissionBps, long BoxFeeFen, int MaxShrinkBps, int MaxLotAgeDays,
        CertificateTexts? Certificate, int Version = 0, DateTimeOffset? UpdatedAt = null);

    /// <summary>The profile values the use cases need, read in the request's unit of work.</summary>
    public sealed record Rules(string ReceiptPrefix, int CommissionBps, long BoxFeeFen, int MaxShrinkBps, int MaxLotAgeDays);

    /// <summary>The cooperative's rules; 409 <c>profile-required</c> while its admin has not saved a profile.</summary>
    public static async Task<Rules> RulesAsync(Db db, string coop, CancellationToken ct) =>
        await db.QuerySingleOrDefaultAsync<Rules>(
            """
            select receipt_prefix, commission_bps, box_fee_fen, max_shrink_bps, max_lot_age_days
            from cooperative_profiles where cooperative_id = @Coop
            """, new { Coop = coop }, ct) ?? throw Required();

    /// <summary>The cooperative's name as its documents print it; 409 <c>profile-required</c> without a profile.</summary>
    public static async Task<string> NameAsync(Db db, string coop, CancellationToken ct) =>
        await db.ExecuteScalarAsync<string>("select name from cooperative_profiles where cooperative_id = @Coop", new { Coop = coop }, ct) ?? throw Required();

    public static ProblemException Required() => Problem.Conflict("profile-required",
        "This cooperative has no profile yet: its admin saves it first (PUT /api/v1/cooperative/profile).");
}
