using System.Text.Json;
using MelonChain.Messages;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Compliance.EpcisDocument;

namespace MelonChain.Cooperative.Features.Compliance;

/// <summary>
/// <c>GET /epcis?from=&amp;to=</c>: the cooperative's receiving, grading, packing, boxing and shipping between two China
/// dates (the last 7 days by default, at most a year) as one EPCIS 2.0 JSON-LD document (<see cref="EpcisDocument"/>).
/// Buyers appear by id only: no name, contact or phone leaves in the document. The document is written as it is read:
/// one query gives every event of the period in the document's order (by time, then eventID), each row carrying
/// what its event needs (a grading's lots, an order's boxes and what is in them), and each event is written to the
/// answer as soon as its row arrives, so a year of a season holds no more memory than one event.
/// </summary>
public static class ExportEpcis
{
    /// <summary>A year of a large season is millions of events: the query may take minutes, not the default 30 s.</summary>
    private const int CommandTimeoutSeconds = 600;

    public static void Map(RouteGroupBuilder compliance) =>
        compliance.MapGet("/epcis", Export).WithName("ExportEpcis").Produces<object>(200, EpcisDocument.ContentType);

    /// <summary>One event's row: its kind, time and eventID (as the database ordered them) and the columns its kind uses.</summary>
    private sealed record StepRow(
        string Kind, DateTimeOffset At, string EventId, Guid Id,
        string? ReceiptNo, string? MemberNo, DateOnly? HarvestedOn, long? GrossGrams, int? Crates, string? CertificateNo,
        int? GradingNo, DateTimeOffset? GradedAt, DateTimeOffset? ReversedAt, string? ReversalReason, Guid? CorrectedBy,
        Guid? BuyerId, string? DestCity, string? Product, DateTimeOffset? PackedAt, DateTimeOffset? CollectedAt, DateTimeOffset? CancelledAt,
        string? Contents);

    private static readonly JsonSerializerOptions ContentsJson = new(JsonSerializerDefaults.Web);

    /// <summary>An order's boxes in packing order (<c>b.seq</c>), each with the kg of each lot in it (by lot).</summary>
    private const string BoxJson =
        """
        json_build_object('traceCode', b.trace_code, 'grade', b.grade, 'netGrams', b.net_grams, 'waybillNo', b.waybill_no,
            'contents', (select coalesce(json_agg(json_build_object('lotId', s.lot_id, 'grams', s.grams) order by s.lot_id), '[]')
                         from box_sources s where s.trace_code = b.trace_code))
        """;

    private static readonly string OrderBoxes =
        $"(select coalesce(json_agg({BoxJson} order by b.seq), '[]')::text from boxes b where b.order_id = o.id)";

    /// <summary>The columns of an order's step after <c>kind, at, step, what, id</c>.</summary>
    private static readonly string OrderColumns =
        """
        null::text, null::text, null::date, null::bigint, null::int, c.certificate_no,
        null::int, null::timestamptz, null::timestamptz, null::text, null::uuid,
        o.buyer_id, o.dest_city, o.product, o.packed_at, o.collected_at, o.cancelled_at
        """;

    private static readonly string GradingColumns =
        """
        r.receipt_no, null::text, null::date, r.gross_grams, null::int, null::text,
        gr.grading_no, gr.graded_at, gr.reversed_at, gr.reversal_reason,
        (select n.id from gradings n where n.receipt_id = gr.receipt_id and n.grading_no = gr.grading_no + 1),
        null::uuid, null::text, null::text, null::timestamptz, null::timestamptz, null::timestamptz,
        (select coalesce(json_agg(json_build_object('id', l.id, 'grade', l.grade, 'grams', l.grams, 'fruitCount', l.fruit_count) order by l.grade), '[]')::text
         from lots l where l.grading_id = gr.id)
        """;

