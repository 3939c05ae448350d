namespace MelonChain.Workstation.Api;

/// <summary>
/// 订单 and 库存 through the Gateway (<c>/api/v1/cooperative</c>): the records mirror services/Cooperative/Features/Sales
/// (Buyers, ListOrders, Orders, PlaceOrder, PackOrder, CancelOrder, ReturnBoxes, ListReturns), Grading/Stock and Compliance/PrintLabels.
/// </summary>
public sealed class SalesApi(HttpClient http)
{
    private const string Prefix = "/api/v1/cooperative";

    /// <summary>
    /// The statuses an order moves through (placed → packed → collected → delivered, partly_delivered or undelivered once
    /// every box has an outcome → settled, or cancelled).
    /// </summary>
    public static readonly IReadOnlyList<string> Statuses =
        ["placed", "packed", "cancel_requested", "collected", "delivered", "partly_delivered", "undelivered", "settled", "cancelled"];

    /// <summary>Where a box ended: on its way until its carrier order ends (services/Cooperative Orders.BoxOutcomeSql).</summary>
    public static readonly IReadOnlyList<string> BoxOutcomes = ["in_transit", "delivered", "returned", "lost"];

    /// <summary>What the clerk does with a returned box scanned back in.</summary>
    public static readonly IReadOnlyList<string> Dispositions = ["restock", "write_off"];

    public static readonly IReadOnlyList<string> Grades = ["premium", "grade1", "grade2", "offgrade"];

    /// <summary>The carriers' products an order may ship by (express is the default).</summary>
    public static readonly IReadOnlyList<string> Products = ["express", "standard", "cold", "land", "heavy", "jd_express", "jd_cold"];

    public sealed record Buyer(Guid Id, string Name, string City, string Address, string ContactName, string Phone);

    public sealed record OrderSummary(Guid Id, Guid BuyerId, string BuyerName, string DestinationCity, string Status, decimal Kg, int Boxes,
        string Product, DateTimeOffset PlacedAt, DateTimeOffset? PackedAt, DateTimeOffset? DeliveredAt);

    public sealed record Destination(string? City, string? Address, string? ContactName, string? Phone);

    public sealed record Line(string Grade, decimal Kg, long PriceFenPerKg);

    /// <param name="Outcome">null until collected, then in_transit, delivered, returned or lost.</param>
    /// <param name="Returned">A returned box scanned back in: restock or write_off; null until then.</param>
    public sealed record Box(string TraceCode, string Grade, decimal NetKg, string? Outcome = null, string? Returned = null);

    public sealed record Order(Guid Id, Guid BuyerId, Destination Destination, IReadOnlyList<Line> Lines, decimal BoxNetKg, string Product,
        string Status, DateTimeOffset PlacedAt, DateTimeOffset? PackedAt, DateTimeOffset? DeliveredAt, bool? OnTime, long? FreightFen,
        IReadOnlyList<Box> Boxes, string? Outcome = null, DateTimeOffset? EndedAt = null)
    {
        /// <summary>Returned boxes not yet scanned back in: on their way back to the cooperative.</summary>
        public IEnumerable<Box> ToScanBackIn => Boxes.Where(b => b.Outcome == "returned" && b.Returned is null);
    }

    public sealed record PlaceRequest(Guid BuyerId, Destination Destination, IReadOnlyList<Line> Lines, string Product);

    public sealed record Freshness(string Product, string Chain, int PromisedDays, int ShelfLifeDays, DateOnly OldestHarvestedOn,
        int OldestLotAgeDays, bool WithinShelfLife, bool ChillingRisk, IReadOnlyList<string> Warnings);

    public sealed record Packed(Guid OrderId, string CertificateNo, Freshness Freshness, IReadOnlyList<Box> Boxes);

    /// <param name="ReturningBoxes">Returned boxes on their way back (not yet scanned in, so not in stock), and their kg.</param>
    public sealed record GradeStock(string Grade, decimal AvailableKg, decimal FreshKg, decimal TooOldKg, int Lots, DateOnly? OldestHarvest,
        int ReturningBoxes = 0, decimal ReturningKg = 0);

