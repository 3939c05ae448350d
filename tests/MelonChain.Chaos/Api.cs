using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MelonChain.Chaos;

/// <summary>An answer of the API: its status and body (JSON, or the problem's text).</summary>
public sealed record Answer(int Status, string Body)
{
    public bool Ok => Status is >= 200 and < 300;
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
    public bool Problem(string type) => Body.Contains(type, StringComparison.Ordinal);
    public override string ToString() => $"{Status} {(Body.Length > 300 ? Body[..300] : Body)}";
}

/// <summary>
/// The clients' side under chaos, as the clerks' and couriers' apps behave: a request that gets no answer, a 5xx, a
/// 429 or a 409 that says "retry" (an Idempotency-Key still in flight, a concurrent update) is sent again with the same
/// Idempotency-Key until it gets a real answer, for up to five minutes.
/// </summary>
public static class Api
{
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    public static async Task<Answer> SendAsync(HttpClient client, HttpMethod method, string path, object? body = null, string? key = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        var delay = 250;
        Answer last = new(0, "not sent");
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var request = new HttpRequestMessage(method, path);
                if (body is not null) request.Content = JsonContent.Create(body);
                if (key is not null) request.Headers.Add("Idempotency-Key", key);
                using var response = await client.SendAsync(request);
                last = new((int)response.StatusCode, await response.Content.ReadAsStringAsync());
                if (!Retryable(last)) return last;
            }
            catch (HttpRequestException e) { last = new(0, e.Message); }
            catch (TaskCanceledException e) { last = new(0, e.Message); }
            await Task.Delay(delay);
            delay = Math.Min(delay * 2, 4000);
        }
        return last;
    }

    private static bool Retryable(Answer a) =>
        a.Status is >= 500 or (int)HttpStatusCode.TooManyRequests or (int)HttpStatusCode.RequestTimeout
        || (a.Status == 409 && (a.Problem("idempotency-key-in-flight") || a.Problem("concurrent-update")));

    public static Task<Answer> PostAsync(HttpClient client, string path, object body, string key) => SendAsync(client, HttpMethod.Post, path, body, key);

    public static Task<Answer> GetAsync(HttpClient client, string path) => SendAsync(client, HttpMethod.Get, path);

    /// <summary>Retries a read of a service's database (PostgreSQL may be down for a while) until it answers.</summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try { return await read(); }
            catch (Exception) when (DateTime.UtcNow < deadline) { await Task.Delay(1000); }
        }
    }

    /// <summary>Polls a read (retried through outages) until it satisfies <paramref name="done"/>; null after <paramref name="timeout"/>.</summary>
    public static async Task<T?> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var value = await read();
                if (done(value)) return value;
            }
            catch (Exception) { /* an outage: poll again */ }
            await Task.Delay(500);
        }
        return default;
    }
}
