using MelonChain.Messages;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Sales;

/// <summary>
/// 订单: the cooperative's orders, newest first, paged; by status (what has happened to each, <see cref="Orders.StatusSql"/>)
/// and by the China dates they were placed. The workstation's orders screen lists from here and opens one with GET /orders/{id}.
/// </summary>
public static class ListOrders
{
    public static readonly string[] Statuses = ["placed", "packed", "cancel_requested", "collected", "delivered", "partly_delivered", "undelivered", "settled", "cancelled"];

    public sealed record OrderSummary(Guid Id, Guid BuyerId, string BuyerName, string DestinationCity, string Status, decimal Kg, int Boxes,
        string Product, DateTimeOffset PlacedAt, DateTimeOffset? PackedAt, DateTimeOffset? DeliveredAt);

    public static void Map(RouteGroupBuilder sales) => sales.MapGet("/orders", List).WithName("ListOrders");

    private static async Task<Ok<Page<OrderSummary>>> List(string? status, DateOnly? from, DateOnly? to, int? limit, string? after,
        Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        new Validation().Check(status is null || Statuses.Contains(status), "status", $"must be one of: {string.Join(", ", Statuses)}")
            .Period(from, to).ThrowIfInvalid();
        var paging = Paging.From(limit, after);
        var rows = await db.QueryAsync<OrderSummary>(
            $"""
            select * from (
                select o.id, o.buyer_id, b.name as buyer_name, o.dest_city as destination_city, {Orders.StatusSql} as status,
                       (select coalesce(sum(l.grams), 0) from order_lines l where l.order_id = o.id) / 1000.0 as kg,
                       (select count(*)::int from boxes x where x.order_id = o.id) as boxes,
                       o.product, o.placed_at, o.packed_at, o.delivered_at
                from orders o join buyers b on b.id = o.buyer_id
                where o.cooperative_id = @Coop and (@After::uuid is null or o.id < @After::uuid)
                  and (@From::timestamptz is null or o.placed_at >= @From) and (@To::timestamptz is null or o.placed_at < @To)
            ) o
            where (@Status::text is null or o.status = @Status)
            order by o.id desc limit @Fetch
            """, new
            {
                Coop = user.CooperativeId(), After = paging.AfterId, Status = status, paging.Fetch,
                From = from is { } f ? ChinaTime.StartOf(f) : (DateTimeOffset?)null,
                To = to is { } t ? ChinaTime.StartOf(t.AddDays(1)) : (DateTimeOffset?)null,
            }, ct);
        return TypedResults.Ok(paging.ToPage(rows, o => o.Id));
    }
}
