using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Receiving.Receiving;

namespace MelonChain.Cooperative.Features.Receiving;

/// <summary>The receiving book: receipts newest first (paged), and one receipt.</summary>
public static class ListReceipts
{
    public static void Map(RouteGroupBuilder receipts)
    {
        receipts.MapGet("/", List).WithName("ListReceipts");
        receipts.MapGet("/{id:guid}", Get).WithName("GetReceipt");
    }

    private static async Task<Ok<Page<Receipt>>> List(int? limit, string? after, Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        var paging = Paging.From(limit, after);
        var rows = await db.QueryAsync<Receipt>(
            $"""
            select {ReceiptColumns} from receipts r join growers g on g.id = r.grower_id
            where r.cooperative_id = @Coop and (@After::text is null or r.receipt_no < @After)
            order by r.receipt_no desc limit @Fetch
            """, new { Coop = user.CooperativeId(), paging.After, paging.Fetch }, ct);
        return TypedResults.Ok(paging.ToPage(rows, r => r.ReceiptNo));
    }

    private static async Task<Ok<Receipt>> Get(Guid id, Db db, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(await db.QuerySingleOrDefaultAsync<Receipt>(
            $"""
            select {ReceiptColumns} from receipts r join growers g on g.id = r.grower_id
            where r.id = @Id and r.cooperative_id = @Coop
            """, new { Id = id, Coop = user.CooperativeId() }, ct) ?? throw Problem.NotFound("receipt"));
}
