namespace MelonChain.Workstation.Api;

/// <summary>
/// 召回 through the Gateway (<c>GET /api/v1/cooperative/recall</c>, exactly one selector): the records mirror
/// services/Cooperative/Features/Recall/TraceForward; the CSV is the same query with <c>Accept: text/csv</c>.
/// </summary>
public sealed class RecallApi(HttpClient http)
{
    private const string Prefix = "/api/v1/cooperative/recall";

    /// <summary>The selectors the API takes, as the clerk chooses one.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["growerId", "receiptId", "contractId", "seedlingBatch", "harvested"];

    public sealed record Summary(int Lots, int Receipts, int Growers, decimal GradedKg, decimal InStockKg);

    public sealed record Box(string TraceCode, string Grade, decimal NetKg, decimal RecalledKg, Guid OrderId, string OrderStatus, Guid BuyerId,
        string? WaybillNo, DateTimeOffset? PackedAt, DateTimeOffset? DeliveredAt);

    public sealed record Buyer(Guid BuyerId, string Name, string City, string? ContactName, string? Phone, string? Address);

    public sealed record Result(Summary Summary, IReadOnlyList<Box> Boxes, IReadOnlyList<Buyer> Buyers, IReadOnlyList<string> Waybills);

    /// <summary>The query for one selector: <paramref name="kind"/> with <paramref name="value"/>, or the harvest dates.</summary>
    public static string Url(string kind, string? value, DateOnly? harvestedFrom, DateOnly? harvestedTo) => Prefix + (kind == "harvested"
        ? ApiCalls.Query(("harvestedFrom", ApiCalls.Date(harvestedFrom)), ("harvestedTo", ApiCalls.Date(harvestedTo)))
        : ApiCalls.Query((kind, value?.Trim())));

    public Task<Result> RecallAsync(string url, CancellationToken ct = default) => http.GetAsync<Result>(url, ct);

    /// <summary>The receipts received on a China date (the clerk finds a receipt by its number, not its id), newest number first.</summary>
    public async Task<IReadOnlyList<CooperativeApi.Receipt>> ReceiptsOnAsync(DateOnly day, CancellationToken ct = default)
    {
        var receipts = new List<CooperativeApi.Receipt>();
        string? after = null;
        do
        {
            var page = await http.GetAsync<Page<CooperativeApi.Receipt>>("/api/v1/cooperative/receipts" +
                ApiCalls.Query(("date", ApiCalls.Date(day)), ("limit", "500"), ("after", after)), ct);
            receipts.AddRange(page.Items);
            after = page.Next;
        } while (after is not null);
        return receipts;
    }
}
