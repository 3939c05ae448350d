using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Messages;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Tracking.Tests;

public class ShipmentStoryTests(TrackingFixture f) : IClassFixture<TrackingFixture>
{
    [Fact]
    public async Task A_buyer_follows_a_shipment_from_request_to_delivery_within_the_promise()
    {
        var story = ShipmentStory.Create(DateTimeOffset.UtcNow.AddDays(-3));
        await f.PublishAsync(story.Events);

        var shipment = await f.WaitForWholeStoryAsync(story);

        var summary = shipment.GetProperty("shipment");
        Assert.True(summary.GetProperty("onTime").GetBoolean());
        Assert.False(summary.GetProperty("late").GetBoolean());
        Assert.Equal("北京", summary.GetProperty("destinationCity").GetString());
        var statuses = shipment.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("status").GetString()).ToList();
        Assert.Equal(["picked_up", "in_transit", "in_transit", "out_for_delivery", "delivered"], statuses);
        var boxes = shipment.GetProperty("boxes").EnumerateArray().ToList();
        Assert.Equal(story.TraceCodes.Order(), boxes.Select(b => b.GetProperty("traceCode").GetString()!).Order());
        Assert.Contains(boxes, b => b.GetProperty("waybillNo").GetString() == story.ChildWaybill);
        Assert.True(shipment.GetProperty("hoursSinceHarvest").GetInt32() >= 40);

