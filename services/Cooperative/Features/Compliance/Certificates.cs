using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Compliance;

/// <summary>
/// 承诺达标合格证, box labels and the EPCIS export: what the law and the buyers' systems ask of a collector that mixes
/// its growers' melons. Packing issues the certificate (<see cref="IssueCertificate"/>); the book lists and reads them, labels print them on every box.
/// </summary>
public static class Certificates
{
    /// <summary>The law's minimum: a certificate is kept at least 6 months.</summary>
    public const int KeptMonths = 6;

    public static RouteGroupBuilder MapCompliance(this RouteGroupBuilder api)
    {
        var compliance = api.MapGroup("").RequireRoles(Roles.Clerk, Roles.Admin).WithTags("Compliance");
        ListCertificates.Map(compliance);
        PrintLabels.Map(compliance);
        ExportEpcis.Map(compliance);
        return api;
    }

    /// <summary>A grower's certificate the cooperative collected with a receipt that went into the batch.</summary>
    public sealed record GrowerCertificate(string ReceiptNo, string MemberNo, bool Presented, string? Number);

    /// <summary>The cooperative's certificate of one order batch, as issued: every field the law asks for (services/Cooperative/README.md, "Certificates").</summary>
    public sealed record Certificate(
        string CertificateNo, Guid OrderId, string ProductName, decimal NetKg, int Boxes, string Producer, string Origin,
        string Contact, string Phone, string CommitmentBasis, DateOnly IssuedOn, DateTimeOffset IssuedAt, DateOnly KeepUntil,
        DateTimeOffset? RevokedAt, string? RevokedReason, IReadOnlyList<GrowerCertificate> GrowerCertificates);

    public const string Columns =
        """
        c.certificate_no, c.order_id, c.product_name, c.net_grams / 1000.0 as net_kg, c.boxes, c.producer, c.origin, c.contact, c.phone,
        c.basis as commitment_basis, c.issued_on, c.issued_at, c.keep_until, c.revoked_at, c.revoked_reason
        """;

    private sealed record Row(
        string CertificateNo, Guid OrderId, string ProductName, decimal NetKg, int Boxes, string Producer, string Origin,
        string Contact, string Phone, string CommitmentBasis, DateOnly IssuedOn, DateTimeOffset IssuedAt, DateOnly KeepUntil,
        DateTimeOffset? RevokedAt, string? RevokedReason);

    private sealed record GrowerRow(Guid OrderId, string ReceiptNo, string MemberNo, bool Presented, string? Number);

    /// <summary>The certificates that match <paramref name="where"/> (on alias <c>c</c>), with the growers' certificates of their batches.</summary>
    public static async Task<IReadOnlyList<Certificate>> LoadAsync(Db db, string where, object args, CancellationToken ct)
    {
        var rows = await db.QueryAsync<Row>($"select {Columns} from certificates c where {where}", args, ct);
        if (rows.Count == 0) return [];
        var growers = (await db.QueryAsync<GrowerRow>(
            """
            select distinct b.order_id, r.receipt_no, g.member_no, r.grower_certificate_presented as presented, r.grower_certificate_no as number
            from boxes b join box_sources s on s.trace_code = b.trace_code join lots l on l.id = s.lot_id
                 join receipts r on r.id = l.receipt_id join growers g on g.id = r.grower_id
            where b.order_id = any(@Orders) order by r.receipt_no
            """, new { Orders = rows.Select(r => r.OrderId).ToArray() }, ct)).ToLookup(g => g.OrderId);
        return rows.Select(r => new Certificate(r.CertificateNo, r.OrderId, r.ProductName, r.NetKg, r.Boxes, r.Producer, r.Origin, r.Contact,
            r.Phone, r.CommitmentBasis, r.IssuedOn, r.IssuedAt, r.KeepUntil, r.RevokedAt, r.RevokedReason,
            growers[r.OrderId].Select(g => new GrowerCertificate(g.ReceiptNo, g.MemberNo, g.Presented, g.Number)).ToList())).ToList();
    }

    /// <summary>The certificate of an order of the caller's cooperative; 404 when the order was never packed.</summary>
    public static async Task<Certificate> OfOrderAsync(Db db, Guid orderId, string coop, CancellationToken ct) =>
        (await LoadAsync(db, "c.order_id = @Id and c.cooperative_id = @Coop", new { Id = orderId, Coop = coop }, ct)).SingleOrDefault()
        ?? throw Problem.NotFound("certificate");
}
