using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using MelonChain.Messages;
using MelonChain.Messages.Cooperative;
using Microsoft.Extensions.DependencyInjection;

namespace MelonChain.ContractGrowing.Tests;

/// <summary>Deliveries under contract, as the Cooperative reports them, count once and in any order.</summary>
public class FulfilmentTests(GrowingFixture f) : IClassFixture<GrowingFixture>
{
    [Fact]
    public async Task Each_delivery_counts_once_even_twice_delivered_and_graded_before_received()
    {
        var (grower, _, contract) = await f.DraftAsync(expectedKg: 1000m);
        (await f.Officer.PostAsync($"/api/v1/growing/contracts/{contract}/sign", null)).EnsureSuccessStatusCode();
        var receipt = Guid.NewGuid();
        var harvested = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(-1);
        var received = new HarvestReceived(Guid.NewGuid(), DateTimeOffset.UtcNow, "shangxiang", receipt, "SX-20261122-0003", grower, "EP-001",
            contract, harvested, 300_500, 12, DateTimeOffset.UtcNow);
        var graded = new HarvestGraded(Guid.NewGuid(), DateTimeOffset.UtcNow, "shangxiang", receipt, grower, contract,
            [new GradeLine("premium", 60_000, null), new GradeLine("grade1", 180_000, 400), new GradeLine("grade2", 50_000, null), new GradeLine("offgrade", 4_000, null)], 6_500);

        // Graded first, each event twice.
        await Publish(graded, graded, received, received);

        var fulfilment = await Eventually.Until(
            async () => (await f.Officer.GetFromJsonAsync<JsonElement>($"/api/v1/growing/contracts/{contract}")).GetProperty("fulfilment"),
            j => j.GetProperty("receivedKg").GetDecimal() == 300.5m && j.GetProperty("gradedKg").EnumerateObject().Count() == 4,
            TimeSpan.FromSeconds(30), "both events applied");
        // Every copy was consumed (acknowledged), and only one of each left a trace.
        await Eventually.Until(async () => (await f.Broker.QueueAsync("growing-harvest-received")).Acked + (await f.Broker.QueueAsync("growing-harvest-graded")).Acked,
            n => n >= 4, TimeSpan.FromSeconds(30), "all four copies acknowledged");
        Assert.Equal(2, await f.CountAsync("select count(*) from inbox where message_id = any(@Ids)", new { Ids = new[] { received.EventId, graded.EventId } }));

        fulfilment = (await f.Officer.GetFromJsonAsync<JsonElement>($"/api/v1/growing/contracts/{contract}")).GetProperty("fulfilment");
        Assert.Equal(1, fulfilment.GetProperty("deliveries").GetInt32());
        Assert.Equal(294m, fulfilment.GetProperty("deliveredKg").GetDecimal());
        Assert.Equal(180m, fulfilment.GetProperty("gradedKg").GetProperty("grade1").GetDecimal());
        Assert.Equal(29.4m, fulfilment.GetProperty("percentOfExpected").GetDecimal());
        Assert.True(fulfilment.GetProperty("below50").GetBoolean());

        var report = await f.Officer.GetFromJsonAsync<JsonElement>("/api/v1/growing/reports/fulfilment?season=2026-autumn");
        Assert.Contains(report.GetProperty("below50").EnumerateArray(), id => id.GetGuid() == contract);
        Assert.Equal("2026-11-30", report.GetProperty("seasonEndsOn").GetString());
        // Still under half once completed: the season-end alert names it.
        Assert.Equal(report.GetProperty("seasonEnded").GetBoolean(), report.GetProperty("alerts").EnumerateArray().Any(id => id.GetGuid() == contract));
        (await f.Officer.PostAsync($"/api/v1/growing/contracts/{contract}/complete", null)).EnsureSuccessStatusCode();
        report = await f.Officer.GetFromJsonAsync<JsonElement>("/api/v1/growing/reports/fulfilment?season=2026-autumn");
        Assert.Contains(report.GetProperty("alerts").EnumerateArray(), id => id.GetGuid() == contract);

        var timeline = await f.Officer.GetFromJsonAsync<JsonElement>($"/api/v1/growing/contracts/{contract}/timeline");
        Assert.Contains(timeline.EnumerateArray(), e => e.GetProperty("kind").GetString() == "delivery");
    }

