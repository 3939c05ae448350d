using System.Net.Http.Json;
using System.Text;
using Npgsql;

namespace MelonChain.Testing;

/// <summary>The servers <c>deploy/dev.sh test</c> started (environment variables), with local defaults.</summary>
public static class TestServers
{
    public static string Postgres => Environment.GetEnvironmentVariable("MELON_PG") ?? "Host=127.0.0.1;Port=55432;Username=postgres";
    public static string RabbitMq => Environment.GetEnvironmentVariable("MELON_RABBIT") ?? "amqp://guest:guest@127.0.0.1:5672/";
    public static string RabbitManagement => Environment.GetEnvironmentVariable("MELON_RABBIT_MANAGEMENT") ?? "http://127.0.0.1:15672";
    public static string PostgresBin => Environment.GetEnvironmentVariable("MELON_PG_BIN") ?? "/usr/lib/postgresql/15/bin";

    public static string Unique(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)].ToLowerInvariant();
}

/// <summary>A database of its own for one test class, dropped afterwards.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _server;

    public string Name { get; }
    public string ConnectionString { get; }

    private TestDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true, MaxPoolSize = 40 }.ConnectionString;
    }

    /// <summary>Names a fresh database; the service creates it (and its schema) when it starts.</summary>
    public static TestDatabase Create(string prefix, string? server = null) =>
        new(server ?? TestServers.Postgres, TestServers.Unique("t_" + prefix));

    public NpgsqlConnection Open()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Database = "postgres" }.ConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop database if exists {Name} with (force)", admin);
            await drop.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException) { /* the server may already be gone (private servers) */ }
    }
}

/// <summary>A RabbitMQ virtual host of its own for one test class, so classes never see each other's events.</summary>
public sealed class TestVirtualHost : IAsyncDisposable
{
    private static readonly HttpClient Management = new()
    {
        BaseAddress = new Uri(TestServers.RabbitManagement),
        DefaultRequestHeaders = { Authorization = new("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest"))) },
    };

    public string Name { get; }
    public string ConnectionString { get; }

    private TestVirtualHost(string name)
    {
        Name = name;
        ConnectionString = new Uri(new Uri(TestServers.RabbitMq), name).ToString();
    }

    public static async Task<TestVirtualHost> CreateAsync(string prefix)
    {
        var host = new TestVirtualHost(TestServers.Unique("t_" + prefix));
        (await Management.PutAsync($"/api/vhosts/{host.Name}", null)).EnsureSuccessStatusCode();
        (await Management.PutAsJsonAsync($"/api/permissions/{host.Name}/guest",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        return host;
    }

    /// <summary>How many messages wait in a queue and how many its consumers have acknowledged so far.</summary>
    public async Task<(long Ready, long Acked)> QueueAsync(string queue)
    {
        var response = await Management.GetAsync($"/api/queues/{Name}/{queue}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return (0, 0);
        var json = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var acked = json.TryGetProperty("message_stats", out var stats) && stats.TryGetProperty("ack", out var ack) ? ack.GetInt64() : 0;
        return (json.TryGetProperty("messages", out var m) ? m.GetInt64() : 0, acked);
    }

    /// <summary>
    /// Binds a queue of the test's own to an event's exchange (named by the event catalogue, e.g. <c>contract-signed</c>)
    /// so the test can read what was published.
    /// </summary>
    public async Task<string> CaptureAsync(Type eventType)
    {
        var exchange = MelonChain.Messages.EventCatalogue.NameOf(eventType);
        var queue = "capture-" + eventType.Name + "-" + Guid.NewGuid().ToString("N")[..6];
        (await Management.PutAsJsonAsync($"/api/exchanges/{Name}/{Uri.EscapeDataString(exchange)}",
            new { type = "fanout", durable = true })).EnsureSuccessStatusCode();
        (await Management.PutAsJsonAsync($"/api/queues/{Name}/{queue}", new { durable = false, auto_delete = false })).EnsureSuccessStatusCode();
        (await Management.PostAsJsonAsync($"/api/bindings/{Name}/e/{Uri.EscapeDataString(exchange)}/q/{queue}", new { routing_key = "" })).EnsureSuccessStatusCode();
        return queue;
    }

    /// <summary>Takes the messages waiting in a capture queue: each one's <c>message</c> (the event as JSON).</summary>
    public async Task<IReadOnlyList<System.Text.Json.JsonElement>> TakeAsync(string queue)
    {
        var response = await Management.PostAsJsonAsync($"/api/queues/{Name}/{queue}/get",
            new { count = 1000, ackmode = "ack_requeue_false", encoding = "auto" });
        response.EnsureSuccessStatusCode();
        var messages = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return messages.EnumerateArray()
            .Select(m => System.Text.Json.JsonDocument.Parse(m.GetProperty("payload").GetString()!).RootElement.GetProperty("message"))
            .ToList();
    }

    /// <summary>
    /// Takes from a capture queue until what was taken so far satisfies <paramref name="done"/>; returns all of it.
    /// (Each take empties the queue, so a condition over several events must look at what every poll took.)
    /// </summary>
    public async Task<IReadOnlyList<System.Text.Json.JsonElement>> TakeUntilAsync(string queue,
        Func<IReadOnlyList<System.Text.Json.JsonElement>, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var taken = new List<System.Text.Json.JsonElement>();
        return await Eventually.Until(async () => { taken.AddRange(await TakeAsync(queue)); return (IReadOnlyList<System.Text.Json.JsonElement>)taken; },
            done, timeout, what);
    }

    /// <summary>
    /// Cuts a subscriber off one event (the event exchange's binding to the subscriber's exchange): its copies go
    /// nowhere until <see cref="SubscribeAsync"/> binds it again, so the test can deliver them later, out of order.
    /// </summary>
    public async Task UnsubscribeAsync(string eventName, string subscriberQueue) =>
        (await Management.DeleteAsync($"/api/bindings/{Name}/e/{eventName}/e/{subscriberQueue}/~")).EnsureSuccessStatusCode();

    public async Task SubscribeAsync(string eventName, string subscriberQueue) =>
        (await Management.PostAsJsonAsync($"/api/bindings/{Name}/e/{eventName}/e/{subscriberQueue}", new { routing_key = "" })).EnsureSuccessStatusCode();

    /// <summary>Deletes a queue and its bindings, as if its subscriber had never been deployed.</summary>
    public async Task DeleteQueueAsync(string queue) =>
        (await Management.DeleteAsync($"/api/queues/{Name}/{queue}")).EnsureSuccessStatusCode();

    public async ValueTask DisposeAsync() => await Management.DeleteAsync($"/api/vhosts/{Name}");
}
