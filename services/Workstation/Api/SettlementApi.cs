namespace MelonChain.Workstation.Api;

/// <summary>
/// 结算 through the Gateway (<c>/api/v1/cooperative</c>): the records mirror services/Cooperative/Features/Settlement
/// (Settlements, SettlePeriod, GetStatement, MemberAccount, RecordAdvance, DeductionCatalogue, SeasonReport) and
/// Surplus. Every post that moves money or closes a period carries the Idempotency-Key the screen made for it.
/// </summary>
public sealed class SettlementApi(HttpClient http)
{
    private const string Prefix = "/api/v1/cooperative";

    public sealed record Totals(long RevenueFen, long FreightFen, long PackagingFen, long CommissionFen, long PayoutFen, long TopUpFen,
        long DeductionsFen, long AdvancesNettedFen, long CreditsFen = 0, long CompensationFen = 0);

    public sealed record Pool(string Grade, decimal SoldKg, long RevenueFen, long NetFen, long PricePerKgFen);

    /// <summary>
    /// A buyer's credit (<c>credit</c>, negative), the carrier's compensation (<c>compensation</c>, positive) or freight the
    /// carrier billed beyond what was settled (<c>freight</c>, negative; below it, positive) for an order settled earlier:
    /// this grower's part, naming the order and the claim (the buyer's, or the carrier claim's id) or the waybill.
    /// </summary>
    public sealed record AdjustmentLine(Guid OrderId, Guid ClaimId, string Kind, string Grade, long AmountFen, string? WaybillNo = null);

    public sealed record Statement(Guid GrowerId, string MemberNo, long PayoutFen, long TopUpFen, long DeductionsFen, long AdvanceNettedFen,
        IReadOnlyList<AdjustmentLine>? Adjustments = null, long AdjustmentsFen = 0);

    public sealed record Reversal(string Reason, string ReversedBy, DateTimeOffset ReversedAt);

    public sealed record SettlementDetail(Guid Id, DateOnly From, DateOnly To, int Orders, Totals Totals, IReadOnlyList<Pool> Pools,
        IReadOnlyList<Statement> Statements, Reversal? Reversal);

    public sealed record SettlementSummary(Guid Id, DateOnly From, DateOnly To, int Orders, Totals Totals, DateTimeOffset SettledAt, Reversal? Reversal);

    public sealed record Entry(Guid Id, string Kind, long AmountFen, Guid? SettlementId, string? Note, DateTimeOffset EnteredAt);

    public sealed record Volume(int Year, decimal SoldKg, long PayoutFen);

    public sealed record Account(Guid GrowerId, long BalanceFen, IReadOnlyList<Entry> Entries, IReadOnlyList<Volume> YearlyVolume);

    /// <summary>A catalogue rule; <c>amount</c> is in its basis's unit (fen per kg, fen per box, basis points, fen per statement).</summary>
    public sealed record Rule(string Name, string Basis, long Amount, string? Grade, DateOnly EffectiveFrom, DateOnly? EffectiveTo);

    public sealed record Catalogue(IReadOnlyList<Rule> Rules);

    public sealed record SurplusSummary(Guid Id, int Year, long DistributableFen, int VolumeShareBps, long ByVolumeFen, long RetainedFen, int Members);

    public sealed record SurplusReturn(Guid Id, int Year, long DistributableFen, int VolumeShareBps, long ByVolumeFen, long RetainedFen);

    public static readonly IReadOnlyList<string> Bases = ["per_kg_sold", "per_box", "revenue_bps", "per_statement"];

    public Task<Page<SettlementSummary>> SettlementsAsync(CancellationToken ct = default) =>
        http.GetAsync<Page<SettlementSummary>>($"{Prefix}/settlements?limit=100", ct);

    public Task<SettlementDetail> SettlementAsync(Guid id, CancellationToken ct = default) => http.GetAsync<SettlementDetail>($"{Prefix}/settlements/{id}", ct);

    public Task<SettlementDetail> SettleAsync(DateOnly from, DateOnly to, string idempotencyKey, CancellationToken ct = default) =>
        http.SendJsonAsync<SettlementDetail>(HttpMethod.Post, $"{Prefix}/settlements", new { from, to }, idempotencyKey, ct);

    public static string StatementPdfUrl(Guid settlementId, Guid growerId) => $"{Prefix}/settlements/{settlementId}/statements/{growerId}.pdf";

    public Task<Account> AccountAsync(Guid growerId, CancellationToken ct = default) => http.GetAsync<Account>($"{Prefix}/growers/{growerId}/account", ct);

    /// <summary>An advance (<c>advances</c>) or a payment (<c>payments</c>) to the grower, once per key however often it is sent.</summary>
    public Task<Entry> PostMoneyAsync(Guid growerId, string kind, long amountFen, string? note, string idempotencyKey, CancellationToken ct = default) =>
        http.SendJsonAsync<Entry>(HttpMethod.Post, $"{Prefix}/growers/{growerId}/account/{kind}", new { amountFen, note }, idempotencyKey, ct);

    public Task<Catalogue> DeductionsAsync(CancellationToken ct = default) => http.GetAsync<Catalogue>($"{Prefix}/deduction-rules", ct);

    public Task<Catalogue> SaveDeductionsAsync(IReadOnlyList<Rule> rules, CancellationToken ct = default) =>
        http.SendJsonAsync<Catalogue>(HttpMethod.Put, $"{Prefix}/deduction-rules", new { rules }, ct: ct);

    public Task<Page<SurplusSummary>> SurplusReturnsAsync(CancellationToken ct = default) =>
        http.GetAsync<Page<SurplusSummary>>($"{Prefix}/surplus-returns?limit=100", ct);

    public Task<SurplusReturn> ReturnSurplusAsync(int year, long distributableFen, int volumeShareBps, string idempotencyKey, CancellationToken ct = default) =>
        http.SendJsonAsync<SurplusReturn>(HttpMethod.Post, $"{Prefix}/surplus-returns", new { year, distributableFen, volumeShareBps }, idempotencyKey, ct);

    public static string SeasonReportUrl(DateOnly? from, DateOnly? to) =>
        $"{Prefix}/reports/season.pdf" + ApiCalls.Query(("from", ApiCalls.Date(from)), ("to", ApiCalls.Date(to)));
}
