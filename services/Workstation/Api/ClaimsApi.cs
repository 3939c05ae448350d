namespace MelonChain.Workstation.Api;

/// <summary>
/// 客诉理赔 through the Gateway (<c>/api/v1/cooperative</c>): the records mirror services/Cooperative/Features/Claims
/// (Claims.BuyerClaim, FileClaim, ListClaims, DecideClaim). A filing asks for money and a decision moves it: each carries
/// the Idempotency-Key the screen made for it.
/// </summary>
public sealed class ClaimsApi(HttpClient http)
{
    private const string Prefix = "/api/v1/cooperative";

    public static readonly IReadOnlyList<string> Kinds = ["spoiled", "damaged", "short_weight", "missing"];

    public static readonly IReadOnlyList<string> Statuses = ["open", "accepted", "rejected"];

    /// <param name="SettlementId">The settlement that took the credit: with its order, or as adjustment lines after it.</param>
    public sealed record BuyerClaim(Guid Id, Guid OrderId, string Kind, IReadOnlyList<string> TraceCodes, decimal Kg, long CreditAskedFen, string? Note,
        DateTimeOffset FiledAt, string FiledBy, string Status, long? CreditFen, bool? CarrierLiable, string? Reason, DateTimeOffset? DecidedAt,
        string? DecidedBy, Guid? SettlementId);

    /// <summary>The queue by status, oldest filed first, every page.</summary>
    public async Task<IReadOnlyList<BuyerClaim>> ClaimsAsync(string? status, CancellationToken ct = default)
    {
        var claims = new List<BuyerClaim>();
        string? after = null;
        do
        {
            var page = await http.GetAsync<Page<BuyerClaim>>($"{Prefix}/claims" + ApiCalls.Query(("status", status), ("limit", "200"), ("after", after)), ct);
            claims.AddRange(page.Items);
            after = page.Next;
        } while (after is not null);
        return claims;
    }

    /// <summary>A claim on delivered boxes of an order, filed by the clerk for the buyer: once per key however often it is sent.</summary>
    public Task<BuyerClaim> FileAsync(Guid orderId, string kind, IReadOnlyList<string> traceCodes, decimal kg, long creditFen, string? note,
        string idempotencyKey, CancellationToken ct = default) =>
        http.SendJsonAsync<BuyerClaim>(HttpMethod.Post, $"{Prefix}/orders/{orderId}/claims", new { kind, traceCodes, kg, creditFen, note }, idempotencyKey, ct);

    /// <summary>
    /// The decision, once: <c>accepted</c> with a credit no more than asked or <c>rejected</c> with a reason; whether the
    /// carrier is liable. Once per key however often it is sent.
    /// </summary>
    public Task<BuyerClaim> DecideAsync(Guid claimId, string decision, long? creditFen, bool carrierLiable, string? reason, string idempotencyKey,
        CancellationToken ct = default) =>
        http.SendJsonAsync<BuyerClaim>(HttpMethod.Post, $"{Prefix}/claims/{claimId}/decision", new { decision, creditFen, carrierLiable, reason },
            idempotencyKey, ct);
}
