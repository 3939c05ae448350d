using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Messages.Dispatch;

namespace MelonChain.Reliability.Tests;

/// <summary>
/// R15: a consumer that keeps failing. The Cooperative cannot record a booking's freight (a trigger refuses it, as a
/// broken migration or a bad row would), so ShipmentBooked runs through its retries into
/// <c>cooperative-shipment-booked_error</c> and the order, delivered, cannot be settled. Readiness turns Degraded and
/// names the queue; the admin sees the message and why it failed; once the cause is gone the admin redelivers it and
/// the order is booked and settled exactly once.
/// </summary>
[Collection(SharedServers.Name)]
public class DeadLetterTests(SharedServersSystem f)
{
    private const string ErrorQueue = "cooperative-shipment-booked_error";

    [Fact]
    public async Task A_booking_the_Cooperative_kept_failing_on_is_named_by_health_listed_and_once_fixed_redelivered_and_its_order_settled_once()
    {
        var cooperative = "r15-" + Guid.NewGuid().ToString("N")[..8];
        var s = await Scenario.StartAsync(f.System, cooperative);
        var admin = await f.System.AsAsync("admin", "admin-r15", cooperative);
        var cause = "r15_" + cooperative.Replace('-', '_');
        await f.System.ScalarAsync<object>("Cooperative", $"""
            create function {cause}() returns trigger language plpgsql as $$
            begin raise exception 'freight ledger closed for maintenance'; end $$;
            create trigger {cause} before update of freight_fen on orders for each row
                when (new.cooperative_id = '{cooperative}' and new.freight_fen is not null) execute function {cause}();
            """);
        try
        {
            var (orderId, codes) = await s.PackedOrderAsync(boxes: 2);
            await s.CollectAsync(await s.AcceptPickupAsync(orderId), codes);
            await Eventually.Until(() => f.System.ScalarAsync<bool>("Cooperative", "select delivered_at is not null from orders where id = @orderId", new { orderId }),
                delivered => delivered, TimeSpan.FromSeconds(90), "the order delivered");

            // Five retries later the booking sits in the _error queue, and readiness says so (still 200: the service serves).
            var ready = await Eventually.Until(ReadyAsync, r => r.Status == HttpStatusCode.OK && r.Body.Contains(ErrorQueue),
                TimeSpan.FromSeconds(60), $"/health/ready to name {ErrorQueue}");
            var health = JsonDocument.Parse(ready.Body).RootElement;
            Assert.Equal("Degraded", health.GetProperty("status").GetString());
            var check = health.GetProperty("checks").GetProperty("dead-letters");
            Assert.Equal("Degraded", check.GetProperty("status").GetString());
            Assert.Equal(1, check.GetProperty("data").GetProperty(ErrorQueue).GetInt64());
            Assert.Null(await f.System.ScalarAsync<long?>("Cooperative", "select freight_fen from orders where id = @orderId", new { orderId }));

            // The admin sees it, and why, without taking it off the queue; another cooperative's admin sees nothing of it.
            await f.QuietAsync();
            var booked = Assert.Single(await f.Tap.AllAsync(), e => e.Type == nameof(ShipmentBooked) && e.Message.GetProperty("orderId").GetGuid() == orderId);
            var letters = await admin.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/admin/dead-letters");
            var letter = Assert.Single(letters.GetProperty("items").EnumerateArray());
            Assert.Equal(ErrorQueue, letter.GetProperty("queue").GetString());
            Assert.Equal(booked.Message.GetProperty("eventId").GetGuid(), letter.GetProperty("messageId").GetGuid());
            Assert.Equal("shipment-booked", letter.GetProperty("messageType").GetString());
            Assert.Contains("freight ledger closed for maintenance", letter.GetProperty("reason").GetString());
            Assert.True(letter.GetProperty("failedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
            var stranger = await f.System.AsAsync("admin", "admin-other", "r15-other");
            Assert.Empty((await stranger.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/admin/dead-letters")).GetProperty("items").EnumerateArray());
            // Still on the queue after the listing (its reading channel returned it); the management API's counts lag.
            await Eventually.Until(() => f.VirtualHost.QueueAsync(ErrorQueue), q => q.Ready == 1, TimeSpan.FromSeconds(30),
                $"the dead letter back on {ErrorQueue} after the listing");

            // The cause removed, the admin sends it back to the queue it came from.
            await f.System.ScalarAsync<object>("Cooperative", $"drop trigger {cause} on orders; drop function {cause}()");
            var redelivered = await RedeliverAsync(admin, new { queue = ErrorQueue });
            Assert.Equal(1, redelivered.GetProperty("redelivered").GetInt32());

            var delivered = await Eventually.Until(() => s.Clerk.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{orderId}"),
                o => o.GetProperty("freightFen").ValueKind == JsonValueKind.Number, TimeSpan.FromSeconds(60), "the booking applied");
            await f.QuietAsync();
            await Eventually.Until(ReadyAsync, r => r.Status == HttpStatusCode.OK && JsonDocument.Parse(r.Body).RootElement.GetProperty("status").GetString() == "Healthy",
                TimeSpan.FromSeconds(30), "/health/ready Healthy again");
            Assert.Equal(0, (await RedeliverAsync(admin, new { })).GetProperty("redelivered").GetInt32());
            Assert.Equal(1, await f.System.ScalarAsync<long>("Cooperative", "select count(*) from inbox where message_id = @id and consumer = 'cooperative-shipment-booked'",
                new { id = booked.Message.GetProperty("eventId").GetGuid() }));

            // Settled once: the settlement takes it, and the next one finds it already settled.
            var to = DateOnly.FromDateTime(delivered.GetProperty("deliveredAt").GetDateTimeOffset().UtcDateTime.AddHours(8));
            var settlement = await s.PostAsync(s.Clerk, "/api/v1/cooperative/settlements",
                new { from = to.AddDays(-6).ToString("yyyy-MM-dd"), to = to.ToString("yyyy-MM-dd") }, key: Guid.NewGuid().ToString());
            Assert.Equal(1, settlement.GetProperty("orders").GetInt32());
            Assert.Equal(delivered.GetProperty("freightFen").GetInt64(), settlement.GetProperty("totals").GetProperty("freightFen").GetInt64());
            Assert.Equal("settled", (await s.Clerk.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{orderId}")).GetProperty("status").GetString());
            Assert.Equal(1, await f.System.ScalarAsync<long>("Cooperative", "select count(*) from orders where id = @orderId and settlement_id is not null", new { orderId }));
            // The management API's counts lag the queues by a few seconds.
            await Eventually.Until(async () => (await f.Tap.QueuesAsync()).DeadLettered, d => d.Count == 0, TimeSpan.FromSeconds(30), "no dead letters left");
        }
        finally
        {
            await f.System.ScalarAsync<object>("Cooperative", $"drop trigger if exists {cause} on orders; drop function if exists {cause}()");
            // Nothing left behind for the other tests of the collection, which assert that nothing is dead-lettered.
            if ((await f.VirtualHost.QueueAsync(ErrorQueue)).Ready > 0)
                await admin.PostAsJsonAsync("/api/v1/cooperative/admin/dead-letters/redeliver", new { });
        }
    }

    private async Task<(HttpStatusCode Status, string Body)> ReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = f.System["Cooperative"].BaseAddress };
        using var response = await http.GetAsync("/health/ready");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> RedeliverAsync(HttpClient admin, object body)
    {
        using var response = await admin.PostAsJsonAsync("/api/v1/cooperative/admin/dead-letters/redeliver", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"redeliver: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