    [Fact]
    public async Task A_corrected_grading_counts_only_its_live_grading_whatever_order_the_events_arrive_in()
    {
        var (grower, _, contract) = await f.DraftAsync(expectedKg: 1000m);
        (await f.Officer.PostAsync($"/api/v1/growing/contracts/{contract}/sign", null)).EnsureSuccessStatusCode();
        var receipt = Guid.NewGuid();
        var harvested = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(-1);
        var received = new HarvestReceived(Guid.NewGuid(), DateTimeOffset.UtcNow, "shangxiang", receipt, "SX-20261122-0009", grower, "EP-001",
            contract, harvested, 102_000, 5, DateTimeOffset.UtcNow);
        var mistaken = new HarvestGraded(Guid.NewGuid(), DateTimeOffset.UtcNow, "shangxiang", receipt, grower, contract,
            [new GradeLine("grade1", 100_000, null)], 2_000, GradingNo: 1);
        var reversed = new HarvestGradingReversed(Guid.NewGuid(), DateTimeOffset.UtcNow, "shangxiang", receipt, grower, contract, 1, "应为特级", "clerk-1");
        var corrected = new HarvestGraded(Guid.NewGuid(), DateTimeOffset.UtcNow, "shangxiang", receipt, grower, contract,
            [new GradeLine("premium", 99_000, null)], 3_000, GradingNo: 2);

        // Worst order: the correction first, then the reversal, the mistaken grading last; each twice.
        await Publish(corrected, reversed, reversed, mistaken, corrected, mistaken, received);

        await Eventually.Until(() => f.CountAsync("select count(*) from inbox where message_id = any(@Ids)",
                new { Ids = new[] { received.EventId, mistaken.EventId, reversed.EventId, corrected.EventId } }),
            n => n == 4, TimeSpan.FromSeconds(30), "all four events applied");
        var fulfilment = (await f.Officer.GetFromJsonAsync<JsonElement>($"/api/v1/growing/contracts/{contract}")).GetProperty("fulfilment");
        Assert.Equal(99m, fulfilment.GetProperty("deliveredKg").GetDecimal());
        Assert.Equal(["premium"], fulfilment.GetProperty("gradedKg").EnumerateObject().Select(g => g.Name));
        Assert.Equal(99m, fulfilment.GetProperty("gradedKg").GetProperty("premium").GetDecimal());

        // The correction reversed too, and nothing graded since: the delivery counts as received, ungraded.
        var reversedAgain = new HarvestGradingReversed(Guid.NewGuid(), DateTimeOffset.UtcNow, "shangxiang", receipt, grower, contract, 2, "再次复核", "clerk-1");
        await Publish(reversedAgain);
        fulfilment = await Eventually.Until(
            async () => (await f.Officer.GetFromJsonAsync<JsonElement>($"/api/v1/growing/contracts/{contract}")).GetProperty("fulfilment"),
            j => j.GetProperty("gradedKg").EnumerateObject().Count() == 0, TimeSpan.FromSeconds(30), "the second reversal applied");
        Assert.Equal(102m, fulfilment.GetProperty("deliveredKg").GetDecimal());
        Assert.Equal(1, fulfilment.GetProperty("deliveries").GetInt32());
    }

    [Fact]
    public async Task Visits_and_field_logs_join_the_contracts_timeline_in_date_order()
    {
        var (_, _, contract) = await f.DraftAsync();
        var batch = await f.BatchAsync(2000);
        (await f.Officer.PostAsJsonAsync($"/api/v1/growing/contracts/{contract}/seedling-issues",
            new { batchId = batch, count = 1500, issuedOn = DateTime.UtcNow.AddDays(-20).ToString("yyyy-MM-dd") })).EnsureSuccessStatusCode();
        (await f.Officer.PostAsJsonAsync($"/api/v1/growing/contracts/{contract}/visits", new
        {
            kind = "guidance", visitedOn = DateTime.UtcNow.AddDays(-10).ToString("yyyy-MM-dd"), officer = "陈技术员", topic = "搭架与整枝",
            growthStage = "开花坐果期", pests = "瓜实蝇少量", advice = "挂黄板诱杀",
        })).EnsureSuccessStatusCode();
        var missingInterval = await f.Officer.PostAsJsonAsync($"/api/v1/growing/contracts/{contract}/field-logs",
            new { kind = "input", loggedOn = DateTime.UtcNow.AddDays(-5).ToString("yyyy-MM-dd"), material = "阿维菌素" });
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, missingInterval.StatusCode);
        (await f.Officer.PostAsJsonAsync($"/api/v1/growing/contracts/{contract}/field-logs",
            new { kind = "input", loggedOn = DateTime.UtcNow.AddDays(-5).ToString("yyyy-MM-dd"), material = "阿维菌素", quantity = "30 ml/亩", preHarvestIntervalDays = 7 })).EnsureSuccessStatusCode();

        var timeline = await f.Officer.GetFromJsonAsync<JsonElement>($"/api/v1/growing/contracts/{contract}/timeline");
        Assert.Equal(["seedlings", "guidance", "input"], timeline.EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
    }

    private async Task Publish(params IEvent[] events)
    {
        var bus = f.Growing.Services.GetRequiredService<IBus>();
        foreach (var e in events) await bus.Publish(e, e.GetType(), ctx => ctx.MessageId = e.EventId);
    }
}
