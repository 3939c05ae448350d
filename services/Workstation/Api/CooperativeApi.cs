using System.Net.Http.Json;

namespace MelonChain.Workstation.Api;

/// <summary>
/// The Cooperative's API as the workstation calls it through the Gateway (<c>/api/v1/cooperative</c>): the records
/// mirror services/Cooperative/Features (Members.Grower, RecordReceipt.Request, Receiving.Receipt).
/// </summary>
public sealed class CooperativeApi(HttpClient http)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    private const string Prefix = "/api/v1/cooperative";

    /// <summary>A member of the cooperative; a contract grower (kind <c>contract</c>) delivers under its contract.</summary>
    public sealed record Grower(Guid Id, string MemberNo, string Name, string Phone, string Village, string Kind, Guid? ContractId);

    public sealed record GrowerCertificate(bool Presented, string? Number);

    public sealed record ReceiptRequest(Guid GrowerId, DateOnly HarvestedOn, decimal GrossKg, int Crates, Guid? ContractId, string? Note,
        GrowerCertificate? GrowerCertificate);

    public sealed record Receipt(Guid Id, string ReceiptNo, Guid GrowerId, string MemberNo, Guid? ContractId, DateOnly HarvestedOn,
        decimal GrossKg, int Crates, DateTimeOffset ReceivedAt);

    private sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

    /// <summary>
    /// The whole member register, page by page (500 a page, the API's most): a cooperative has hundreds of members, and
    /// the receiving screen finds one by number or name as the clerk types, without a call per keystroke.
    /// </summary>
    public async Task<IReadOnlyList<Grower>> GrowersAsync(CancellationToken ct = default)
    {
        var growers = new List<Grower>();
        string? after = null;
        do
        {
            var url = $"{Prefix}/growers?limit=500" + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}");
            using var response = await http.GetAsync(url, ct);
            var page = await ApiJson.ReadAsync<Page<Grower>>(response, ct);
            growers.AddRange(page.Items);
            after = page.Next;
        } while (after is not null);
        return growers;
    }

    /// <summary>One receipt of the cooperative (404 for another's): a slip printed again.</summary>
    public async Task<Receipt> ReceiptAsync(Guid id, CancellationToken ct = default)
    {
        using var response = await http.GetAsync($"{Prefix}/receipts/{id}", ct);
        return await ApiJson.ReadAsync<Receipt>(response, ct);
    }

    public async Task<Grower> GrowerAsync(Guid id, CancellationToken ct = default)
    {
        using var response = await http.GetAsync($"{Prefix}/growers/{id}", ct);
        return await ApiJson.ReadAsync<Grower>(response, ct);
    }

    private sealed record GrowerLink(string Url);

    /// <summary>The grower's own page (<c>GET /growers/{id}/link</c>): the QR on their slips.</summary>
    public async Task<string> GrowerLinkAsync(Guid growerId, CancellationToken ct = default)
    {
        using var response = await http.GetAsync($"{Prefix}/growers/{growerId}/link", ct);
        return (await ApiJson.ReadAsync<GrowerLink>(response, ct)).Url;
    }

    /// <summary>
    /// Records a delivery. The key is made when the clerk captures it and sent again with every retry of that capture,
    /// so an answer lost after the server committed replays the same receipt instead of recording it twice.
    /// </summary>
    public async Task<Receipt> RecordReceiptAsync(ReceiptRequest request, string idempotencyKey, CancellationToken ct = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, $"{Prefix}/receipts") { Content = JsonContent.Create(request, options: ApiJson.Options) };
        message.Headers.Add(IdempotencyKeyHeader, idempotencyKey);
        using var response = await http.SendAsync(message, ct);
        return await ApiJson.ReadAsync<Receipt>(response, ct);
    }
}
