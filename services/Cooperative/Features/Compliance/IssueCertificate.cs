using MelonChain.Messages;
using MelonChain.ServiceDefaults.Data;

namespace MelonChain.Cooperative.Features.Compliance;

/// <summary>
/// Packing issues the batch's 承诺达标合格证 in the same unit of work as its boxes: numbered in the series of the
/// cooperative's receipt prefix and the year (<c>SX-HGZ-2026-000001</c>), a series that goes on whichever cooperative
/// holds the prefix, so a cooperative taking a prefix another gave up never repeats one of its numbers (migration 0016);
/// with the profile's producer, origin (and the growers' villages), contact, phone and commitment basis as they are at
/// that moment, the product, the batch's net weight and the issue date.
/// </summary>
public static class IssueCertificate
{
    public static string Number(string receiptPrefix, int year, int seq) => $"{receiptPrefix}-HGZ-{year}-{seq:D6}";

    private sealed record ProfileRow(string ReceiptPrefix, string Producer, string Origin, string Contact, string Phone, string Basis);

    public static async Task<string> IssueAsync(Db db, string coop, Guid orderId, long netGrams, int boxes, IEnumerable<string> villages,
        DateTimeOffset now, CancellationToken ct)
    {
        var profile = await db.QuerySingleOrDefaultAsync<ProfileRow>(
            """
            select receipt_prefix, certificate_producer as producer, certificate_origin as origin, certificate_contact as contact, phone,
                   certificate_basis as basis
            from cooperative_profiles where cooperative_id = @Coop
            """, new { Coop = coop }, ct) ?? throw Profile.Profile.Required();
        var issuedOn = ChinaTime.DateOf(now);
        var seq = await db.ExecuteScalarAsync<int>(
            """
            insert into certificate_series (prefix, year, last_no) values (@Prefix, @Year, 1)
            on conflict (prefix, year) do update set last_no = certificate_series.last_no + 1
            returning last_no
            """, new { Prefix = profile.ReceiptPrefix, issuedOn.Year }, ct);
        var number = Number(profile.ReceiptPrefix, issuedOn.Year, seq);
        var places = villages.Distinct().Order().ToList();
        await db.ExecuteAsync(
            """
            insert into certificates (certificate_no, cooperative_id, order_id, issued_on, issued_at, product_name, net_grams, boxes,
                                      producer, origin, contact, phone, basis, keep_until)
            values (@Number, @Coop, @OrderId, @IssuedOn, @Now, @ProductName, @NetGrams, @Boxes, @Producer, @Origin, @Contact, @Phone, @Basis, @KeepUntil)
            """, new
            {
                Number = number, Coop = coop, OrderId = orderId, IssuedOn = issuedOn, Now = now, ProductName = Produce.CertificateName,
                NetGrams = netGrams, Boxes = boxes, profile.Producer,
                Origin = places.Count == 0 ? profile.Origin : $"{profile.Origin} · {string.Join("、", places)}",
                profile.Contact, profile.Phone, profile.Basis, KeepUntil = issuedOn.AddMonths(Certificates.KeptMonths),
            }, ct);
        return number;
    }
}