        var mine = await f.Buyer(story.BuyerId).GetFromJsonAsync<JsonElement>("/api/v1/tracking/my/shipments?status=delivered");
        Assert.Contains(mine.GetProperty("items").EnumerateArray(), s => s.GetProperty("orderId").GetGuid() == story.OrderId);
    }

    [Fact]
    public async Task An_order_cancelled_before_it_was_booked_shows_as_cancelled_not_pending()
    {
        var story = ShipmentStory.Create(DateTimeOffset.UtcNow.AddDays(-1));
        var requested = story.Events.OfType<MelonChain.Messages.Cooperative.ShipmentRequested>().Single();
        var cancelled = new MelonChain.Messages.Cooperative.OrderCancelled(Guid.NewGuid(), DateTimeOffset.UtcNow, ShipmentStory.Coop, story.OrderId, "buyer changed plans");
        // The cancellation may even arrive first: it is a queue of its own.
        await f.PublishAsync([cancelled, requested]);

        var buyer = f.Buyer(story.BuyerId);
        var mine = await Eventually.Until(() => buyer.GetFromJsonAsync<JsonElement>("/api/v1/tracking/my/shipments"),
            j => j.GetProperty("items").EnumerateArray().Any(s => s.GetProperty("orderId").GetGuid() == story.OrderId && s.GetProperty("status").GetString() == "cancelled"),
            TimeSpan.FromSeconds(30), "the order shown as cancelled");
        Assert.DoesNotContain(mine.GetProperty("items").EnumerateArray(), s => s.GetProperty("status").GetString() == "pending");
        var listed = await buyer.GetFromJsonAsync<JsonElement>("/api/v1/tracking/my/shipments?status=cancelled");
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), s => s.GetProperty("orderId").GetGuid() == story.OrderId);
    }

    [Fact]
    public async Task A_shipment_past_its_promise_is_late_and_listed_as_late()
    {
        var story = ShipmentStory.Create(DateTimeOffset.UtcNow.AddDays(-4), late: true);
        await f.PublishAsync(story.Events);
        var buyer = f.Buyer(story.BuyerId);
        await f.WaitForStatusAsync(buyer, story.MasterWaybill, "delivered");

        var late = await Eventually.Until(() => buyer.GetFromJsonAsync<JsonElement>("/api/v1/tracking/my/shipments?late=true"),
            j => j.GetProperty("items").GetArrayLength() == 1 && j.GetProperty("items")[0].GetProperty("onTime").ValueKind == JsonValueKind.False);
        Assert.Equal(story.OrderId, late.GetProperty("items")[0].GetProperty("orderId").GetGuid());
    }

    [Fact]
    public async Task Duplicated_and_reordered_events_give_the_same_read_model_as_the_clean_order()
    {
        var collected = DateTimeOffset.UtcNow.AddDays(-3);
        var clean = ShipmentStory.Create(collected);
        var messy = Remap(clean);
        await f.PublishAsync(clean.Events);
        // Reversed, each event twice (once again at the end), and the delivery first.
        await f.PublishAsync(messy.Events.Reverse().Concat(messy.Events.Where((_, i) => i % 2 == 0)));

        var cleanView = await Settled(clean);
        var messyView = await Settled(messy);

        Assert.Equal(Normalise(cleanView, clean), Normalise(messyView, messy));
    }

    [Fact]
    public async Task Replaying_every_event_into_an_empty_read_model_rebuilds_it_exactly()
    {
        var story = ShipmentStory.Create(DateTimeOffset.UtcNow.AddDays(-2));
        await f.PublishAsync(story.Events);
        await Settled(story);
        var before = await Dump();

        var admin = f.Tracking.As(Roles.Admin, "admin-1");
        var rebuilt = await admin.PostAsync("/api/v1/tracking/admin/rebuild", null);

        Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        Assert.Equal(before, await Dump());
    }

    [Fact]
    public async Task An_admin_rebuilds_only_their_own_cooperatives_read_model()
    {
        var ours = ShipmentStory.Create(DateTimeOffset.UtcNow.AddDays(-2));
        var theirs = ShipmentStory.Create(DateTimeOffset.UtcNow.AddDays(-2), coop: "rebuild-other");
        await f.PublishAsync(ours.Events.Concat(theirs.Events));
        await Settled(ours);
        await Eventually.Until(() => Scalar($"select count(*) from timeline where order_id = '{theirs.OrderId}'"), n => n == 5, what: "the other cooperative's story");
        // A projection bug both cooperatives suffered; only ours is rebuilt.
        await Scalar($"with u as (update shipments set destination_city = 'wrong' where order_id in ('{ours.OrderId}', '{theirs.OrderId}') returning 1) select count(*) from u");

        var rebuilt = await f.Tracking.As(Roles.Admin, "admin-1").PostAsync("/api/v1/tracking/admin/rebuild", null);

        Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        Assert.Equal(await Scalar($"select count(*) from event_log where cooperative_id = '{ShipmentStory.Coop}'"),
            (await rebuilt.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("eventsReplayed").GetInt64());
        Assert.Equal("北京", await Text($"select destination_city from shipments where order_id = '{ours.OrderId}'"));
        Assert.Equal("wrong", await Text($"select destination_city from shipments where order_id = '{theirs.OrderId}'"));
        Assert.Equal(5, await Scalar($"select count(*) from timeline where order_id = '{theirs.OrderId}'"));
    }

    [Fact]
    public async Task A_rebuild_neither_waits_for_readers_nor_locks_them_out_and_reads_during_it_see_the_whole_old_answer()
    {
        var story = ShipmentStory.Create(DateTimeOffset.UtcNow.AddDays(-2));
        await f.PublishAsync(story.Events);
        await Settled(story);
        var contract = story.Events.OfType<MelonChain.Messages.ContractGrowing.SeedlingsIssued>().Single().ContractId;
        // A reader in the middle of a long report holds the read-model tables (a truncate would wait for it to finish).
        await using var reader = f.Db.Open();
        await using var report = await reader.BeginTransactionAsync();
        foreach (var table in new[] { "shipments", "boxes", "waybills", "timeline", "contracts", "seedling_issues" })
            await Dapper.SqlMapper.ExecuteScalarAsync<long>(reader, $"select count(*) from {table}", transaction: report);
        // Another report holds our seedling issue rows FOR SHARE, so the rebuild stops half-way: it deletes shipments,
        // boxes, waybills, timeline and contracts (in that order), then its delete of seedling issues waits for this one lock.
        await using var holder = f.Db.Open();
        await using var held = await holder.BeginTransactionAsync();
        Assert.True(await Dapper.SqlMapper.ExecuteScalarAsync<long>(holder,
            "select count(*) from (select 1 from seedling_issues where contract_id = @contract for share) s", new { contract }, held) > 0);

        using var admin = f.Tracking.As(Roles.Admin, "admin-1");
        admin.Timeout = TimeSpan.FromSeconds(60);
        var rebuild = admin.PostAsync("/api/v1/tracking/admin/rebuild", null);

        // The rebuild is half-way: waiting on the seedling issues, having deleted the tables before them.
        await Eventually.Until(() => Scalar(
                "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like 'delete from seedling_issues%'"),
            n => n == 1, TimeSpan.FromSeconds(20), "the rebuild to wait half-way");

        // Reads served during the rebuild: not blocked, never partial or empty, never another's.
        using var buyer = f.Buyer(story.BuyerId);
        buyer.Timeout = TimeSpan.FromSeconds(5);
        for (var read = 0; read < 5; read++)
        {
            using var answer = await buyer.GetAsync($"/api/v1/tracking/shipments/{story.MasterWaybill}");
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"read {read} during the rebuild: {(int)answer.StatusCode}");
            var during = await answer.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("delivered", during.GetProperty("shipment").GetProperty("status").GetString());
            Assert.Equal("北京", during.GetProperty("shipment").GetProperty("destinationCity").GetString());
            Assert.Equal(5, during.GetProperty("timeline").GetArrayLength());
            Assert.Equal(story.TraceCodes.Order(), during.GetProperty("boxes").EnumerateArray().Select(b => b.GetProperty("traceCode").GetString()!).Order());
            var mine = await buyer.GetFromJsonAsync<JsonElement>("/api/v1/tracking/my/shipments");
            Assert.Equal([story.OrderId], mine.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("orderId").GetGuid()));
            using var stranger = f.Buyer(Guid.NewGuid());
            stranger.Timeout = TimeSpan.FromSeconds(5);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/tracking/shipments/{story.MasterWaybill}")).StatusCode);
            Assert.True(await Dapper.SqlMapper.ExecuteScalarAsync<long>(reader, "select count(*) from shipments where order_id = @OrderId",
                new { story.OrderId }, report) == 1);
        }
        // Those reads were served with our shipment's row deleted by the rebuild and not committed: its delete holds the row.
        await using (var probe = f.Db.Open())
        {
            var locked = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => Dapper.SqlMapper.ExecuteScalarAsync<long>(probe,
                "select count(*) from (select 1 from shipments where order_id = @OrderId for update nowait) s", new { story.OrderId }));
            Assert.Equal("55P03", locked.SqlState);   // lock_not_available
        }
        Assert.False(rebuild.IsCompleted);

        await held.CommitAsync();
        var rebuilt = await rebuild;
        Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        // And the reader still reads, inside the same transaction, with the rebuild committed; the buyer reads the rebuilt rows.
        Assert.True(await Dapper.SqlMapper.ExecuteScalarAsync<long>(reader, "select count(*) from shipments", transaction: report) > 0);
        await Settled(story);
    }

    [Fact]
    public async Task Another_buyer_or_another_cooperative_gets_404_while_the_cooperatives_clerk_sees_it()
    {
        var story = ShipmentStory.Create(DateTimeOffset.UtcNow.AddDays(-1));
        await f.PublishAsync(story.Events);
        await f.WaitForStatusAsync(f.Buyer(story.BuyerId), story.MasterWaybill, "delivered");

        var path = $"/api/v1/tracking/shipments/{story.MasterWaybill}";
        Assert.Equal(HttpStatusCode.NotFound, (await f.Buyer(Guid.NewGuid()).GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await f.Tracking.As(Roles.Clerk, "c", cooperative: "other-coop").GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await f.Tracking.As(Roles.Clerk, "c").GetAsync(path)).StatusCode);
        var all = await f.Tracking.As(Roles.Dispatcher, "d").GetFromJsonAsync<JsonElement>("/api/v1/tracking/shipments?limit=500");
        Assert.Contains(all.GetProperty("items").EnumerateArray(), s => s.GetProperty("orderId").GetGuid() == story.OrderId);
        var others = await f.Tracking.As(Roles.Dispatcher, "d", cooperative: "other-coop").GetFromJsonAsync<JsonElement>("/api/v1/tracking/shipments");
        Assert.Equal(0, others.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, (await f.Tracking.As(Roles.Courier, "k", courierId: "k").GetAsync(path)).StatusCode);
    }

    private async Task<long> Scalar(string sql)
    {
        await using var connection = f.Db.Open();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, sql);
    }

    private async Task<string?> Text(string sql)
    {
        await using var connection = f.Db.Open();
        return await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, sql);
    }

    private async Task<JsonElement> Settled(ShipmentStory story)
    {
        var buyer = f.Buyer(story.BuyerId);
        return await Eventually.Found(buyer, $"/api/v1/tracking/shipments/{story.MasterWaybill}",
            j => j.GetProperty("shipment").GetProperty("onTime").ValueKind != JsonValueKind.Null
                 && j.GetProperty("timeline").GetArrayLength() == 5 && j.GetProperty("boxes").GetArrayLength() == 2,
            TimeSpan.FromSeconds(30), "every event applied");
    }

    /// <summary>The same story under new ids, so both can live side by side in one read model.</summary>
    private static ShipmentStory Remap(ShipmentStory s)
    {
        var json = JsonSerializer.Serialize(s.Events.Select(e => (object)e).ToList());
        var copy = ShipmentStory.Create(DateTimeOffset.UtcNow); // only for fresh ids
        var map = new Dictionary<string, string>
        {
            [s.OrderId.ToString()] = copy.OrderId.ToString(), [s.BuyerId.ToString()] = copy.BuyerId.ToString(),
            [s.MasterWaybill] = copy.MasterWaybill, [s.ChildWaybill] = copy.ChildWaybill,
        };
        // New trace codes in the same sort order as the old ones, so both read models list boxes alike.
        var newCodes = copy.TraceCodes.Order(StringComparer.Ordinal).ToArray();
        foreach (var (old, i) in s.TraceCodes.Order(StringComparer.Ordinal).Select((c, i) => (c, i)))
            map[old] = newCodes[i];
        var events = s.Events.Select(e =>
        {
            var text = JsonSerializer.Serialize(e, e.GetType());
            foreach (var (from, to) in map) text = text.Replace(from, to);
            text = text.Replace(e.EventId.ToString(), Guid.NewGuid().ToString());
            return (IEvent)JsonSerializer.Deserialize(text, e.GetType())!;
        }).ToList();
        return s with { OrderId = copy.OrderId, BuyerId = copy.BuyerId, MasterWaybill = copy.MasterWaybill, ChildWaybill = copy.ChildWaybill,
                        TraceCodes = s.TraceCodes.Select(c => map[c]).ToArray(), Events = events };
    }

    private static string Normalise(JsonElement view, ShipmentStory s)
    {
        var text = view.GetRawText().Replace(s.OrderId.ToString(), "ORDER").Replace(s.MasterWaybill, "MASTER")
            .Replace(s.ChildWaybill, "CHILD").Replace(s.TraceCodes[0], "BOX0").Replace(s.TraceCodes[1], "BOX1");
        var shipmentId = view.GetProperty("shipment").GetProperty("shipmentId").GetString()!;
        return text.Replace(shipmentId, "SHIPMENT");
    }

    private async Task<string> Dump()
    {
        await using var connection = f.Db.Open();
        var parts = new List<string>();
        foreach (var (table, key) in new[] { ("shipments", "order_id"), ("boxes", "trace_code"), ("waybills", "waybill_no"),
                     ("timeline", "event_id"), ("contracts", "contract_id"), ("seedling_issues", "event_id"),
                     ("box_outcomes", "trace_code") })
        {
            await using var command = new Npgsql.NpgsqlCommand($"select coalesce(json_agg(t order by {key})::text, '[]') from {table} t", connection);
            parts.Add($"{table}: {await command.ExecuteScalarAsync()}");
        }
        return string.Join("\n", parts);
    }
}