    /// <summary>Every event of the period, each kept if its own time falls in it, in the document's order.</summary>
    private static readonly string StepsSql =
        $"""
        select c.kind, c.at, 'urn:uuid:' || encode(k.key, 'hex')::uuid as event_id, c.id,
               c.receipt_no, c.member_no, c.harvested_on, c.gross_grams, c.crates, c.certificate_no,
               c.grading_no, c.graded_at, c.reversed_at, c.reversal_reason, c.corrected_by,
               c.buyer_id, c.dest_city, c.product, c.packed_at, c.collected_at, c.cancelled_at, c.contents
        from (
            select 'receiving' as kind, r.received_at as at, 'receiving' as step, r.id::text as what, r.id,
                   r.receipt_no, g.member_no, r.harvested_on, r.gross_grams, r.crates, r.grower_certificate_no as certificate_no,
                   null::int as grading_no, null::timestamptz as graded_at, null::timestamptz as reversed_at, null::text as reversal_reason, null::uuid as corrected_by,
                   null::uuid as buyer_id, null::text as dest_city, null::text as product,
                   null::timestamptz as packed_at, null::timestamptz as collected_at, null::timestamptz as cancelled_at, null::text as contents
            from receipts r join growers g on g.id = r.grower_id
            where r.cooperative_id = @Coop and r.received_at >= @Start and r.received_at < @End
            union all
            select 'graded', gr.graded_at, 'grading', gr.id::text, gr.id, {GradingColumns}
            from gradings gr join receipts r on r.id = gr.receipt_id
            where gr.cooperative_id = @Coop and gr.graded_at >= @Start and gr.graded_at < @End
            union all
            select 'reversed', gr.reversed_at, 'grading', gr.id::text, gr.id, {GradingColumns}
            from gradings gr join receipts r on r.id = gr.receipt_id
            where gr.cooperative_id = @Coop and gr.reversed_at >= @Start and gr.reversed_at < @End
            union all
            select 'packed', o.packed_at, 'packing', o.id::text, o.id, {OrderColumns}, {OrderBoxes}
            from orders o left join certificates c on c.order_id = o.id
            where o.cooperative_id = @Coop and o.packed_at >= @Start and o.packed_at < @End
            union all
            select 'boxed', o.packed_at, 'boxing', b.trace_code, o.id, {OrderColumns}, json_build_array({BoxJson})::text
            from orders o join boxes b on b.order_id = o.id left join certificates c on c.order_id = o.id
            where o.cooperative_id = @Coop and o.packed_at >= @Start and o.packed_at < @End
            union all
            select 'collected', o.collected_at, 'shipping', o.id::text, o.id, {OrderColumns}, {OrderBoxes}
            from orders o left join certificates c on c.order_id = o.id
            where o.cooperative_id = @Coop and o.packed_at is not null and o.collected_at >= @Start and o.collected_at < @End
            union all
            select 'unpacked', o.cancelled_at, 'unpacking', o.id::text, o.id, {OrderColumns}, {OrderBoxes}
            from orders o left join certificates c on c.order_id = o.id
            where o.cooperative_id = @Coop and o.packed_at is not null and o.collected_at is null
              and o.cancelled_at >= @Start and o.cancelled_at < @End
        ) c
        cross join lateral (select {EventKeySql} as key) k
        order by c.at, k.key, c.kind
        """;

    private static async Task<IResult> Export(DateOnly? from, DateOnly? to, Db db, ClaimsPrincipal user, IConfiguration config, TimeProvider clock, CancellationToken ct)
    {
        var (first, last) = Validation.ReportPeriod(from, to, ChinaTime.Today(clock), defaultDays: 7);
        var cooperative = user.CooperativeId();
        var args = new { Coop = cooperative, Start = ChinaTime.StartOf(first), End = ChinaTime.StartOf(last.AddDays(1)), Prefix = EpcisDocument.Prefix(cooperative) };
        var traceBaseUrl = PrintLabels.TraceBaseUrl(config);
        var createdAt = clock.GetUtcNow();
        return Results.Stream(
            body => EpcisDocument.WriteAsync(body, cooperative, traceBaseUrl, createdAt,
                Steps(db.QueryUnbufferedAsync<StepRow>(StepsSql, args, CommandTimeoutSeconds, ct)), ct),
            EpcisDocument.ContentType + "; charset=utf-8");
    }

    private static async IAsyncEnumerable<Step> Steps(IAsyncEnumerable<StepRow> rows)
    {
        await foreach (var row in rows)
            yield return row.Kind switch
            {
                "receiving" => new Received(row.At, row.EventId, new Receipt(row.Id, row.ReceiptNo!, row.MemberNo!, row.HarvestedOn!.Value, row.GrossGrams!.Value,
                    row.Crates!.Value, row.At, row.CertificateNo)),
                "graded" => new Graded(row.At, row.EventId, GradingOf(row)),
                "reversed" => new GradingReversed(row.At, row.EventId, GradingOf(row)),
                "packed" => new Packed(row.At, row.EventId, OrderOf(row)),
                "boxed" => OrderOf(row) is var order ? new Boxed(row.At, row.EventId, order, order.Boxes[0]) : null!,
                "collected" => new Collected(row.At, row.EventId, OrderOf(row)),
                "unpacked" => new Unpacked(row.At, row.EventId, OrderOf(row)),
                _ => throw new InvalidOperationException($"Unknown step {row.Kind}"),
            };
    }

    private static EpcisDocument.Grading GradingOf(StepRow row) =>
        new(row.Id, row.ReceiptNo!, row.GradingNo!.Value, row.GrossGrams!.Value, row.GradedAt!.Value,
            JsonSerializer.Deserialize<List<Lot>>(row.Contents!, ContentsJson)!, row.ReversedAt, row.ReversalReason, row.CorrectedBy);

    private static PackedOrder OrderOf(StepRow row) =>
        new(row.Id, row.BuyerId!.Value, row.DestCity!, row.Product!, row.PackedAt!.Value, row.CollectedAt, row.CancelledAt, row.CertificateNo,
            JsonSerializer.Deserialize<List<Box>>(row.Contents!, ContentsJson)!);
}
