using MelonChain.Messages.Dispatch;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Dispatch.Features.Pickups.Pickups;

namespace MelonChain.Dispatch.Features.Pickups;

/// <summary>The courier holding a pickup sets its window (within the next 7 days, at most 12 hours long).</summary>
public static class SchedulePickup
{
    public sealed record Request(DateTimeOffset? WindowStart, DateTimeOffset? WindowEnd);

    public static void Map(RouteGroupBuilder pickups) =>
        pickups.MapPost("/{id:guid}/schedule", Handle).RequireRoles(Roles.Courier).WithName("SchedulePickup").Problems(403, "no-courier").Problems(409, "pickup-not-accepted", "pickup-cancelled", "pickup-collected");

    private static async Task<Ok<Pickup>> Handle(Guid id, Request request, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var v = new Validation()
            .Check(request.WindowStart is not null, "windowStart", "is required")
            .Check(request.WindowEnd is not null, "windowEnd", "is required");
        if (request is { WindowStart: { } s, WindowEnd: { } e })
            v.Check(e > s, "windowEnd", "must be after windowStart")
             .Check(e - s <= TimeSpan.FromHours(12), "windowEnd", "must be at most 12 hours after windowStart")
             .Check(s >= now.AddHours(-1), "windowStart", "must not be in the past")
             .Check(s <= now.AddDays(7), "windowStart", "must be within the next 7 days");
        v.ThrowIfInvalid();

        var pickup = await LoadForCourierAsync(db, id, user, ct);
        if (pickup.CourierId is null) throw Problem.Conflict("pickup-not-accepted", "Accept the pickup before scheduling it.");
        if (pickup.Status is not ("accepted" or "scheduled"))
            throw Problem.Conflict("pickup-" + pickup.Status, $"The pickup is {pickup.Status}.");

        var scheduled = await db.QuerySingleAsync<Pickup>(
            $"""
            update pickups set status = 'scheduled', window_start = @Start, window_end = @End, updated_at = @Now
            where id = @Id returning {PickupColumns}
            """, new { Id = id, Start = request.WindowStart, End = request.WindowEnd, Now = now }, ct);
        await db.Publish(new PickupScheduled(Guid.NewGuid(), now, user.CooperativeId(), scheduled.Id, scheduled.OrderId,
            scheduled.CourierId!, scheduled.WindowStart, scheduled.WindowEnd), ct);
        return TypedResults.Ok(scheduled);
    }
}
