using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Dispatch.Features.Claims.CarrierClaims;

namespace MelonChain.Dispatch.Features.Claims;

/// <summary><c>GET /shipments/{id}/carrier-claims</c>: the shipment's carrier claims, oldest first, with where each stands.</summary>
public static class ListCarrierClaims
{
    public sealed record Claims(IReadOnlyList<CarrierClaim> Items);

    public static void Map(RouteGroupBuilder shipments) => shipments.MapGet("/{id:guid}/carrier-claims", Handle).WithName("ListCarrierClaims");

    private static async Task<Ok<Claims>> Handle(Guid id, Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await db.ExecuteScalarAsync<Guid?>("select id from shipments where id = @Id and cooperative_id = @Coop", new { Id = id, Coop = user.CooperativeId() }, ct) is null)
            throw Problem.NotFound("shipment");
        return TypedResults.Ok(new Claims(await db.QueryAsync<CarrierClaim>(
            $"select {Columns} from carrier_claims where shipment_id = @Id order by filed_at, id", new { Id = id }, ct)));
    }
}
