using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using Npgsql;
using static MelonChain.Cooperative.Features.Profile.Profile;

namespace MelonChain.Cooperative.Features.Profile;

/// <summary>
/// The admin saves the whole profile (the first save onboards the cooperative). Each save raises the version and
/// publishes CooperativeProfileSaved, from which Dispatch keeps the sender and Tracking the certificate texts.
/// A receipt prefix belongs to one cooperative (409 <c>receipt-prefix-taken</c>); receipts already numbered keep
/// their numbers when it changes.
/// </summary>
public static class SaveProfile
{
    /// <summary>The commitment bases the certificate rules name (自我承诺, 内部质量控制, 自行检测, 委托检测).</summary>
    public static readonly string[] Bases = ["自我承诺", "内部质量控制", "自行检测", "委托检测"];

    /// <summary>The profile as the admin writes it (its version and time are the system's).</summary>
    public sealed record Request(
        string? Name, string? ShortName, string? Village, Address? Address, string? ContactName, string? Phone,
        string? ReceiptPrefix, int CommissionBps, long BoxFeeFen, int MaxShrinkBps, int MaxLotAgeDays, Profile.CertificateTexts? Certificate)
    {
        public CooperativeProfile ToProfile() => new(Name, ShortName, Village, Address, ContactName, Phone, ReceiptPrefix,
            CommissionBps, BoxFeeFen, MaxShrinkBps, MaxLotAgeDays, Certificate);
    }

    public static void Map(RouteGroupBuilder profile) => profile.MapPut("/", Handle).WithName("SaveProfile").Problems(409, "receipt-prefix-taken");

    private static async Task<Ok<CooperativeProfile>> Handle(Request request, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var p = request.ToProfile();
        Validate(p);
        var coop = user.CooperativeId();
        var n = Normalized(p);
        // Saving the same profile again changes nothing: no new version, no event.
        if (await GetProfile.LoadAsync(db, coop, ct) is { } current && current with { Version = 0, UpdatedAt = null } == n)
            return TypedResults.Ok(current);
        var now = clock.GetUtcNow();
        int version;
        try
        {
            version = await db.ExecuteScalarAsync<int>(
                """
                insert into cooperative_profiles (cooperative_id, name, short_name, village, province, city, county, street, contact_name,
                    phone, receipt_prefix, commission_bps, box_fee_fen, max_shrink_bps, max_lot_age_days, certificate_producer,
                    certificate_origin, certificate_contact, certificate_basis, version, updated_at, updated_by)
                values (@Coop, @Name, @ShortName, @Village, @Province, @City, @County, @Street, @ContactName, @Phone, @ReceiptPrefix,
                    @CommissionBps, @BoxFeeFen, @MaxShrinkBps, @MaxLotAgeDays, @Producer, @Origin, @Contact, @Basis, 1, @Now, @By)
                on conflict (cooperative_id) do update set name = excluded.name, short_name = excluded.short_name,
                    village = excluded.village, province = excluded.province, city = excluded.city, county = excluded.county,
                    street = excluded.street, contact_name = excluded.contact_name, phone = excluded.phone,
                    receipt_prefix = excluded.receipt_prefix, commission_bps = excluded.commission_bps, box_fee_fen = excluded.box_fee_fen,
                    max_shrink_bps = excluded.max_shrink_bps, max_lot_age_days = excluded.max_lot_age_days,
                    certificate_producer = excluded.certificate_producer, certificate_origin = excluded.certificate_origin,
                    certificate_contact = excluded.certificate_contact, certificate_basis = excluded.certificate_basis,
                    version = cooperative_profiles.version + 1, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                returning version
                """, new { Coop = coop, n.Name, n.ShortName, n.Village, n.Address!.Province, n.Address.City, n.Address.County, n.Address.Street,
                           n.ContactName, n.Phone, n.ReceiptPrefix, n.CommissionBps, n.BoxFeeFen, n.MaxShrinkBps, n.MaxLotAgeDays,
                           n.Certificate!.Producer, n.Certificate.Origin, n.Certificate.Contact, n.Certificate.Basis, Now = now, By = user.Subject() }, ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw Problem.Conflict("receipt-prefix-taken", $"Receipt prefix {n.ReceiptPrefix} belongs to another cooperative.");
        }

        var saved = n with { Version = version, UpdatedAt = now };
        var a = saved.Address!;
        var c = saved.Certificate!;
        await db.Publish(new CooperativeProfileSaved(Guid.NewGuid(), now, coop, saved.Name!, saved.ShortName!, saved.Village!,
            new PostalAddress(a.Province!, a.City!, a.County!, a.Street!), saved.ContactName!, saved.Phone!, saved.ReceiptPrefix!,
            saved.CommissionBps, saved.BoxFeeFen, saved.MaxShrinkBps, saved.MaxLotAgeDays,
            new MelonChain.Messages.Cooperative.CertificateTexts(c.Producer!, c.Origin!, c.Contact!, c.Basis!), version), ct);
        return TypedResults.Ok(saved);
    }

    /// <summary>The profile as it is stored: trimmed, the prefix upper-case.</summary>
    private static CooperativeProfile Normalized(CooperativeProfile p) => p with
    {
        Name = p.Name!.Trim(), ShortName = p.ShortName!.Trim(), Village = p.Village!.Trim(),
        Address = new Address(p.Address!.Province!.Trim(), p.Address.City!.Trim(), p.Address.County!.Trim(), p.Address.Street!.Trim()),
        ContactName = p.ContactName!.Trim(), Phone = p.Phone!.Trim(), ReceiptPrefix = p.ReceiptPrefix!.ToUpperInvariant(),
        Certificate = new Profile.CertificateTexts(p.Certificate!.Producer!.Trim(), p.Certificate.Origin!.Trim(), p.Certificate.Contact!.Trim(), p.Certificate.Basis!.Trim()),
        Version = 0, UpdatedAt = null,
    };

    private static void Validate(CooperativeProfile p)
    {
        var v = new Validation()
            .Text(p.Name, "name", 100)
            .Text(p.ShortName, "shortName", 30)
            .Text(p.Village, "village", 50)
            .Check(p.Address is not null, "address", "is required")
            .Text(p.ContactName, "contactName", 50)
            .Phone(p.Phone, "phone")
            .Check(p.ReceiptPrefix is { Length: >= 2 and <= 6 } prefix && prefix.All(char.IsAsciiLetterOrDigit),
                "receiptPrefix", "must be 2 to 6 letters or digits")
            .Range(p.CommissionBps, "commissionBps", 0, 3_000)
            .Range(p.BoxFeeFen, "boxFeeFen", 0, 10_000)
            .Range(p.MaxShrinkBps, "maxShrinkBps", 0, 3_000)
            .Range(p.MaxLotAgeDays, "maxLotAgeDays", 1, 30)
            .Check(p.Certificate is not null, "certificate", "is required");
        if (p.Address is { } a)
            v.Text(a.Province, "address.province", 20).Text(a.City, "address.city", 30).Text(a.County, "address.county", 30)
             .Text(a.Street, "address.street", 100);
        if (p.Certificate is { } c)
            v.Text(c.Producer, "certificate.producer", 100).Text(c.Origin, "certificate.origin", 100)
             .Text(c.Contact, "certificate.contact", 50).Text(c.Basis, "certificate.basis", 200)
             .Check(c.Basis is null || Bases.Any(c.Basis.Contains), "certificate.basis", $"must name a commitment basis: {string.Join("、", Bases)}");
        v.ThrowIfInvalid();
    }
}