    public sealed record StockLevels(DateOnly Today, int MaxLotAgeDays, IReadOnlyList<GradeStock> Grades);

    /// <summary>The kg of one lot a box was packed from.</summary>
    public sealed record BoxSource(Guid LotId, Guid ReceiptId, Guid GrowerId, decimal Kg);

    /// <summary>
    /// A returned box not yet scanned back in (GET /returns): its order and buyer, when its carrier order ended, its oldest
    /// lot's harvest date and the lots it holds.
    /// </summary>
    public sealed record ReturningBox(string TraceCode, Guid OrderId, Guid BuyerId, string BuyerName, string BuyerCity, string Grade, decimal NetKg,
        string? WaybillNo, string? CarrierOrderId, DateTimeOffset EndedAt, DateOnly? HarvestedOn, IReadOnlyList<BoxSource> Sources);

    /// <summary>The cooperative's buyers, all pages (a cooperative has tens of them).</summary>
    public async Task<IReadOnlyList<Buyer>> BuyersAsync(CancellationToken ct = default)
    {
        var buyers = new List<Buyer>();
        string? after = null;
        do
        {
            var page = await http.GetAsync<Page<Buyer>>($"{Prefix}/buyers" + ApiCalls.Query(("limit", "500"), ("after", after)), ct);
            buyers.AddRange(page.Items);
            after = page.Next;
        } while (after is not null);
        return buyers;
    }

    public Task<Page<OrderSummary>> OrdersAsync(string? status, DateOnly? from, DateOnly? to, string? after = null, CancellationToken ct = default) =>
        http.GetAsync<Page<OrderSummary>>($"{Prefix}/orders" + ApiCalls.Query(("status", status), ("from", ApiCalls.Date(from)),
            ("to", ApiCalls.Date(to)), ("limit", "50"), ("after", after)), ct);

    public Task<Order> OrderAsync(Guid id, CancellationToken ct = default) => http.GetAsync<Order>($"{Prefix}/orders/{id}", ct);

    public Task<Order> PlaceAsync(PlaceRequest request, CancellationToken ct = default) =>
        http.SendJsonAsync<Order>(HttpMethod.Post, $"{Prefix}/orders", request, ct: ct);

    /// <summary>Packs; <paramref name="allowOldLots"/> only after the clerk confirmed the freshness warning (409 freshness-at-risk).</summary>
    public Task<Packed> PackAsync(Guid id, bool allowOldLots, CancellationToken ct = default) =>
        http.SendJsonAsync<Packed>(HttpMethod.Post, $"{Prefix}/orders/{id}/pack", new { allowOldLots }, ct: ct);

    public Task<Order> CancelAsync(Guid id, string? reason, CancellationToken ct = default) =>
        http.SendJsonAsync<Order>(HttpMethod.Post, $"{Prefix}/orders/{id}/cancel", new { reason }, ct: ct);

    /// <summary>退货入库: returned boxes scanned back in, restocked or written off (a reason required to write off).</summary>
    public Task<Order> ReturnAsync(Guid id, IReadOnlyList<string> traceCodes, string disposition, string? reason, CancellationToken ct = default) =>
        http.SendJsonAsync<Order>(HttpMethod.Post, $"{Prefix}/orders/{id}/returns", new { traceCodes, disposition, reason }, ct: ct);

    /// <summary>The returned boxes waiting to be scanned back in, oldest ending first, every page.</summary>
    public async Task<IReadOnlyList<ReturningBox>> ReturningAsync(CancellationToken ct = default)
    {
        var boxes = new List<ReturningBox>();
        string? after = null;
        do
        {
            var page = await http.GetAsync<Page<ReturningBox>>($"{Prefix}/returns" + ApiCalls.Query(("limit", "500"), ("after", after)), ct);
            boxes.AddRange(page.Items);
            after = page.Next;
        } while (after is not null);
        return boxes;
    }

    public static string LabelsUrl(Guid orderId) => $"{Prefix}/orders/{orderId}/labels.pdf";

    public Task<StockLevels> StockAsync(CancellationToken ct = default) => http.GetAsync<StockLevels>($"{Prefix}/stock", ct);
}
