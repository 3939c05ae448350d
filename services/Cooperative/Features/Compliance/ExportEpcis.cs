using MelonChain.Messages;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Compliance.EpcisDocument;

namespace MelonChain.Cooperative.Features.Compliance;

/// <summary>
/// <c>GET /epcis?from=&amp;to=</c>: the cooperative's receiving, grading, packing, boxing and shipping between two China
/// dates (the last 7 days by default, at most a year) as one EPCIS 2.0 JSON-LD document (<see cref="EpcisDocument"/>).
/// Buyers appear by id only: no name, contact or phone leaves in the document.
/// </summary>
public static class ExportEpcis
{
    public static void Map(RouteGroupBuilder compliance) =>
        compliance.MapGet("/epcis", Export).WithName("ExportEpcis").Produces<object>(200, EpcisDocument.ContentType);

    private sealed record GradingRow(
        Guid Id, string ReceiptNo, int GradingNo, long GrossGrams, DateTimeOffset GradedAt, DateTimeOffset? ReversedAt, string? ReversalReason, Guid? CorrectedBy);

    private sealed record LotRow(Guid GradingId, Guid Id, string Grade, long Grams, int? FruitCount);

    private sealed record OrderRow(
        Guid Id, Guid BuyerId, string DestCity, string Product, DateTimeOffset PackedAt, DateTimeOffset? CollectedAt, DateTimeOffset? CancelledAt, string? CertificateNo);

    private sealed record BoxRow(Guid OrderId, string TraceCode, string Grade, long NetGrams, string? WaybillNo);

    private sealed record SourceRow(string TraceCode, Guid LotId, long Grams);

    private static async Task<IResult> Export(DateOnly? from, DateOnly? to, Db db, ClaimsPrincipal user, IConfiguration config, TimeProvider clock, CancellationToken ct)
    {
        var (first, last) = Validation.ReportPeriod(from, to, ChinaTime.Today(clock), defaultDays: 7);
        var args = new { Coop = user.CooperativeId(), Start = ChinaTime.StartOf(first), End = ChinaTime.StartOf(last.AddDays(1)) };

        var receipts = await db.QueryAsync<Receipt>(
            """
            select r.id, r.receipt_no, g.member_no, r.harvested_on, r.gross_grams, r.crates, r.received_at, r.grower_certificate_no
            from receipts r join growers g on g.id = r.grower_id
            where r.cooperative_id = @Coop and r.received_at >= @Start and r.received_at < @End
            """, args, ct);
        var gradings = (await db.QueryAsync<GradingRow>(
            """
            select gr.id, r.receipt_no, gr.grading_no, r.gross_grams, gr.graded_at, gr.reversed_at, gr.reversal_reason,
                   (select n.id from gradings n where n.receipt_id = gr.receipt_id and n.grading_no = gr.grading_no + 1) as corrected_by
            from gradings gr join receipts r on r.id = gr.receipt_id
            where gr.cooperative_id = @Coop
              and (gr.graded_at >= @Start and gr.graded_at < @End or gr.reversed_at >= @Start and gr.reversed_at < @End)
            """, args, ct)).ToList();
        var lots = (await db.QueryAsync<LotRow>(
            "select grading_id, id, grade, grams, fruit_count from lots where grading_id = any(@Ids) order by grade",
            new { Ids = gradings.Select(g => g.Id).ToArray() }, ct)).ToLookup(l => l.GradingId);

        var orders = (await db.QueryAsync<OrderRow>(
            """
            select o.id, o.buyer_id, o.dest_city, o.product, o.packed_at, o.collected_at, o.cancelled_at, c.certificate_no
            from orders o left join certificates c on c.order_id = o.id
            where o.cooperative_id = @Coop and o.packed_at is not null
              and (o.packed_at >= @Start and o.packed_at < @End or o.collected_at >= @Start and o.collected_at < @End
                   or o.cancelled_at >= @Start and o.cancelled_at < @End)
            """, args, ct)).ToList();
        var orderIds = orders.Select(o => o.Id).ToArray();
        var boxes = (await db.QueryAsync<BoxRow>(
            "select order_id, trace_code, grade, net_grams, waybill_no from boxes where order_id = any(@Ids) order by order_id, seq",
            new { Ids = orderIds }, ct)).ToLookup(b => b.OrderId);
        var sources = (await db.QueryAsync<SourceRow>(
            """
            select s.trace_code, s.lot_id, s.grams from box_sources s join boxes b on b.trace_code = s.trace_code
            where b.order_id = any(@Ids) order by s.lot_id
            """, new { Ids = orderIds }, ct)).ToLookup(s => s.TraceCode);

        var chain = new Chain(user.CooperativeId(), PrintLabels.TraceBaseUrl(config), args.Start, args.End, receipts.ToList(),
            gradings.Select(g => new EpcisDocument.Grading(g.Id, g.ReceiptNo, g.GradingNo, g.GrossGrams, g.GradedAt,
                lots[g.Id].Select(l => new Lot(l.Id, l.Grade, l.Grams, l.FruitCount)).ToList(), g.ReversedAt, g.ReversalReason, g.CorrectedBy)).ToList(),
            orders.Select(o => new PackedOrder(o.Id, o.BuyerId, o.DestCity, o.Product, o.PackedAt, o.CollectedAt, o.CancelledAt, o.CertificateNo,
                boxes[o.Id].Select(b => new Box(b.TraceCode, b.Grade, b.NetGrams, b.WaybillNo,
                    sources[b.TraceCode].Select(s => new BoxContent(s.LotId, s.Grams)).ToList())).ToList())).ToList());
        return Results.Text(Build(chain, clock.GetUtcNow()).ToJsonString(), EpcisDocument.ContentType, System.Text.Encoding.UTF8);
    }
}
