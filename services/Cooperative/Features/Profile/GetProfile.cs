using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Profile.Profile;

namespace MelonChain.Cooperative.Features.Profile;

/// <summary>The admin reads the cooperative's profile; 409 <c>profile-required</c> before the first save.</summary>
public static class GetProfile
{
    public static void Map(RouteGroupBuilder profile) => profile.MapGet("/", Handle).WithName("GetProfile").Problems(409, ProblemTypes.ProfileRequired);

    private sealed record Row(
        string Name, string ShortName, string Village, string Province, string City, string County, string Street,
        string ContactName, string Phone, string ReceiptPrefix, int CommissionBps, long BoxFeeFen, int MaxShrinkBps,
        int MaxLotAgeDays, string CertificateProducer, string CertificateOrigin, string CertificateContact,
        string CertificateBasis, int Version, DateTimeOffset UpdatedAt);

    private static async Task<Ok<CooperativeProfile>> Handle(Db db, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(await LoadAsync(db, user.CooperativeId(), ct) ?? throw Required());

    public static async Task<CooperativeProfile?> LoadAsync(Db db, string coop, CancellationToken ct)
    {
        var r = await db.QuerySingleOrDefaultAsync<Row>(
            """
            select name, short_name, village, province, city, county, street, contact_name, phone, receipt_prefix,
                   commission_bps, box_fee_fen, max_shrink_bps, max_lot_age_days, certificate_producer, certificate_origin,
                   certificate_contact, certificate_basis, version, updated_at
            from cooperative_profiles where cooperative_id = @Coop
            """, new { Coop = coop }, ct);
        return r is null ? null : new CooperativeProfile(r.Name, r.ShortName, r.Village, new Address(r.Province, r.City, r.County, r.Street),
            r.ContactName, r.Phone, r.ReceiptPrefix, r.CommissionBps, r.BoxFeeFen, r.MaxShrinkBps, r.MaxLotAgeDays,
            new CertificateTexts(r.CertificateProducer, r.CertificateOrigin, r.CertificateContact, r.CertificateBasis), r.Version, r.UpdatedAt);
    }
}
