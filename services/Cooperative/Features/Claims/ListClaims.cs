using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Claims.Claims;

namespace MelonChain.Cooperative.Features.Claims;

/// <summary>The clerk's queue: claims by status (open first by default order of filing), oldest first.</summary>
public static class ListClaims
{
    public static void Map(RouteGroupBuilder claims) => claims.MapGet("/", List).WithName("ListClaims");

    private static async Task<Ok<IReadOnlyList<BuyerClaim>>> List(string? status, Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        new Validation().Check(status is null || Statuses.Contains(status), "status", $"must be one of: {string.Join(", ", Statuses)}").ThrowIfInvalid();
        var claims = await db.QueryAsync<Row>(
            $"""
            select {ColumnsSql} from claims where cooperative_id = @Coop and (@Status::text is null or status = @Status)
            order by filed_at, id limit 500
            """, new { Coop = user.CooperativeId(), Status = status }, ct);
        return TypedResults.Ok<IReadOnlyList<BuyerClaim>>(claims.Select(c => c.ToClaim()).ToList());
    }
}
