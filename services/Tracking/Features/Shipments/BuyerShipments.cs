using MelonChain.Messages;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Tracking.Features.Shipments.Shipments;

namespace MelonChain.Tracking.Features.Shipments;

/// <summary>
/// A buyer lists its own shipments (paged, by status, late only) and opens one; the cooperative's clerks and
/// dispatchers see all of its shipments. Anyone else's shipment answers 404.
/// </summary>
public static class BuyerShipments
{
    public static RouteGroupBuilder MapShipments(this RouteGroupBuilder api)
    {
        api.MapGet("/my/shipments", List).RequireRoles(Roles.Buyer).WithTags("Shipments").WithName("MyShipments").Problems(403, "no-buyer");
        api.MapGet("/shipments", List).RequireRoles(Roles.Clerk, Roles.Dispatcher).WithTags("Shipments").WithName("CooperativeShipments");
        api.MapGet("/shipments/{waybillNo}", Get).RequireRoles(Roles.Buyer, Roles.Clerk, Roles.Dispatcher)
            .WithTags("Shipments").WithName("GetShipment");
        return api;
    }

    private static async Task<Ok<Page<Summary>>> List(
        string? status, bool? late, int? limit, string? after, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var paging = Paging.From(limit, after);
        var v = new Validation();
        if (status is not null) v.OneOf(status, "status", ShipmentStatuses.All);
        v.ThrowIfInvalid();
        // A buyer sees its own shipments; the cooperative's staff see all of the cooperative's.
        Guid? buyer = user.IsInRole(Roles.Buyer)
            ? user.BuyerId() ?? throw new ProblemException(403, "no-buyer", "Forbidden", "The token names no buyer.")
            : null;
        var rows = await db.QueryAsync<Summary>(
            $"""
            select * from ({SummarySql}
                           where s.cooperative_id = @Coop and (@Buyer::uuid is null or s.buyer_id = @Buyer)
                             and (@AfterId::uuid is null or s.order_id > @AfterId)) x
            where (@Status::text is null or x.status = @Status) and (@Late::boolean is null or x.late = @Late)
            order by x.order_id limit @Fetch
            """, new { Coop = user.CooperativeId(), Buyer = buyer, paging.AfterId, Status = status, Late = late, paging.Fetch, Now = clock.GetUtcNow() }, ct);
        return TypedResults.Ok(paging.ToPage(rows, s => s.OrderId));
    }

    private static async Task<Ok<Detail>> Get(string waybillNo, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var found = await LoadAsync(db, waybillNo, clock, ct);
        var visible = found is { } f && f.CooperativeId == user.CooperativeId()
            && (!user.IsInRole(Roles.Buyer) || (f.BuyerId is not null && f.BuyerId == user.BuyerId()));
        return visible ? TypedResults.Ok(found!.Value.Detail) : throw Problem.NotFound("shipment");
    }
}
