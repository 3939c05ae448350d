using System.IO.Pipelines;
using System.Text.Json;
using MelonChain.Cooperative.Features.Sales;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Recall;

/// <summary>
/// <c>GET /recall?growerId=|receiptId=|lotId=|contractId=|seedlingBatch=|harvestedFrom=&amp;harvestedTo=</c>: exactly one
/// selector (the two harvest dates together, at most a year apart). The selected lots, then through
/// <c>box_sources</c> every box holding any of their melons, with its order, buyer, waybill and status; and what of
/// those lots is still in stock. JSON, or one CSV row per box with <c>Accept: text/csv</c>. Both are written as they
/// are read (a recall by harvest dates may cover a year's boxes): the database groups the orders, buyers and waybills,
/// and no list of boxes is held in memory.
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

    /// <summary>
    /// One row of the answer, in the answer's order: <c>part</c> 1 a box, 2 an order (its boxes counted), 3 a buyer, 4 a
    /// waybill; <c>pos</c> orders each part (an order and a waybill by where their first box is).
    /// </summary>
    private sealed record AnswerRow(
        int Part, long Pos, string? TraceCode, string? Grade, decimal? NetKg, decimal? RecalledKg, Guid? OrderId, string? OrderStatus, Guid? BuyerId,
        string? DestCity, string? WaybillNo, Guid? ShipmentId, DateTimeOffset? PackedAt, DateTimeOffset? DeliveredAt, int? Boxes,
        string? Name, string? ContactName, string? Phone, string? Address);

    private sealed record CsvRow(
        string TraceCode, string Grade, decimal NetKg, decimal RecalledKg, Guid OrderId, string OrderStatus, string BuyerName, string BuyerCity,
        string BuyerContact, string BuyerPhone, string? WaybillNo, Guid? ShipmentId, DateTimeOffset? PackedAt, DateTimeOffset? DeliveredAt);

    /// <summary>Every box holding melons of the selected lots, its order and buyer, numbered in the answer's order.</summary>
    private static string RecalledSql(string lotsWhere) =>
        $"""
        select b.trace_code, b.grade, b.net_grams / 1000.0 as net_kg, sum(s.grams) / 1000.0 as recalled_kg, o.id as order_id,
               {Orders.StatusSql} as order_status, o.buyer_id, o.dest_city, b.waybill_no, o.shipment_id, o.packed_at, o.delivered_at,
               row_number() over (order by o.placed_at, o.id, b.seq) as pos
        from lots l
        join box_sources s on s.lot_id = l.id
        join boxes b on b.trace_code = s.trace_code
        join orders o on o.id = b.order_id
        where l.cooperative_id = @Coop and {lotsWhere}
        group by b.trace_code, o.id
        """;

    /// <summary>
    /// The whole answer after its summary as one statement, read once and written as it is read: the recalled boxes
    /// (computed once), then their orders, buyers and waybills, each part grouped in the database, not in memory.
    /// </summary>
    private static string AnswerSql(string lotsWhere) =>
        $"""
        with recalled as materialized ({RecalledSql(lotsWhere)})
        select 1 as part, pos, trace_code, grade, net_kg, recalled_kg, order_id, order_status, buyer_id, dest_city, waybill_no, shipment_id,
               packed_at, delivered_at, null::int as boxes, null::text as name, null::text as contact_name, null::text as phone, null::text as address
        from recalled
        union all
        select 2, min(pos), null, null, null, null, order_id, order_status, buyer_id, dest_city, null, shipment_id, null, delivered_at, count(*)::int,
               null, null, null, null
        from recalled group by order_id, order_status, buyer_id, dest_city, shipment_id, delivered_at
        union all
        select 3, row_number() over (order by y.name, y.id), null, null, null, null, null, null, y.id, y.city, null, null, null, null, null,
               y.name, y.contact_name, y.phone, y.address
        from buyers y where y.id in (select buyer_id from recalled)
        union all
        select 4, min(pos), null, null, null, null, null, null, null, null, waybill_no, null, null, null, null, null, null, null, null
        from recalled where waybill_no is not null group by waybill_no
        order by part, pos
        """;

    /// <summary>The CSV: one row per box with its buyer, in the answer's order.</summary>
    private static string CsvSql(string lotsWhere) =>
        $"""
        select r.trace_code, r.grade, r.net_kg, r.recalled_kg, r.order_id, r.order_status, y.name as buyer_name, y.city as buyer_city,
               y.contact_name as buyer_contact, y.phone as buyer_phone, r.waybill_no, r.shipment_id, r.packed_at, r.delivered_at
        from ({RecalledSql(lotsWhere)}) r join buyers y on y.id = r.buyer_id
        order by r.pos
        """;

    /// <summary>A recall of a year's harvest may cover a whole season's boxes: more than the default 30 s to read.</summary>
    private const int CommandTimeoutSeconds = 600;

    private static async Task<IResult> Handle(
        Guid? growerId, Guid? receiptId, Guid? lotId, Guid? contractId, string? seedlingBatch, DateOnly? harvestedFrom, DateOnly? harvestedTo,
        HttpRequest http, Db db, ClaimsPrincipal user, IOptions<JsonOptions> json, CancellationToken ct)
    {
        var (selector, lotsWhere, value) = Choose(growerId, receiptId, lotId, contractId, seedlingBatch, harvestedFrom, harvestedTo);
        var args = new { Coop = user.CooperativeId(), Value = value, From = harvestedFrom, To = harvestedTo };
        var staff = Recall.IsStaff(user);
        if (Csv.Wanted(http))
            return Csv.Streamed(async csv =>
            {
                csv.Row("trace_code", "grade", "net_kg", "recalled_kg", "order_id", "order_status", "buyer", "buyer_city",
                    "buyer_contact", "buyer_phone", "waybill_no", "shipment_id", "packed_at", "delivered_at");
                await foreach (var b in db.QueryUnbufferedAsync<CsvRow>(CsvSql(lotsWhere), args, CommandTimeoutSeconds, ct))
                {
                    csv.Row(b.TraceCode, b.Grade, b.NetKg, b.RecalledKg, b.OrderId, b.OrderStatus, b.BuyerName, b.BuyerCity,
                        staff ? b.BuyerContact : null, staff ? b.BuyerPhone : null, b.WaybillNo, b.ShipmentId, b.PackedAt?.ToString("O"), b.DeliveredAt?.ToString("O"));
                    await csv.FlushAsync(atLeastChars: 32 * 1024, ct);
                }
            }, ct);

        var summary = await db.QuerySingleAsync<Summary>(
            $"""
            select count(*)::int as lots, count(distinct l.receipt_id)::int as receipts, count(distinct l.grower_id)::int as growers,
                   coalesce(sum(l.grams), 0) / 1000.0 as graded_kg, coalesce(sum(l.grams - l.allocated_grams), 0) / 1000.0 as in_stock_kg
            from lots l where l.cooperative_id = @Coop and l.withdrawn_at is null and {lotsWhere}
            """, args, ct);
        var options = json.Value.SerializerOptions;
        return Results.Stream(async body =>
        {
            // The answer is a Result, written a part at a time as its rows arrive.
            string Name(string property) => options.PropertyNamingPolicy?.ConvertName(property) ?? property;
            // The serializer flushes its writer synchronously: it writes into a pipe, which the answer is sent from asynchronously.
            var pipe = PipeWriter.Create(body, new StreamPipeWriterOptions(leaveOpen: true));
            using var writer = new Utf8JsonWriter(pipe, new JsonWriterOptions { Encoder = options.Encoder, Indented = options.WriteIndented });
            writer.WriteStartObject();
            writer.WritePropertyName(Name(nameof(Result.Selector)));
            JsonSerializer.Serialize(writer, selector, options);
            writer.WritePropertyName(Name(nameof(Result.Summary)));
            JsonSerializer.Serialize(writer, summary, options);
            var parts = new[] { nameof(Result.Boxes), nameof(Result.Orders), nameof(Result.Buyers), nameof(Result.Waybills) };
            var part = 0;
            await foreach (var row in db.QueryUnbufferedAsync<AnswerRow>(AnswerSql(lotsWhere), args, CommandTimeoutSeconds, ct))
            {
                for (; part < row.Part; part++)
                {
                    if (part > 0) writer.WriteEndArray();
                    writer.WritePropertyName(Name(parts[part]));
                    writer.WriteStartArray();
                }
                switch (row.Part)
                {
                    case 1:
                        JsonSerializer.Serialize(writer, new Box(row.TraceCode!, row.Grade!, row.NetKg!.Value, row.RecalledKg!.Value, row.OrderId!.Value,
                            row.OrderStatus!, row.BuyerId!.Value, row.WaybillNo, row.ShipmentId, row.PackedAt, row.DeliveredAt), options);
                        break;
                    case 2:
                        JsonSerializer.Serialize(writer, new Order(row.OrderId!.Value, row.OrderStatus!, row.BuyerId!.Value, row.DestCity!, row.Boxes!.Value,
                            row.ShipmentId, row.DeliveredAt), options);
                        break;
                    case 3:
                        JsonSerializer.Serialize(writer, new Buyer(row.BuyerId!.Value, row.Name!, row.DestCity!,
                            staff ? row.ContactName : null, staff ? row.Phone : null, staff ? row.Address : null), options);
                        break;
                    default:
                        writer.WriteStringValue(row.WaybillNo);
                        break;
                }
                writer.Flush();
                if (pipe.UnflushedBytes >= 32 * 1024) await pipe.FlushAsync(ct);
            }
            for (; part < parts.Length; part++)
            {
                if (part > 0) writer.WriteEndArray();
                writer.WritePropertyName(Name(parts[part]));
                writer.WriteStartArray();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.Flush();
            await pipe.CompleteAsync();
        }, "application/json; charset=utf-8");
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
}
