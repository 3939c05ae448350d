using System.Net.Http.Json;
using System.Text.Json;

namespace MelonChain.Testing;

/// <summary>Waits for an asynchronous effect (an event consumed, a read model updated), failing after a deadline.</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        T value;
        while (true)
        {
            value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what ?? "the condition"}; last value: {value}");
            await Task.Delay(100);
        }
    }

    /// <summary>Polls a resource that an event has yet to create: a 404 means "not yet", not a failure.</summary>
    public static Task<JsonElement> Found(HttpClient client, string path, Func<JsonElement, bool> done, TimeSpan? timeout = null, string? what = null) =>
        Until(async () =>
        {
            using var response = await client.GetAsync(path);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
        }, j => j.ValueKind == JsonValueKind.Object && done(j), timeout, what ?? path);
}
