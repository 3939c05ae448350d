using MelonChain.Messages;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Receiving.Receiving;

namespace MelonChain.Cooperative.Features.Receiving;

/// <summary>The receiving book: receipts newest first (paged; the day's, the ungraded ones), and one receipt.</summary>
public static class ListReceipts
{
    public static void Map(RouteGroupBuilder receipts)
    {
        receipts.MapGet("/", List).WithName("ListReceipts");
        receipts.MapGet("/{id:guid}", Get).WithName("GetReceipt");
    }

    /// <param name="ungraded">True: only receipts with no live grading (never graded, or their grading reversed) — the grading screen's queue.</param>
    /// <param name="date">Only receipts received on this China date.</param>
    private static async Task<Ok<Page<Receipt>>> List(bool? ungraded, DateOnly? date, int? limit, string? after, Db db, ClaimsPrincipal user,
        CancellationToken ct)
    {
        new Validation().Date(date, "date").ThrowIfInvalid();
        var paging = Paging.From(limit, after);
        var rows = await db.QueryAsync<Receipt>(
            $"""
            select {ReceiptColumns} from receipts r join growers g on g.id = r.grower_id
            where r.cooperative_id = @Coop and (@After::text is null or r.receipt_no < @After)
              and (@From::timestamptz is null or (r.received_at >= @From and r.received_at < @Until))
              and (not @Ungraded or not exists (select 1 from gradings gr where gr.receipt_id = r.id and gr.reversed_at is null))
            order by r.receipt_no desc limit @Fetch
            """, new
            {
                Coop = user.CooperativeId(), paging.After, paging.Fetch, Ungraded = ungraded ?? false,
                From = date is { } d ? ChinaTime.StartOf(d) : (DateTimeOffset?)null,
                Until = date is { } e ? ChinaTime.StartOf(e.AddDays(1)) : (DateTimeOffset?)null,
            }, ct);
        return TypedResults.Ok(paging.ToPage(rows, r => r.ReceiptNo));
    }

    private static async Task<Ok<Receipt>> Get(Guid id, Db db, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(await db.QuerySingleOrDefaultAsync<Receipt>(
            $"""
            select {ReceiptColumns} from receipts r join growers g on g.id = r.grower_id
            where r.id = @Id and r.cooperative_id = @Coop
            """, new { Id = id, Coop = user.CooperativeId() }, ct) ?? throw Problem.NotFound("receipt"));
}
