using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Dispatch.Features.Pickups.Pickups;

namespace MelonChain.Dispatch.Features.Pickups;

/// <summary>A courier takes an open pickup. First one wins; a courier arriving after it gets 409.</summary>
public static class AcceptPickup
{
    public static void Map(RouteGroupBuilder pickups) =>
        pickups.MapPost("/{id:guid}/accept", Handle).RequireRoles(Roles.Courier).WithName("AcceptPickup").Problems(403, "no-courier").Problems(409, "pickup-cancelled", "pickup-taken");

    private static async Task<Ok<Pickup>> Handle(Guid id, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var courier = Courier(user);
        var accepted = await db.QuerySingleOrDefaultAsync<Pickup>(
            $"""
            update pickups set status = 'accepted', courier_id = @Courier, updated_at = @Now
            where id = @Id and cooperative_id = @Coop and status = 'open'
            returning {PickupColumns}
            """, new { Id = id, Coop = user.CooperativeId(), Courier = courier, Now = clock.GetUtcNow() }, ct);
        if (accepted is not null) return TypedResults.Ok(accepted);

        var current = await db.QuerySingleOrDefaultAsync<Pickup>(
            $"select {PickupColumns} from pickups where id = @Id and cooperative_id = @Coop", new { Id = id, Coop = user.CooperativeId() }, ct)
            ?? throw Problem.NotFound("pickup");
        if (current.CourierId == courier && current.Status is "accepted" or "scheduled") return TypedResults.Ok(current);
        throw current.Status == "cancelled"
            ? Problem.Conflict("pickup-cancelled", "The order was cancelled; there is nothing to pick up.")
            : Problem.Conflict("pickup-taken", "Another courier has already accepted this pickup.");
    }
}
