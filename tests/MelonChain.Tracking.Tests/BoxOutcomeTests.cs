using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Messages;
using MelonChain.Messages.Cooperative;
using MelonChain.Messages.Dispatch;
using MelonChain.Testing;

namespace MelonChain.Tracking.Tests;

/// <summary>The buyer sees which boxes arrived, which went back to the cooperative and which the carrier lost.</summary>
public class BoxOutcomeTests(TrackingFixture f) : IClassFixture<TrackingFixture>
{
    private static ShipmentPartEnded Ended(ShipmentStory story, string carrierOrderId, string outcome, DateTimeOffset at, params string[] codes) =>
        new(Guid.NewGuid(), at, ShipmentStory.Coop, Guid.NewGuid(), story.OrderId, carrierOrderId, story.MasterWaybill, outcome, at, codes);

    [Fact]
    public async Task A_buyer_sees_each_boxs_outcome_whatever_order_the_endings_arrive_in_and_the_earliest_ending_of_a_box_stays()
    {
        var collected = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-3).ToUnixTimeSeconds()); // to the second, as stored
        var story = ShipmentStory.Create(collected);
        var delivered = Ended(story, "MC-A", PartOutcomes.Delivered, collected.AddHours(40), story.TraceCodes[0]);
        var returned = Ended(story, "MC-B", PartOutcomes.Returned, collected.AddHours(42), story.TraceCodes[1]);
        var replayedOtherwise = Ended(story, "MC-B", PartOutcomes.Lost, collected.AddHours(50), story.TraceCodes[1]);
        // A later, different ending of the same box told first (a replay, a confused carrier), then the real endings
        // (before the boxes are known), each twice, then the rest of the story without its delivery. Consumers run in
        // parallel, so arrival order proves nothing: the ending with the earliest time must be the one that stays.
        await f.PublishAsync([replayedOtherwise]);
        await Eventually.Until(() => KeptAsync(replayedOtherwise.EventId), kept => kept, TimeSpan.FromSeconds(30), "the late, different ending to be kept");
        await f.PublishAsync([returned, delivered, returned, delivered]);
        await f.PublishAsync(story.Events.Where(e => e is not ShipmentDelivered && e is not ShipmentStatusChanged { Status: "delivered" }));

        var shipment = await Eventually.Found(f.Buyer(story.BuyerId), $"/api/v1/tracking/shipments/{story.MasterWaybill}",
            j => j.GetProperty("boxes").GetArrayLength() == 2 && j.GetProperty("boxes").EnumerateArray().All(b => b.GetProperty("outcome").GetString() != "in_transit"),
            TimeSpan.FromSeconds(30), "both boxes' outcomes");
        await Eventually.Until(() => KeptAsync(returned.EventId), kept => kept, TimeSpan.FromSeconds(30), "the returned ending to be kept");
        shipment = await f.Buyer(story.BuyerId).GetFromJsonAsync<JsonElement>($"/api/v1/tracking/shipments/{story.MasterWaybill}");
        var track = await f.Tracking.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/tracking/public/track/{story.MasterWaybill}?phoneLast4=2222");
        var stranger = await f.Buyer(Guid.NewGuid()).GetAsync($"/api/v1/tracking/shipments/{story.MasterWaybill}");

        var outcomes = shipment.GetProperty("boxes").EnumerateArray().ToDictionary(b => b.GetProperty("traceCode").GetString()!, b => b.GetProperty("outcome").GetString());
        Assert.Equal(PartOutcomes.Delivered, outcomes[story.TraceCodes[0]]);
        Assert.Equal(PartOutcomes.Returned, outcomes[story.TraceCodes[1]]);
        Assert.Equal(collected.AddHours(42), shipment.GetProperty("boxes").EnumerateArray()
            .Single(b => b.GetProperty("traceCode").GetString() == story.TraceCodes[1]).GetProperty("outcomeAt").GetDateTimeOffset());
        Assert.Equal("{\"delivered\":1,\"returned\":1}", track.GetProperty("boxOutcomes").GetRawText());
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
    }

    private async Task<bool> KeptAsync(Guid eventId)
    {
        await using var connection = f.Db.Open();
        await using var command = new Npgsql.NpgsqlCommand("select count(*) from event_log where event_id = @id", connection);
        command.Parameters.AddWithValue("id", eventId);
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }

    [Fact]
    public async Task A_box_whose_carrier_order_has_not_ended_is_in_transit()
    {
        var story = ShipmentStory.Create(DateTimeOffset.UtcNow.AddHours(-5));
        await f.PublishAsync(story.Events.Where(e => e is ShipmentRequested or ShipmentBooked));

        var shipment = await Eventually.Found(f.Buyer(story.BuyerId), $"/api/v1/tracking/shipments/{story.MasterWaybill}",
            j => j.GetProperty("boxes").GetArrayLength() == 2, TimeSpan.FromSeconds(30), "the boxes");

        Assert.All(shipment.GetProperty("boxes").EnumerateArray(), b => Assert.Equal("in_transit", b.GetProperty("outcome").GetString()));
    }
}
