using MelonChain.Cooperative.Features.Sales;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Recall;

/// <summary>
/// <c>GET /recall?growerId=|receiptId=|lotId=|contractId=|seedlingBatch=|harvestedFrom=&amp;harvestedTo=</c>: exactly one
/// selector (the two harvest dates together, at most a year apart). The selected lots, then through
/// <c>box_sources</c> every box holding any of their melons, with its order, buyer, waybill and status; and what of
/// those lots is still in stock. JSON, or one CSV row per box with <c>Accept: text/csv</c>.
/// </summary>
public static class TraceForward
{
    public const int MaxHarvestDays = 366;

    public static void Map(RouteGroupBuilder recall) =>
        recall.MapGet("/", Handle).WithName("Recall")
            .Produces<Result>(200).Produces(200, contentType: "text/csv");

    public sealed record Selector(string Kind, string Value);

    public sealed record Summary(int Lots, int Receipts, int Growers, decimal GradedKg, decimal InStockKg);

    public sealed record Box(
        string TraceCode, string Grade, decimal NetKg, decimal RecalledKg, Guid OrderId, string OrderStatus, Guid BuyerId,
        string? WaybillNo, Guid? ShipmentId, DateTimeOffset? PackedAt, DateTimeOffset? DeliveredAt);

    public sealed record Order(Guid OrderId, string Status, Guid BuyerId, string DestinationCity, int Boxes, Guid? ShipmentId, DateTimeOffset? DeliveredAt);

    /// <summary>A buyer; contact, phone and address for staff only (null otherwise).</summary>
    public sealed record Buyer(Guid BuyerId, string Name, string City, string? ContactName, string? Phone, string? Address);

    public sealed record Result(Selector Selector, Summary Summary, IReadOnlyList<Box> Boxes, IReadOnlyList<Order> Orders,
        IReadOnlyList<Buyer> Buyers, IReadOnlyList<string> Waybills);

    private sealed record BoxRow(
        string TraceCode, string Grade, decimal NetKg, decimal RecalledKg, Guid OrderId, string OrderStatus, Guid BuyerId, string DestCity,
        string? WaybillNo, Guid? ShipmentId, DateTimeOffset? PackedAt, DateTimeOffset? DeliveredAt);

    private sealed record BuyerRow(Guid Id, string Name, string City, string ContactName, string Phone, string Address);

    private static async Task<IResult> Handle(
        Guid? growerId, Guid? receiptId, Guid? lotId, Guid? contractId, string? seedlingBatch, DateOnly? harvestedFrom, DateOnly? harvestedTo,
        HttpRequest http, Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        var (selector, lotsWhere, value) = Choose(growerId, receiptId, lotId, contractId, seedlingBatch, harvestedFrom, harvestedTo);
        var args = new { Coop = user.CooperativeId(), Value = value, From = harvestedFrom, To = harvestedTo };

        var summary = await db.QuerySingleAsync<Summary>(
            $"""
            select count(*)::int as lots, count(distinct l.receipt_id)::int as receipts, count(distinct l.grower_id)::int as growers,
                   coalesce(sum(l.grams), 0) / 1000.0 as graded_kg, coalesce(sum(l.grams - l.allocated_grams), 0) / 1000.0 as in_stock_kg
            from lots l where l.cooperative_id = @Coop and l.withdrawn_at is null and {lotsWhere}
            """, args, ct);
        var rows = await db.QueryAsync<BoxRow>(
            $"""
            select b.trace_code, b.grade, b.net_grams / 1000.0 as net_kg, sum(s.grams) / 1000.0 as recalled_kg, o.id as order_id,
                   {Orders.StatusSql} as order_status, o.buyer_id, o.dest_city, b.waybill_no, o.shipment_id, o.packed_at, o.delivered_at
            from lots l
            join box_sources s on s.lot_id = l.id
            join boxes b on b.trace_code = s.trace_code
            join orders o on o.id = b.order_id
            where l.cooperative_id = @Coop and {lotsWhere}
            group by b.trace_code, o.id
            order by o.placed_at, o.id, b.seq
            """, args, ct);
        var boxes = rows.Select(b => new Box(b.TraceCode, b.Grade, b.NetKg, b.RecalledKg, b.OrderId, b.OrderStatus, b.BuyerId, b.WaybillNo,
            b.ShipmentId, b.PackedAt, b.DeliveredAt)).ToList();
        // Rows come ordered by order: each order's first row carries the order, the group's size is its box count.
        var orders = rows.GroupBy(b => b.OrderId)
            .Select(g => new Order(g.Key, g.First().OrderStatus, g.First().BuyerId, g.First().DestCity, g.Count(), g.First().ShipmentId, g.First().DeliveredAt))
            .ToList();
        var buyers = await db.QueryAsync<BuyerRow>(
            "select id, name, city, contact_name, phone, address from buyers where id = any(@Ids) order by name",
            new { Ids = orders.Select(o => o.BuyerId).Distinct().ToArray() }, ct);

        var staff = Recall.IsStaff(user);
        var result = new Result(selector, summary, boxes, orders,
            buyers.Select(b => new Buyer(b.Id, b.Name, b.City, staff ? b.ContactName : null, staff ? b.Phone : null, staff ? b.Address : null)).ToList(),
            boxes.Where(b => b.WaybillNo is not null).Select(b => b.WaybillNo!).Distinct().ToList());
        return Csv.Wanted(http) ? AsCsv(result) : TypedResults.Ok(result);
    }

