using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Dispatch.Features.Pickups;

/// <summary>
/// 揽收: a packed order waits as an open pickup, with the carrier it will be booked with (a dispatcher may choose
/// another before collection); a courier accepts it (first one wins), schedules a window and collects it by scanning
/// every box, which books the shipment with that carrier.
/// </summary>
public static class Pickups
{
    public static RouteGroupBuilder MapPickups(this RouteGroupBuilder api)
    {
        var pickups = api.MapGroup("/pickups").WithTags("Pickups");
        ListPickups.Map(pickups);
        AcceptPickup.Map(pickups);
        SchedulePickup.Map(pickups);
        CollectPickup.Map(pickups);
        ChooseCarrier.Map(pickups);
        Labels.GetPickupManifest.Map(pickups);
        var shipments = api.MapGroup("/shipments").RequireRoles(Roles.Dispatcher, Roles.Courier, Roles.Clerk).WithTags("Shipments");
        GetShipment.Map(shipments);
        Labels.GetWaybillLabels.Map(shipments);
        return api;
    }

    public sealed record Pickup(
        Guid Id, Guid OrderId, Guid ShipmentId, Guid BuyerId, string Status, string? CourierId, string Product,
        string DestinationCity, string Address, string ContactName, string Phone, int BoxCount, DateOnly? OldestHarvest,
        DateTimeOffset WindowStart, DateTimeOffset WindowEnd, DateTimeOffset OpenedAt, string Carrier);

    public const string PickupColumns =
        "id, order_id, shipment_id, buyer_id, status, courier_id, product, destination_city, address, contact_name, phone, box_count, oldest_harvest, window_start, window_end, opened_at, carrier";

    /// <summary>The courier acting: the token's <c>courier</c> claim (an admin acts as itself).</summary>
    public static string Courier(ClaimsPrincipal user) =>
        user.CourierId() ?? (user.HasRole(Roles.Admin) ? user.Subject()
            : throw new ProblemException(403, "no-courier", "Forbidden", "The token names no courier."));

    /// <summary>
    /// The pickup, locked for this request, as far as the caller may act on it: another cooperative's pickup,
    /// or one held by another courier, is 404 (unknown-or-not-yours).
    /// </summary>
    public static async Task<Pickup> LoadForCourierAsync(Db db, Guid id, ClaimsPrincipal user, CancellationToken ct)
    {
        var pickup = await db.QuerySingleOrDefaultAsync<Pickup>(
            $"select {PickupColumns} from pickups where id = @Id and cooperative_id = @Coop for update",
            new { Id = id, Coop = user.CooperativeId() }, ct) ?? throw Problem.NotFound("pickup");
        if (!user.HasRole(Roles.Admin) && pickup.CourierId is not null && pickup.CourierId != Courier(user))
            throw Problem.NotFound("pickup");
        return pickup;
    }
}
