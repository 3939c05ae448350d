using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace MelonChain.Workstation.Api;

/// <summary>A page of a list, as every list of the services answers it: the items and the cursor of the next page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

/// <summary>
/// The calls the screens' typed clients make: JSON in and out, the ProblemDetails of a refusal thrown as
/// <see cref="ApiProblem"/>, an Idempotency-Key where a post moves money or closes a period, and documents (PDF, CSV) as bytes.
/// </summary>
public static class ApiCalls
{
    public static async Task<T> GetAsync<T>(this HttpClient http, string url, CancellationToken ct = default)
    {
        using var response = await http.GetAsync(url, ct);
        return await ApiJson.ReadAsync<T>(response, ct);
    }

    public static async Task<T> SendJsonAsync<T>(this HttpClient http, HttpMethod method, string url, object? body, string? idempotencyKey = null,
        CancellationToken ct = default)
    {
        using var message = new HttpRequestMessage(method, url);
        if (body is not null) message.Content = JsonContent.Create(body, body.GetType(), options: ApiJson.Options);
        if (idempotencyKey is not null) message.Headers.Add(CooperativeApi.IdempotencyKeyHeader, idempotencyKey);
        using var response = await http.SendAsync(message, ct);
        return await ApiJson.ReadAsync<T>(response, ct);
    }

    /// <summary>A document the services make (labels, statements, reports as PDF; a recall as CSV), with the caller's token.</summary>
    public static async Task<byte[]> DocumentAsync(this HttpClient http, string url, string accept, CancellationToken ct = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        using var response = await http.SendAsync(message, ct);
        if (!response.IsSuccessStatusCode) throw await ApiProblem.FromAsync(response, ct);
        return await response.Content.ReadAsByteArrayAsync(ct);
    }

    /// <summary>Query string parameters, the empty ones left out.</summary>
    public static string Query(params (string Name, string? Value)[] parameters)
    {
        var set = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return set.Count == 0 ? "" : "?" + string.Join('&', set);
    }

    public static string? Date(DateOnly? day) => day?.ToString("yyyy-MM-dd");
}
