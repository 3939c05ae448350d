using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Sales.Orders;

namespace MelonChain.Cooperative.Features.Sales;

/// <summary>Cancelling an order before the courier collects it gives its kilograms back to stock; Dispatch drops the pickup.</summary>
public static class CancelOrder
{
    public sealed record Request(string? Reason);

    public static void Map(RouteGroupBuilder sales) => sales.MapPost("/orders/{id:guid}/cancel", Cancel).WithName("CancelOrder");

    private static async Task<Ok<Order>> Cancel(Guid id, Request? request, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        new Validation().Text(request?.Reason, "reason", 200, required: false).ThrowIfInvalid();
        var coop = user.CooperativeId();
        var status = await db.QuerySingleOrDefaultAsync<string>(
            $"select {StatusSql} from orders o where id = @Id and cooperative_id = @Coop for update", new { Id = id, Coop = coop }, ct)
            ?? throw Problem.NotFound("order");
        if (status is not ("placed" or "packed"))
            throw Problem.Conflict("order-not-cancellable", $"The order is {status}; only an order not yet collected is cancelled.");

        await db.ExecuteAsync(
            """
            update lots l set allocated_grams = l.allocated_grams - t.grams
            from (select s.lot_id, sum(s.grams) as grams from box_sources s join boxes b on b.trace_code = s.trace_code
                  where b.order_id = @Id group by s.lot_id) t
            where l.id = t.lot_id
            """, new { Id = id }, ct);
        var now = clock.GetUtcNow();
        var reason = request?.Reason?.Trim() ?? "cancelled by the cooperative";
        await db.ExecuteAsync("update orders set cancelled_at = @Now, cancel_reason = @Reason where id = @Id", new { Id = id, Now = now, Reason = reason }, ct);
        if (status == "packed")
            await db.Publish(new OrderCancelled(Guid.NewGuid(), now, coop, id, reason), ct);
        return TypedResults.Ok(await Load(db, id, coop, ct));
    }
}
