using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Sales.Orders;

namespace MelonChain.Cooperative.Features.Sales;

/// <summary>
/// 退货入库: the clerk scans returned boxes back in. <c>restock</c> gives each box's grams back to the lots it was packed
/// from, with their original harvest dates, so freshness rules still apply; <c>write_off</c> books them as shrink with a
/// reason. Only boxes whose carrier order ended returned, and each once: another box is 409 <c>box-not-returned</c>
/// naming it (a double scan changes nothing). The order row is locked first, so two scans of one box end in one.
/// </summary>
public static class ReturnBoxes
{
    public static readonly IReadOnlyList<string> Dispositions = ["restock", "write_off"];

    public sealed record Request(IReadOnlyList<string>? TraceCodes, string? Disposition, string? Reason);

    public static void Map(RouteGroupBuilder sales) =>
        sales.MapPost("/orders/{id:guid}/returns", Return).WithName("ReturnBoxes").Problems(409, BoxNotReturned);

    public const string BoxNotReturned = "box-not-returned";

    private static async Task<Ok<Order>> Return(Guid id, Request r, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var codes = (r.TraceCodes ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).Distinct().ToArray();
        new Validation().Check(codes.Length > 0, "traceCodes", "name at least one returned box").Check(codes.Length <= MaxBoxesPerOrder, "traceCodes", $"at most {MaxBoxesPerOrder}")
            .OneOf(r.Disposition, "disposition", Dispositions.ToArray())
            .Text(r.Reason, "reason", 200, required: r.Disposition == "write_off").ThrowIfInvalid();
        var coop = user.CooperativeId();
        _ = await db.QuerySingleOrDefaultAsync<Guid?>("select id from orders where id = @Id and cooperative_id = @Coop for update", new { Id = id, Coop = coop }, ct)
            ?? throw Problem.NotFound("order");
        var boxes = (await db.QueryAsync<(string TraceCode, string? Outcome, bool Back)>(
            """
            select b.trace_code, b.outcome, exists (select 1 from box_returns x where x.trace_code = b.trace_code)
            from boxes b where b.order_id = @Id and b.trace_code = any(@Codes)
            """, new { Id = id, Codes = codes }, ct)).ToDictionary(b => b.TraceCode);
        var unknown = codes.Where(c => !boxes.ContainsKey(c)).ToList();
        if (unknown.Count > 0) throw Problem.Invalid("traceCodes", $"not boxes of this order: {string.Join(", ", unknown)}");
        var notReturned = boxes.Values.Where(b => b.Outcome != "returned" || b.Back).Select(b => b.TraceCode).Order().ToList();
        if (notReturned.Count > 0)
            throw Problem.Conflict(BoxNotReturned, "Only a box whose carrier order ended returned can be scanned back in, and only once.",
                new Dictionary<string, object?> { ["traceCodes"] = notReturned });

        await db.ExecuteAsync(
            """
            insert into box_returns (trace_code, cooperative_id, order_id, disposition, reason, returned_at, returned_by)
            select code, @Coop, @Id, @Disposition, @Reason, @Now, @By from unnest(@Codes) as code
            """, new { Coop = coop, Id = id, r.Disposition, Reason = r.Reason?.Trim(), Now = clock.GetUtcNow(), By = user.Subject(), Codes = codes }, ct);
        if (r.Disposition == "restock")
            await db.ExecuteAsync(
                """
                update lots l set allocated_grams = l.allocated_grams - s.grams
                from (select lot_id, sum(grams)::bigint as grams from box_sources where trace_code = any(@Codes) group by lot_id) s
                where l.id = s.lot_id
                """, new { Codes = codes }, ct);
        return TypedResults.Ok(await Load(db, id, coop, ct));
    }
}
