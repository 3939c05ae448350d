using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Claims.Claims;

namespace MelonChain.Cooperative.Features.Claims;

/// <summary>The clerk's queue: claims by status, oldest filed first (ids are time-ordered), paged with <c>limit</c> and <c>after</c>.</summary>
public static class ListClaims
{
    public static void Map(RouteGroupBuilder claims) => claims.MapGet("/", List).WithName("ListClaims");

    private static async Task<Ok<Page<BuyerClaim>>> List(string? status, int? limit, string? after, Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        new Validation().Check(status is null || Statuses.Contains(status), "status", $"must be one of: {string.Join(", ", Statuses)}").ThrowIfInvalid();
        var paging = Paging.From(limit, after);
        var rows = await db.QueryAsync<Row>(
            $"""
            select {ColumnsSql} from claims
            where cooperative_id = @Coop and (@Status::text is null or status = @Status) and (@AfterId::uuid is null or id > @AfterId)
            order by id limit @Fetch
            """, new { Coop = user.CooperativeId(), Status = status, paging.AfterId, paging.Fetch }, ct);
        var page = paging.ToPage(rows, c => c.Id);
        return TypedResults.Ok(new Page<BuyerClaim>(page.Items.Select(c => c.ToClaim()).ToList(), page.Next));
    }
}
