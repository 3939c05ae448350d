using System.Globalization;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Sales.Orders;

namespace MelonChain.Cooperative.Features.Sales;

/// <summary>
/// 待入库退货: the cooperative's returned boxes not yet scanned back in (on their way back, <c>returningBoxes</c> on
/// /stock), oldest ending first, so the clerk at the door finds a box by its trace code without knowing its order: each
/// with its order, buyer, grade, net kg, waybill, carrier order, when its carrier order ended, the lots it was packed from
/// and the oldest harvest among them (the freshness a restock keeps). Scanned in through POST /orders/{id}/returns, a box
/// leaves the list. Paged by (ended at, trace code).
/// </summary>
public static class ListReturns
{
    public sealed record ReturningBox(string TraceCode, Guid OrderId, Guid BuyerId, string BuyerName, string BuyerCity, string Grade, decimal NetKg,
        string? WaybillNo, string? CarrierOrderId, DateTimeOffset EndedAt, DateOnly? HarvestedOn, IReadOnlyList<BoxSource> Sources);

    public static void Map(RouteGroupBuilder sales) => sales.MapGet("/returns", List).WithName("ListReturns");

    private sealed record BoxRow(string TraceCode, Guid OrderId, Guid BuyerId, string BuyerName, string BuyerCity, string Grade, long NetGrams,
        string? WaybillNo, string? CarrierOrderId, DateTimeOffset EndedAt);

    private sealed record SourceRow(string TraceCode, Guid LotId, Guid ReceiptId, Guid GrowerId, long Grams, DateOnly HarvestedOn);

    private static async Task<Ok<Page<ReturningBox>>> List(int? limit, string? after, Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        var paging = Paging.From(limit, after);
        var (afterAt, afterCode) = Cursor(paging.After);
        var boxes = await db.QueryAsync<BoxRow>(
            """
            select b.trace_code, b.order_id, o.buyer_id, y.name as buyer_name, y.city as buyer_city, b.grade, b.net_grams, b.waybill_no,
                   b.carrier_order_id, b.outcome_at as ended_at
            from boxes b join orders o on o.id = b.order_id join buyers y on y.id = o.buyer_id
            where o.cooperative_id = @Coop and b.outcome = 'returned'
              and not exists (select 1 from box_returns x where x.trace_code = b.trace_code)
              and (@AfterAt::timestamptz is null or (b.outcome_at, b.trace_code) > (@AfterAt, @AfterCode))
            order by b.outcome_at, b.trace_code limit @Fetch
            """, new { Coop = user.CooperativeId(), AfterAt = afterAt, AfterCode = afterCode, paging.Fetch }, ct);
        var sources = (await db.QueryAsync<SourceRow>(
            """
            select s.trace_code, s.lot_id, l.receipt_id, l.grower_id, s.grams, l.harvested_on
            from box_sources s join lots l on l.id = s.lot_id
            where s.trace_code = any(@Codes) order by l.harvested_on, l.graded_at, l.id
            """, new { Codes = boxes.Select(b => b.TraceCode).ToArray() }, ct)).ToLookup(s => s.TraceCode);
        var page = paging.ToPage(boxes, b => $"{b.EndedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)}|{b.TraceCode}");
        return TypedResults.Ok(new Page<ReturningBox>(page.Items.Select(b => new ReturningBox(b.TraceCode, b.OrderId, b.BuyerId, b.BuyerName, b.BuyerCity,
            b.Grade, Weight.ToKg(b.NetGrams), b.WaybillNo, b.CarrierOrderId, b.EndedAt, sources[b.TraceCode].Min(s => (DateOnly?)s.HarvestedOn),
            sources[b.TraceCode].Select(s => new BoxSource(s.LotId, s.ReceiptId, s.GrowerId, Weight.ToKg(s.Grams))).ToList())).ToList(), page.Next));
    }

    /// <summary>The last box of the previous page: when its carrier order ended and its trace code; 422 for any other text.</summary>
    private static (DateTimeOffset? At, string? Code) Cursor(string? after)
    {
        if (after is null) return (null, null);
        var cut = after.IndexOf('|');
        return cut > 0 && DateTimeOffset.TryParseExact(after[..cut], "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? (at, after[(cut + 1)..])
            : throw Problem.Invalid("after", "is not a cursor returned by this list");
    }
}
