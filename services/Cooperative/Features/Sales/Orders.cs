using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Sales;

/// <summary>统一代销: buyers' orders, packed into traced boxes and handed to Dispatch; cancelled before collection.</summary>
public static class Orders
{

    public sealed record Destination(string? City, string? Address, string? ContactName, string? Phone);

    public sealed record Line(string Grade, decimal Kg, long PriceFenPerKg);

    public sealed record BoxSource(Guid LotId, Guid ReceiptId, Guid GrowerId, decimal Kg);

    /// <param name="Outcome">Where the box ended (<see cref="BoxOutcomeSql"/>): null until collected, then in_transit, delivered, returned or lost.</param>
    /// <param name="Returned">For a returned box the clerk scanned back in: restock or write_off.</param>
    public sealed record Box(string TraceCode, string Grade, decimal NetKg, IReadOnlyList<BoxSource> Sources, string? Outcome = null, string? Returned = null);

    public sealed record Order(
        Guid Id, Guid BuyerId, Destination Destination, IReadOnlyList<Line> Lines, decimal BoxNetKg, string Product, string Status,
        DateTimeOffset PlacedAt, DateTimeOffset? PackedAt, DateTimeOffset? DeliveredAt, bool? OnTime, long? FreightFen, IReadOnlyList<Box> Boxes,
        string? Outcome = null, DateTimeOffset? EndedAt = null, long CompensationFen = 0);

    public static RouteGroupBuilder MapSales(this RouteGroupBuilder api)
    {
        var sales = api.MapGroup("").RequireRoles(Roles.Clerk).WithTags("Sales");
        Buyers.Map(sales);
        PlaceOrder.Map(sales);
        PackOrder.Map(sales);
        CancelOrder.Map(sales);
        ReturnBoxes.Map(sales);
        ListReturns.Map(sales);
        ListOrders.Map(sales);
        sales.MapGet("/orders/{id:guid}", async (Guid id, Db db, ClaimsPrincipal user, CancellationToken ct) =>
            TypedResults.Ok(await Load(db, id, user.CooperativeId(), ct))).WithName("GetOrder");
        return api;
    }

    /// <summary>
    /// How a shipped order ended, once every box has an outcome: delivered (every box arrived), partly_delivered (some
    /// did, the rest were returned or lost) or undelivered (none did); null while any box is on its way.
    /// </summary>
    public const string OutcomeSql =
        """
        case when o.delivered_at is not null then 'delivered'
             when o.ended_at is not null then (select case when bool_or(x.outcome = 'delivered') then 'partly_delivered' else 'undelivered' end
                                               from boxes x where x.order_id = o.id) end
        """;

    /// <summary>A box's outcome (b the box, o its order): the one its carrier order ended in; every box of an order delivered whole.</summary>
    public const string BoxOutcomeSql =
        """
        coalesce(b.outcome, case when o.delivered_at is not null then 'delivered'
                                 when o.collected_at is not null or o.shipment_id is not null then 'in_transit' end)
        """;

    /// <summary>
    /// Orders move one way — placed → packed → collected → delivered, partly_delivered or undelivered (<see cref="OutcomeSql"/>)
    /// → settled, or cancelled — and the status is what has happened to the order. A packed order whose cancellation
    /// Dispatch has not answered yet is cancel_requested.
    /// </summary>
    public const string StatusSql =
        $"""
        case when o.cancelled_at is not null then 'cancelled' when o.settlement_id is not null then 'settled'
             when o.delivered_at is not null or o.ended_at is not null then {OutcomeSql}
             when o.collected_at is not null or o.shipment_id is not null then 'collected'
             when o.cancel_requested_at is not null and o.cancel_answer is null then 'cancel_requested'
             when o.packed_at is not null then 'packed' else 'placed' end
        """;

    /// <summary>A box holds 1 to 30 kg net; an order at most 2,000 boxes (README, "How orders, cancellations and late deliveries behave").</summary>
    public const decimal MinBoxNetKg = 1m, MaxBoxNetKg = 30m;
    public const int MaxBoxesPerOrder = 2_000;

    /// <summary>How many boxes a line fills: whole boxes of the net weight, the last one lighter.</summary>
    public static long BoxesFor(long lineGrams, long boxNetGrams) => (lineGrams + boxNetGrams - 1) / boxNetGrams;

    private sealed record OrderRow(Guid Id, Guid BuyerId, string DestCity, string DestAddress, string DestContact, string DestPhone,
        long BoxNetGrams, string Product, string Status, DateTimeOffset PlacedAt, DateTimeOffset? PackedAt, DateTimeOffset? DeliveredAt,
        bool? OnTime, long? FreightFen, string? Outcome, DateTimeOffset? EndedAt, long CompensationFen);

    private sealed record SourceRow(string TraceCode, string Grade, long NetGrams, string? Outcome, string? Returned, Guid? LotId, Guid? ReceiptId, Guid? GrowerId, long? Grams);

    public static async Task<Order> Load(Db db, Guid id, string coop, CancellationToken ct)
    {
        var o = await db.QuerySingleOrDefaultAsync<OrderRow>(
            $"""
            select o.id, o.buyer_id, o.dest_city, o.dest_address, o.dest_contact, o.dest_phone, o.box_net_grams, o.product,
                   {StatusSql} as status, o.placed_at, o.packed_at, o.delivered_at, o.on_time, o.freight_fen,
                   {OutcomeSql} as outcome, o.ended_at,
                   (select coalesce(sum(c.amount_fen), 0) from carrier_compensations c where c.order_id = o.id)::bigint as compensation_fen
            from orders o where o.id = @Id and o.cooperative_id = @Coop
            """, new { Id = id, Coop = coop }, ct) ?? throw Problem.NotFound("order");
        var lines = await db.QueryAsync<Line>(
            "select grade, grams / 1000.0 as kg, price_fen_per_kg from order_lines where order_id = @Id order by grade", new { Id = id }, ct);
        var sources = await db.QueryAsync<SourceRow>(
            $"""
            select b.trace_code, b.grade, b.net_grams, {BoxOutcomeSql} as outcome,
                   (select x.disposition from box_returns x where x.trace_code = b.trace_code) as returned, s.lot_id, l.receipt_id, l.grower_id, s.grams
            from boxes b join orders o on o.id = b.order_id left join box_sources s on s.trace_code = b.trace_code left join lots l on l.id = s.lot_id
            where b.order_id = @Id order by b.seq, l.harvested_on, l.graded_at, l.id
            """, new { Id = id }, ct);
        var boxes = sources.GroupBy(s => (s.TraceCode, s.Grade, s.NetGrams, s.Outcome, s.Returned)).Select(g => new Box(g.Key.TraceCode, g.Key.Grade, Weight.ToKg(g.Key.NetGrams),
            g.Where(s => s.LotId is not null).Select(s => new BoxSource(s.LotId!.Value, s.ReceiptId!.Value, s.GrowerId!.Value, Weight.ToKg(s.Grams!.Value))).ToList(),
            g.Key.Outcome, g.Key.Returned)).ToList();
        return new Order(o.Id, o.BuyerId, new Destination(o.DestCity, o.DestAddress, o.DestContact, o.DestPhone), lines, Weight.ToKg(o.BoxNetGrams),
            o.Product, o.Status, o.PlacedAt, o.PackedAt, o.DeliveredAt, o.OnTime, o.FreightFen, boxes, o.Outcome, o.EndedAt, o.CompensationFen);
    }
}
