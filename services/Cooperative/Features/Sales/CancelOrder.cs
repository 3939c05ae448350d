using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Sales.Orders;

namespace MelonChain.Cooperative.Features.Sales;

/// <summary>
/// Cancelling an order. A placed order (nothing packed, Dispatch never heard of it) is cancelled at once: 200.
/// A packed order's boxes may already be in the courier's van, so its cancellation is a request: 202
/// cancel_requested, CancellationRequested goes to Dispatch, and the stock comes back only when Dispatch answers
/// that it closed the pickup or cancelled the carrier order (<see cref="Consumers.CancellationAnsweredConsumer"/>).
/// The order row is locked first, as packing locks it, so a pack and a cancel of one order end in one outcome.
/// </summary>
public static class CancelOrder
{
    public sealed record Request(string? Reason);

    public static void Map(RouteGroupBuilder sales) => sales.MapPost("/orders/{id:guid}/cancel", Cancel).WithName("CancelOrder").Problems(409, "order-not-cancellable");

    private static async Task<Results<Ok<Order>, Accepted<Order>>> Cancel(Guid id, Request? request, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        new Validation().Text(request?.Reason, "reason", 200, required: false).ThrowIfInvalid();
        var coop = user.CooperativeId();
        var status = await db.QuerySingleOrDefaultAsync<string>(
            $"select {StatusSql} from orders o where id = @Id and cooperative_id = @Coop for update", new { Id = id, Coop = coop }, ct)
            ?? throw Problem.NotFound("order");
        var now = clock.GetUtcNow();
        var reason = request?.Reason?.Trim() ?? "cancelled by the cooperative";
        switch (status)
        {
            case "placed":
                await db.ExecuteAsync("update orders set cancelled_at = @Now, cancel_reason = @Reason where id = @Id", new { Id = id, Now = now, Reason = reason }, ct);
                await db.Publish(new OrderCancelled(Guid.NewGuid(), now, coop, id, reason), ct);
                return TypedResults.Ok(await Load(db, id, coop, ct));
            case "packed":
                await db.ExecuteAsync(
                    "update orders set cancel_requested_at = @Now, cancel_reason = @Reason, cancel_answer = null where id = @Id",
                    new { Id = id, Now = now, Reason = reason }, ct);
                await db.Publish(new CancellationRequested(Guid.NewGuid(), now, coop, id, reason), ct);
                return TypedResults.Accepted($"/api/v1/cooperative/orders/{id}", await Load(db, id, coop, ct));
            case "cancel_requested":
                return TypedResults.Accepted($"/api/v1/cooperative/orders/{id}", await Load(db, id, coop, ct));
            default:
                throw Problem.Conflict("order-not-cancellable", $"The order is {status}; only an order not yet collected can be cancelled.");
        }
    }
}
