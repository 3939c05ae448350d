using MelonChain.Messages;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Dispatch.Features.Pickups.Pickups;

namespace MelonChain.Dispatch.Features.Pickups;

/// <summary>
/// Pickups oldest first, optionally by status and by the China dates they opened (<c>from</c>, <c>to</c>). A courier
/// sees the open ones and those it holds (consignee phone masked until it holds the pickup); a dispatcher sees all of
/// the cooperative's; a clerk too (the workstation's 揽收 screen: status, courier, carrier), consignee phone masked.
/// </summary>
public static class ListPickups
{
    public static readonly string[] Statuses = ["open", "accepted", "scheduled", "collected", "cancelled"];

    public sealed record Box(string TraceCode, string Grade, decimal NetKg);

    public static void Map(RouteGroupBuilder pickups)
    {
        pickups.MapGet("/", List).RequireRoles(Roles.Dispatcher, Roles.Courier, Roles.Clerk).WithName("ListPickups");
        pickups.MapGet("/{id:guid}", Get).RequireRoles(Roles.Dispatcher, Roles.Courier).WithName("GetPickup");
        pickups.MapGet("/{id:guid}/boxes", Boxes).RequireRoles(Roles.Dispatcher, Roles.Courier).WithName("ListPickupBoxes");
    }

    private static bool IsStaff(ClaimsPrincipal user) => user.HasRole(Roles.Dispatcher) || user.HasRole(Roles.Admin);

    private static bool IsCourier(ClaimsPrincipal user) => !IsStaff(user) && !user.HasRole(Roles.Clerk);

    /// <summary>The consignee's phone is for the dispatcher and the courier holding the pickup.</summary>
    private static Pickup Shown(Pickup p, ClaimsPrincipal user) =>
        !IsStaff(user) && (!IsCourier(user) || p.CourierId != user.CourierId()) ? p with { Phone = Privacy.MaskPhone(p.Phone) } : p;

    private static async Task<Ok<Page<Pickup>>> List(string? status, DateOnly? from, DateOnly? to, int? limit, string? after, Db db,
        ClaimsPrincipal user, CancellationToken ct)
    {
        new Validation().Check(status is null || Statuses.Contains(status), "status", $"must be one of: {string.Join(", ", Statuses)}")
            .Period(from, to).ThrowIfInvalid();
        var paging = Paging.From(limit, after);
        var rows = await db.QueryAsync<Pickup>(
            $"""
            select {PickupColumns} from pickups
            where cooperative_id = @Coop and (@Status::text is null or status = @Status)
              and (not @Courier or status = 'open' or courier_id = @CourierId)
              and (@From::timestamptz is null or opened_at >= @From) and (@To::timestamptz is null or opened_at < @To)
              and (@AfterId::uuid is null or id > @AfterId)
            order by id limit @Fetch
            """, new
            {
                Coop = user.CooperativeId(), Status = status, Courier = IsCourier(user), CourierId = user.CourierId(), paging.AfterId, paging.Fetch,
                From = from is { } f ? ChinaTime.StartOf(f) : (DateTimeOffset?)null,
                To = to is { } t ? ChinaTime.StartOf(t.AddDays(1)) : (DateTimeOffset?)null,
            }, ct);
        var page = paging.ToPage(rows, p => p.Id);
        return TypedResults.Ok(page with { Items = page.Items.Select(p => Shown(p, user)).ToList() });
    }

    private static async Task<Ok<Pickup>> Get(Guid id, Db db, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(Shown(await Visible(id, db, user, ct), user));

    private static async Task<Ok<IReadOnlyList<Box>>> Boxes(Guid id, Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        await Visible(id, db, user, ct);
        return TypedResults.Ok(await db.QueryAsync<Box>(
            "select trace_code, grade, net_grams / 1000.0 as net_kg from pickup_boxes where pickup_id = @Id order by seq", new { Id = id }, ct));
    }

    private static async Task<Pickup> Visible(Guid id, Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        var p = await db.QuerySingleOrDefaultAsync<Pickup>(
            $"select {PickupColumns} from pickups where id = @Id and cooperative_id = @Coop", new { Id = id, Coop = user.CooperativeId() }, ct);
        if (p is null || (IsCourier(user) && p.Status != "open" && p.CourierId != user.CourierId())) throw Problem.NotFound("pickup");
        return p;
    }
}
