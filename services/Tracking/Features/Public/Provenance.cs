using MelonChain.Messages;
using System.Text.Json;
using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Messaging;
using QRCoder;

namespace MelonChain.Tracking.Features.Public;

/// <summary>
/// 一箱一码: a box's trace code opens its story — product, grade, weight, harvest dates, cooperative and village,
/// grower member numbers (never names or phones), contract region and seedling lineage, packing and carrier —
/// and the data of its edible agricultural product compliance certificate (承诺达标合格证).
/// </summary>
public static class Provenance
{
    public const string Product = Produce.Name;
    public const string ProductName = Produce.CertificateName;
    public const string Indication = "国家地理标志产品 National geographical indication product";
    public const string StorageAdvice = "Keep at 10–12.5 °C and 85–95% humidity, away from ethylene-producing fruit (apples, bananas); 3–4 days at room temperature. 10–12.5 °C 冷藏，远离释放乙烯的水果。";

    public sealed record Lineage(string BatchNo, string Nursery, string MotherField, DateOnly IssuedOn);

    public sealed record Origin(string MemberNo, string Village, DateOnly HarvestedOn, decimal Kg, string? ContractRegion, IReadOnlyList<Lineage> Seedlings);

    public sealed record Certificate(
        string ProductName, decimal WeightKg, string Producer, string Origin, string Contact, DateOnly IssuedOn, string CommitmentBasis);

    public sealed record Story(
        string TraceCode, string Product, string GeographicalIndication, string Grade, decimal NetKg,
        IReadOnlyList<DateOnly> HarvestDates, string Cooperative, IReadOnlyList<string> Villages, IReadOnlyList<Origin> Origins,
        DateTimeOffset PackedAt, string? Carrier, string? WaybillNo, string StorageAdvice, Certificate? Certificate);

    public static void Map(RouteGroupBuilder publicApi)
    {
        publicApi.MapGet("/trace/{traceCode}", Trace).WithName("PublicTrace");
        publicApi.MapGet("/trace/{traceCode}/qr.png", Qr).WithName("PublicTraceQr");
    }

    private sealed record ProfileRow(string Name, string Producer, string Origin, string Contact, string Basis);

    private sealed record BoxRow(string CooperativeId, string Grade, long NetGrams, DateTimeOffset PackedAt, string Sources, string? Carrier, string? WaybillNo);

    private static async Task<Ok<Story>> Trace(string traceCode, Db db, CancellationToken ct)
    {
        Validate(traceCode);
        var box = await db.QuerySingleOrDefaultAsync<BoxRow>(
            """
            select b.cooperative_id, b.grade, b.net_grams, b.packed_at, b.sources::text as sources, s.carrier,
                   coalesce(w.waybill_no, s.master_waybill_no) as waybill_no
            from boxes b left join shipments s on s.order_id = b.order_id left join waybills w on w.trace_code = b.trace_code
            where b.trace_code = @TraceCode
            """, new { TraceCode = traceCode.ToUpperInvariant() }, ct) ?? throw Problem.NotFound("box");

        var sources = JsonSerializer.Deserialize<List<BoxSource>>(box.Sources, MessageJson.Options)!;
        var contractIds = sources.Where(s => s.ContractId is not null).Select(s => s.ContractId!.Value).Distinct().ToArray();
        var regions = (await db.QueryAsync<(Guid ContractId, string Region)>(
            "select contract_id, region from contracts where contract_id = any(@Ids)", new { Ids = contractIds }, ct)).ToDictionary(r => r.ContractId, r => r.Region);
        var seedlings = (await db.QueryAsync<(Guid ContractId, string BatchNo, string Nursery, string MotherField, DateOnly IssuedOn)>(
            "select contract_id, batch_no, nursery, mother_field, issued_on from seedling_issues where contract_id = any(@Ids) order by issued_on, batch_no",
            new { Ids = contractIds }, ct)).ToLookup(s => s.ContractId, s => new Lineage(s.BatchNo, s.Nursery, s.MotherField, s.IssuedOn));

        var origins = sources.OrderBy(s => s.HarvestedOn).ThenBy(s => s.MemberNo).Select(s => new Origin(
            s.MemberNo, s.Village, s.HarvestedOn, Weight.ToKg(s.Grams),
            s.ContractId is { } c ? regions.GetValueOrDefault(c) : null,
            s.ContractId is { } id ? seedlings[id].DistinctBy(l => l.BatchNo).ToList() : [])).ToList();
        var villages = sources.Select(s => s.Village).Distinct().Order().ToList();
        // The cooperative's own texts, from its profile; a box whose cooperative's profile has not reached Tracking yet
        // shows no certificate rather than another cooperative's.
        var coop = await db.QuerySingleOrDefaultAsync<ProfileRow>(
            """
            select name, certificate_producer as producer, certificate_origin as origin, certificate_contact as contact,
                   certificate_basis as basis
            from cooperative_profiles where cooperative_id = @Coop
            """, new { Coop = box.CooperativeId }, ct);
        var coopName = coop?.Name ?? box.CooperativeId;
        var certificate = coop is null ? null : new Certificate(
            ProductName, Weight.ToKg(box.NetGrams), coop.Producer, $"{coop.Origin} · {string.Join("、", villages)}", coop.Contact,
            ChinaTime.DateOf(box.PackedAt), coop.Basis);

        return TypedResults.Ok(new Story(traceCode.ToUpperInvariant(), Product, Indication, box.Grade, Weight.ToKg(box.NetGrams),
            sources.Select(s => s.HarvestedOn).Distinct().Order().ToList(), coopName, villages, origins, box.PackedAt,
            box.Carrier, box.WaybillNo is null ? null : MaskWaybill(box.WaybillNo), StorageAdvice, certificate));
    }

    /// <summary>A PNG QR code of the box's public trace URL, for its label.</summary>
    private static async Task<FileContentHttpResult> Qr(string traceCode, Db db, IConfiguration config, CancellationToken ct)
    {
        Validate(traceCode);
        var code = traceCode.ToUpperInvariant();
        _ = await db.QuerySingleOrDefaultAsync<string>("select trace_code from boxes where trace_code = @Code", new { Code = code }, ct)
            ?? throw Problem.NotFound("box");
        var url = $"{(config["Tracking:PublicBaseUrl"] ?? "http://127.0.0.1:8080").TrimEnd('/')}/trace/{code}";
        using var data = QRCodeGenerator.GenerateQrCode(url, QRCodeGenerator.ECCLevel.M);
        return TypedResults.File(new PngByteQRCode(data).GetGraphic(8), "image/png");
    }

    /// <summary>SF1234567890123 → SF1234*****0123.</summary>
    public static string MaskWaybill(string waybillNo) =>
        waybillNo.Length <= 8 ? waybillNo : waybillNo[..6] + new string('*', waybillNo.Length - 10) + waybillNo[^4..];

    private static void Validate(string traceCode) => new Validation()
        .Check(traceCode.Length is > 0 and <= 16 && traceCode.All(char.IsAsciiLetterOrDigit), "traceCode", "is not a trace code")
        .ThrowIfInvalid();
}
