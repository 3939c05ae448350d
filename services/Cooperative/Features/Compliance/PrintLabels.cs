using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Compliance;

/// <summary>
/// <c>GET /orders/{id}/labels.pdf</c>: the packed order's box labels, one 100×150 mm page per box, or four to an A4
/// sheet with <c>?sheet=a4</c>. Each QR points at the box's public trace page (<c>Documents:PublicTraceBaseUrl</c>,
/// the Gateway by default).
/// </summary>
public static class PrintLabels
{
    public static void Map(RouteGroupBuilder compliance) =>
        compliance.MapGet("/orders/{id:guid}/labels.pdf", Print).WithName("PrintLabels").Produces(200, contentType: "application/pdf");

    private sealed record BoxRow(string TraceCode, int Seq, string Grade, long NetGrams, DateOnly HarvestedOn);

    private static async Task<FileContentHttpResult> Print(Guid id, string? sheet, Db db, ClaimsPrincipal user, IConfiguration config, CancellationToken ct)
    {
        new Validation().OneOf(sheet ?? "label", "sheet", ["label", "a4"]).ThrowIfInvalid();
        var coop = user.CooperativeId();
        var certificate = await Certificates.OfOrderAsync(db, id, coop, ct);
        var name = await Profile.Profile.NameAsync(db, coop, ct);
        var rows = await db.QueryAsync<BoxRow>(
            """
            select distinct b.trace_code, b.seq, b.grade, b.net_grams, l.harvested_on
            from boxes b join box_sources s on s.trace_code = b.trace_code join lots l on l.id = s.lot_id
            where b.order_id = @Id order by b.seq, l.harvested_on
            """, new { Id = id }, ct);
        var boxes = rows.GroupBy(r => (r.TraceCode, r.Seq, r.Grade, r.NetGrams)).ToList();
        var baseUrl = TraceBaseUrl(config);
        CjkFont.Register(config["Documents:CjkFont"]);
        var pdf = LabelSheet.Render(boxes.Select(b => new LabelSheet.Label(TraceUrl(baseUrl, b.Key.TraceCode), b.Key.TraceCode, b.Key.Seq, boxes.Count,
            b.Key.Grade, b.Key.NetGrams / 1000m, b.Select(r => r.HarvestedOn).Distinct().ToList(), name, certificate)).ToList(), sheet == "a4");
        return TypedResults.File(pdf, "application/pdf", $"labels-{certificate.CertificateNo}.pdf");
    }

    /// <summary>Where the public trace pages are (<c>Documents:PublicTraceBaseUrl</c>): the Gateway's address people reach.</summary>
    internal static string TraceBaseUrl(IConfiguration config) => (config["Documents:PublicTraceBaseUrl"] ?? "http://127.0.0.1:8080").TrimEnd('/');

    /// <summary>A box's public trace page: what its label's QR carries and what names the box in an EPCIS export.</summary>
    internal static string TraceUrl(string baseUrl, string traceCode) => $"{baseUrl}/trace/{traceCode}";
}