    /// <summary>Which lots the recall starts from: the selector, the condition on lots <c>l</c> (constant SQL) and its value.</summary>
    private static (Selector, string LotsWhere, object? Value) Choose(
        Guid? growerId, Guid? receiptId, Guid? lotId, Guid? contractId, string? seedlingBatch, DateOnly? from, DateOnly? to)
    {
        var given = new (string Kind, bool Present)[]
        {
            ("growerId", growerId is not null), ("receiptId", receiptId is not null), ("lotId", lotId is not null),
            ("contractId", contractId is not null), ("seedlingBatch", !string.IsNullOrWhiteSpace(seedlingBatch)),
            ("harvested", from is not null || to is not null),
        }.Where(s => s.Present).Select(s => s.Kind).ToList();
        var validation = new Validation()
            .Check(given.Count == 1, "selector",
                "give exactly one of growerId, receiptId, lotId, contractId, seedlingBatch, or harvestedFrom with harvestedTo" +
                (given.Count > 1 ? $" (given: {string.Join(", ", given)})" : ""));
        if (given is ["harvested"])
            validation.Check(from is not null && to is not null, "harvestedFrom", "harvestedFrom and harvestedTo go together")
                .Check(from is null || to is null || (from <= to && to.Value.DayNumber - from.Value.DayNumber < MaxHarvestDays),
                    "harvestedTo", $"must be on or after harvestedFrom, at most {MaxHarvestDays} days later");
        if (seedlingBatch is not null) validation.Text(seedlingBatch, "seedlingBatch", maxLength: 60);
        validation.ThrowIfInvalid();

        return given[0] switch
        {
            "growerId" => (new Selector("grower", growerId!.Value.ToString()), "l.grower_id = @Value", growerId),
            "receiptId" => (new Selector("receipt", receiptId!.Value.ToString()), "l.receipt_id = @Value", receiptId),
            "lotId" => (new Selector("lot", lotId!.Value.ToString()), "l.id = @Value", lotId),
            "contractId" => (new Selector("contract", contractId!.Value.ToString()), "l.contract_id = @Value", contractId),
            "seedlingBatch" => (new Selector("seedlingBatch", seedlingBatch!),
                "l.contract_id in (select contract_id from contract_seedlings where cooperative_id = @Coop and batch_no = @Value)", seedlingBatch),
            _ => (new Selector("harvested", $"{from:yyyy-MM-dd}..{to:yyyy-MM-dd}"), "l.harvested_on between @From and @To", null),
        };
    }

    private static IResult AsCsv(Result r)
    {
        var buyers = r.Buyers.ToDictionary(b => b.BuyerId);
        var csv = new Csv().Row("trace_code", "grade", "net_kg", "recalled_kg", "order_id", "order_status", "buyer", "buyer_city",
            "buyer_contact", "buyer_phone", "waybill_no", "shipment_id", "packed_at", "delivered_at");
        foreach (var b in r.Boxes)
        {
            var buyer = buyers[b.BuyerId];
            csv.Row(b.TraceCode, b.Grade, b.NetKg, b.RecalledKg, b.OrderId, b.OrderStatus, buyer.Name, buyer.City, buyer.ContactName, buyer.Phone,
                b.WaybillNo, b.ShipmentId, b.PackedAt?.ToString("O"), b.DeliveredAt?.ToString("O"));
        }
        return csv.ToResult();
    }
}
