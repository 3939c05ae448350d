using MelonChain.Messages;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Compliance.Certificates;

namespace MelonChain.Cooperative.Features.Compliance;

/// <summary>
/// The certificate book: <c>GET /certificates?from=&amp;to=</c> (issue dates, the last 6 months by default, paged by number) and the certificate of one
/// packed order. Every certificate of the last 6 months is always there: the table refuses to lose one earlier.
/// </summary>
public static class ListCertificates
{
    public const int MaxDays = 366;

    public static void Map(RouteGroupBuilder compliance)
    {
        compliance.MapGet("/certificates", List).WithName("ListCertificates");
        compliance.MapGet("/orders/{id:guid}/certificate", async (Guid id, Db db, ClaimsPrincipal user, CancellationToken ct) =>
            TypedResults.Ok(await OfOrderAsync(db, id, user.CooperativeId(), ct))).WithName("GetOrderCertificate");
    }

    /// <summary>Without dates: the last 6 months (China dates), the span the law asks to keep.</summary>
    private static async Task<Ok<Page<Certificate>>> List(DateOnly? from, DateOnly? to, int? limit, string? after, Db db, ClaimsPrincipal user,
        TimeProvider clock, CancellationToken ct)
    {
        to ??= ChinaTime.Today(clock);
        from ??= to.Value.AddMonths(-KeptMonths);
        new Validation().Check(from <= to, "to", "must not be before from")
            .Check(to.Value.DayNumber - from.Value.DayNumber < MaxDays, "to", $"at most {MaxDays} days after from").ThrowIfInvalid();
        var paging = Paging.From(limit, after);
        var page = await LoadAsync(db,
            """
            c.cooperative_id = @Coop and c.issued_on between @From and @To and (@After::text is null or c.certificate_no > @After)
            order by c.certificate_no limit @Fetch
            """, new { Coop = user.CooperativeId(), From = from, To = to, paging.After, paging.Fetch }, ct);
        return TypedResults.Ok(paging.ToPage(page, c => c.CertificateNo));
    }
}
