using System.Net.Http.Json;
using static MelonChain.Workstation.Api.CooperativeApi;

namespace MelonChain.Workstation.Api;

/// <summary>
/// 挑选 as the workstation calls it (<c>/api/v1/cooperative</c>): the day's receipts, the grading rules, a receipt's
/// gradings and their reversal. The records mirror services/Cooperative/Features/Grading (GradeReceipt.Request,
/// Grading.ReceiptGrading, GradingRules.Response). A grading is saved through the offline queue (Offline/), not here.
/// </summary>
public sealed class GradingApi(HttpClient http)
{
    private const string Prefix = "/api/v1/cooperative";

    public sealed record GradeLine(string Grade, decimal Kg);

    public sealed record GradingRequest(IReadOnlyList<GradeLine> Lines, DateTimeOffset? CapturedAt);

    public sealed record Lot(Guid Id, string Grade, decimal Kg, int? FruitCount);

    public sealed record Reversal(DateTimeOffset ReversedAt, string ReversedBy, string Reason);

    public sealed record ReceiptGrading(Guid Id, Guid ReceiptId, int GradingNo, decimal GrossKg, decimal GradedKg, decimal ShrinkKg,
        IReadOnlyList<Lot> Lots, DateTimeOffset GradedAt, string GradedBy, Reversal? Reversal);

    private sealed record Rules(int MaxShrinkBps);

    private sealed record ReversalRequest(string Reason);

    private sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

    public static string GradingPath(Guid receiptId) => $"{Prefix}/receipts/{receiptId}/grading";

    /// <summary>The receipts received on a China date, newest first; only those with no live grading when <paramref name="ungraded"/>.</summary>
    public async Task<IReadOnlyList<Receipt>> ReceiptsAsync(DateOnly date, bool ungraded, CancellationToken ct = default)
    {
        var receipts = new List<Receipt>();
        string? after = null;
        do
        {
            var url = $"{Prefix}/receipts?date={date:yyyy-MM-dd}&ungraded={(ungraded ? "true" : "false")}&limit=500"
                      + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}");
            using var response = await http.GetAsync(url, ct);
            var page = await ApiJson.ReadAsync<Page<Receipt>>(response, ct);
            receipts.AddRange(page.Items);
            after = page.Next;
        } while (after is not null);
        return receipts;
    }

    /// <summary>The most shrink the cooperative accepts, in basis points of gross (GET /grading/rules).</summary>
    public async Task<int> MaxShrinkBpsAsync(CancellationToken ct = default)
    {
        using var response = await http.GetAsync($"{Prefix}/grading/rules", ct);
        return (await ApiJson.ReadAsync<Rules>(response, ct)).MaxShrinkBps;
    }

    public async Task<IReadOnlyList<ReceiptGrading>> GradingsAsync(Guid receiptId, CancellationToken ct = default)
    {
        using var response = await http.GetAsync($"{Prefix}/receipts/{receiptId}/gradings", ct);
        return await ApiJson.ReadAsync<List<ReceiptGrading>>(response, ct);
    }

    /// <summary>Reverses the receipt's live grading with the clerk's reason (online only: the server checks its lots are not packed).</summary>
    public async Task<ReceiptGrading> ReverseAsync(Guid receiptId, string reason, CancellationToken ct = default)
    {
        using var response = await http.PostAsJsonAsync($"{Prefix}/receipts/{receiptId}/grading/reversal", new ReversalRequest(reason), ApiJson.Options, ct);
        return await ApiJson.ReadAsync<ReceiptGrading>(response, ct);
    }
}
