using System.Net.Http.Json;
using MelonChain.Dispatch.Features.Carrier;

namespace MelonChain.Dispatch.Features.Claims;

/// <summary>
/// The carrier's claim desk (理赔). SF's and JD's published open-platform samples show no claim call, so both are
/// reached the same way, as JSON at the carrier's base URL (<c>Dispatch:CarrierBaseUrl</c>, else <c>Carrier:{carrier}:BaseUrl</c>, as the adapters): <c>POST claims</c>
/// files (our claim id makes a repeat answer the same) and <c>GET claims/{claimNo}</c> says accepted, refused or paid.
/// Carrier trouble is a <see cref="CarrierUnavailableException"/>: the worker tries again later.
/// </summary>
public sealed class CarrierClaimDesk(IHttpClientFactory clients, IConfiguration config)
{
    public const string Client = "carrier-claims";

    public sealed record Answer(string ClaimNo, string Status, string? Refusal, long? PaidFen);

    private Uri BaseOf(string carrier) =>
        new(config["Dispatch:CarrierBaseUrl"] ?? config[$"Carrier:{carrier}:BaseUrl"] ?? "http://127.0.0.1:8089/");

    public async Task<Answer> FileAsync(string carrier, Guid claimId, string waybillNo, string reason, long amountFen, CancellationToken ct) =>
        await CallAsync(() => clients.CreateClient(Client).PostAsJsonAsync(new Uri(BaseOf(carrier), "claims"),
            new { claimId = claimId.ToString(), waybillNo, reason, amountFen }, ct), ct);

    public async Task<Answer> StatusAsync(string carrier, string claimNo, CancellationToken ct) =>
        await CallAsync(() => clients.CreateClient(Client).GetAsync(new Uri(BaseOf(carrier), $"claims/{Uri.EscapeDataString(claimNo)}"), ct), ct);

    private static async Task<Answer> CallAsync(Func<Task<HttpResponseMessage>> call, CancellationToken ct)
    {
        try
        {
            using var response = await call();
            if (!response.IsSuccessStatusCode)
                throw new CarrierUnavailableException($"The carrier's claim desk answered HTTP {(int)response.StatusCode}");
            return await response.Content.ReadFromJsonAsync<Answer>(ct) ?? throw new CarrierUnavailableException("The carrier's claim desk answered nothing");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !ct.IsCancellationRequested)
        {
            throw new CarrierUnavailableException($"The carrier's claim desk did not answer: {e.Message}", e);
        }
    }
}
