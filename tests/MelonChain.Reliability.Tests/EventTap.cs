using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MelonChain.Messages;

namespace MelonChain.Reliability.Tests;

/// <summary>
/// Listens on a virtual host to every event MelonChain publishes: a queue of its own bound to each event's exchange,
/// read through the management API with the message exactly as sent (body and properties), so a test can count
/// events and send any of them again.
/// </summary>
public sealed class EventTap
{
    private static readonly HttpClient Management = new()
    {
        BaseAddress = new Uri(TestServers.RabbitManagement),
        DefaultRequestHeaders = { Authorization = new("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest"))) },
    };

    public sealed record Captured(string Exchange, JsonElement Properties, string Payload)
    {
        /// <summary>The event's .NET type name (its exchange is its catalogue name).</summary>
        public string Type => EventCatalogue.Named(Exchange).Type.Name;
        public JsonElement Message => JsonDocument.Parse(Payload).RootElement.GetProperty("message");
    }

    private readonly string _vhost;
    private readonly List<Captured> _seen = [];
    private readonly HashSet<Guid> _ids = [];

    private EventTap(string vhost) => _vhost = vhost;

    public static string Queue(string exchange) => "tap-" + exchange.Replace(':', '-');

    public static async Task<EventTap> StartAsync(string vhost)
    {
        foreach (var exchange in EventCatalogue.Events.Select(e => e.Name))
        {
            var escaped = Uri.EscapeDataString(exchange);
            (await Management.PutAsJsonAsync($"/api/exchanges/{vhost}/{escaped}", new { type = "fanout", durable = true })).EnsureSuccessStatusCode();
            (await Management.PutAsJsonAsync($"/api/queues/{vhost}/{Queue(exchange)}", new { durable = true })).EnsureSuccessStatusCode();
            (await Management.PostAsJsonAsync($"/api/bindings/{vhost}/e/{escaped}/q/{Queue(exchange)}", new { routing_key = "" })).EnsureSuccessStatusCode();
        }
        return new EventTap(vhost);
    }

    /// <summary>Every event published so far, once each (copies sent again by <see cref="RepublishAsync"/> are not new events).</summary>
    public async Task<IReadOnlyList<Captured>> AllAsync()
    {
        var queues = await Management.GetFromJsonAsync<JsonElement>($"/api/queues/{_vhost}?columns=name,messages");
        foreach (var queue in queues.EnumerateArray().Select(q => q.GetProperty("name").GetString()!).Where(n => n.StartsWith("tap-")))
        {
            var response = await Management.PostAsJsonAsync($"/api/queues/{_vhost}/{queue}/get",
                new { count = 100_000, ackmode = "ack_requeue_false", encoding = "auto" });
            response.EnsureSuccessStatusCode();
            foreach (var m in (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray())
            {
                var captured = new Captured(m.GetProperty("exchange").GetString()!, m.GetProperty("properties").Clone(), m.GetProperty("payload").GetString()!);
                if (_ids.Add(captured.Message.GetProperty("eventId").GetGuid())) _seen.Add(captured);
            }
        }
        return _seen;
    }

    /// <summary>Sends an event again, byte for byte, as a redelivery would.</summary>
    public async Task RepublishAsync(Captured e)
    {
        var response = await Management.PostAsJsonAsync($"/api/exchanges/{_vhost}/{Uri.EscapeDataString(e.Exchange)}/publish",
            new { properties = e.Properties, routing_key = "", payload = e.Payload, payload_encoding = "string" });
        response.EnsureSuccessStatusCode();
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("routed").GetBoolean(), $"{e.Exchange} routed nowhere");
    }

    /// <summary>
    /// The consumers' queues (everything but the tap) with messages waiting or unacknowledged, and the dead-lettered ones.
    /// </summary>
    public async Task<(long Busy, IReadOnlyList<string> DeadLettered)> QueuesAsync()
    {
        var queues = (await Management.GetFromJsonAsync<JsonElement>($"/api/queues/{_vhost}?columns=name,messages")).EnumerateArray()
            .Select(q => (Name: q.GetProperty("name").GetString()!, Messages: q.TryGetProperty("messages", out var m) ? m.GetInt64() : 0))
            .Where(q => !q.Name.StartsWith("tap-")).ToList();
        return (queues.Where(q => !q.Name.EndsWith("_error")).Sum(q => q.Messages),
            queues.Where(q => q.Name.EndsWith("_error") && q.Messages > 0).Select(q => $"{q.Name}: {q.Messages}").ToList());
    }
}
