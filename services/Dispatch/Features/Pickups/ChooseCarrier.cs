using MelonChain.Dispatch.Features.Carrier;
using MelonChain.Dispatch.Features.Rates;
using MelonChain.Messages;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Dispatch.Features.Pickups.Pickups;

namespace MelonChain.Dispatch.Features.Pickups;

/// <summary>
/// A dispatcher books a pickup with another carrier (and product) than the one it opened with, before collection:
/// the carrier must be configured, carry the product, have a rate to the destination on the cooperative's card and an
/// account of the cooperative. Once collection has begun talking to a carrier the choice is fixed (a carrier order may
/// exist), as it is for a collected or cancelled pickup. With no product given, the carrier's product of the same chain
/// is taken.
/// </summary>
public static class ChooseCarrier
{
    public sealed record Request(string? Carrier, string? Product);

    public static void Map(RouteGroupBuilder pickups) =>
        pickups.MapPut("/{id:guid}/carrier", Handle).RequireRoles(Roles.Dispatcher).WithName("ChooseCarrier")
            .Problems(409, "pickup-collected", "pickup-cancelled", "booking-started", "carrier-account-required").Problems(422, "no-rate");

    private static async Task<Ok<Pickup>> Handle(Guid id, Request request, Db db, CarrierRegistry carriers, ClaimsPrincipal user, TimeProvider clock,
        CancellationToken ct)
    {
        new Validation()
            .OneOf(request.Carrier, "carrier", carriers.Names)
            .Check(request.Product is null || Products.All.Contains(request.Product), "product", $"must be one of: {string.Join(", ", Products.All)}")
            .ThrowIfInvalid();
        var carrier = carriers.Get(request.Carrier!);
        new Validation()
            .Check(request.Product is null || carrier.Products.Contains(request.Product), "product",
                $"must be a product of {carrier.Name}: {string.Join(", ", carrier.Products)}")
            .ThrowIfInvalid();

        var coop = user.CooperativeId();
        var pickup = await db.QuerySingleOrDefaultAsync<Pickup>(
            $"select {PickupColumns} from pickups where id = @Id and cooperative_id = @Coop for update", new { Id = id, Coop = coop }, ct)
            ?? throw Problem.NotFound("pickup");
        if (pickup.Status is "collected" or "cancelled")
            throw Problem.Conflict("pickup-" + pickup.Status, $"The pickup is {pickup.Status}; its carrier can no longer change.");
        if (await db.ExecuteScalarAsync<bool>("select booking_started_at is not null from pickups where id = @Id", new { Id = id }, ct))
            throw Problem.Conflict("booking-started", "Collection has begun booking with the carrier; the carrier can no longer change.");

        var card = await Rates.Rates.CardAsync(db, coop, ct);
        var product = request.Product
            ?? (carrier.Products.Contains(pickup.Product) ? pickup.Product : CarrierChoice.Alike(card, carrier, pickup.Product, pickup.DestinationCity))
            ?? throw Problem.Unprocessable("no-rate", $"{carrier.Name} has no product of this order's chain to {pickup.DestinationCity}; name one.");
        if (RateCalculator.Find(card, product, pickup.DestinationCity) is not { } line || line.Carrier != carrier.Name)
            throw Problem.Unprocessable("no-rate", $"The rate card has no {carrier.Name} {product} rate to {pickup.DestinationCity}.");
        if (!await db.ExecuteScalarAsync<bool>(
                "select exists (select 1 from carrier_accounts where cooperative_id = @Coop and carrier = @Carrier and account is not null)",
                new { Coop = coop, Carrier = carrier.Name }, ct))
            throw Problem.Conflict("carrier-account-required",
                $"This cooperative has no {carrier.Name} account: its admin saves it (PUT /api/v1/dispatch/carrier-accounts) first.");

        var chosen = await db.QuerySingleAsync<Pickup>(
            $"update pickups set carrier = @Carrier, product = @Product, updated_at = @Now where id = @Id returning {PickupColumns}",
            new { Id = id, Carrier = carrier.Name, Product = product, Now = clock.GetUtcNow() }, ct);
        return TypedResults.Ok(chosen);
    }
}
