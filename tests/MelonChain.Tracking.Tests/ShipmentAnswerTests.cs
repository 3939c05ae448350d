using MelonChain.Messages;

namespace MelonChain.Tracking.Tests;

/// <summary>
/// The buyer's shipment GET (what P3 measures) pinned byte for byte: how it is read may change (one batch,
/// positional parameters), what the buyer gets may not — property order, numbers as written (the kg's scale),
/// times and dates, nulls.
/// </summary>
public class ShipmentAnswerTests(TrackingFixture f) : IClassFixture<TrackingFixture>
{
    /// <summary>The answer as it was before the read changed, the story's ids as tokens; <c>{boxes}</c> by trace code.</summary>
    private const string Template =
        """
        {"shipment":{"orderId":"{order}","shipmentId":"{shipment}","waybillNo":"{master}","carrier":"SF","product":"express","destinationCity":"北京","status":"delivered","bookedAt":"2026-12-01T02:00:00+00:00","promisedBy":"2026-12-03T02:00:00+00:00","deliveredAt":"2026-12-02T18:00:00+00:00","onTime":true,"late":false},"listFen":14000,"negotiatedFen":10500,"hoursSinceHarvest":98,"timeline":[{"status":"picked_up","at":"2026-12-01T02:30:00+00:00","location":"江门市","remark":"快件已签收 签收人: 王经理","carrierCode":"50","waybillNo":"{master}"},{"status":"in_transit","at":"2026-12-01T08:00:00+00:00","location":"广州转运中心","remark":"快件已签收 签收人: 王经理","carrierCode":"30","waybillNo":"{master}"},{"status":"in_transit","at":"2026-12-02T04:00:00+00:00","location":"北京顺义集散中心","remark":"快件已签收 签收人: 王经理","carrierCode":"31","waybillNo":"{master}"},{"status":"out_for_delivery","at":"2026-12-02T15:00:00+00:00","location":"北京朝阳","remark":"快件已签收 签收人: 王经理","carrierCode":"44","waybillNo":"{master}"},{"status":"delivered","at":"2026-12-02T18:00:00+00:00","location":"北京朝阳","remark":"快件已签收 签收人: 王经理","carrierCode":"80","waybillNo":"{master}"}],"boxes":[{boxes}]}
        """;

    private const string BoxTemplate =
        """
        {"traceCode":"{code}","grade":"grade1","netKg":5.0000000000000000,"waybillNo":"{waybill}","oldestHarvest":"2026-11-29","outcome":"in_transit","outcomeAt":null,"carrierOrderId":null,"carrierWaybillNo":null}
        """;

    [Fact]
    public async Task The_buyers_shipment_answer_is_the_same_bytes_as_before()
    {
        var story = ShipmentStory.Create(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero));
        await f.PublishAsync(story.Events);
        await f.WaitForWholeStoryAsync(story);
        var booked = story.Events.OfType<MelonChain.Messages.Dispatch.ShipmentBooked>().Single();
        var tokens = new (string Value, string Token)[]
        {
            (story.OrderId.ToString(), "{order}"), (booked.ShipmentId.ToString(), "{shipment}"), (story.MasterWaybill, "{master}"),
            (story.ChildWaybill, "{child}"),
        };
        // The first trace code travels under the master waybill, the second under the child's.
        var boxes = new[] { (Code: story.TraceCodes[0], Waybill: story.MasterWaybill), (Code: story.TraceCodes[1], Waybill: story.ChildWaybill) }
            .OrderBy(b => b.Code, StringComparer.Ordinal)
            .Select(b => BoxTemplate.Trim().Replace("{code}", b.Code).Replace("{waybill}", b.Waybill));
        var expected = tokens.Aggregate(Template.Trim().Replace("{boxes}", string.Join(",", boxes)), (s, t) => s.Replace(t.Token, t.Value));
        var buyer = f.Buyer(story.BuyerId);

        // The last consumers may still be writing (a box's outcome): the answer as soon as it is the expected one, or the
        // last one read after 10 s, shown with the story's ids as the template's tokens.
        var stop = DateTime.UtcNow.AddSeconds(10);
        var answer = await Eventually.Until(() => buyer.GetStringAsync($"/api/v1/tracking/shipments/{story.MasterWaybill}"),
            a => a == expected || DateTime.UtcNow > stop, TimeSpan.FromSeconds(30), "the answer");

        Assert.True(answer == expected, tokens.Aggregate(answer, (s, t) => s.Replace(t.Value, t.Token)));
    }

    [Fact]
    public async Task The_shipment_GET_is_one_round_trip_of_four_statements_with_positional_parameters()
    {
        var story = ShipmentStory.Create(DateTimeOffset.UtcNow.AddDays(-3));
        await f.PublishAsync(story.Events);
        await f.WaitForWholeStoryAsync(story);
        var buyer = f.Buyer(story.BuyerId);

        using var roundTrips = new RoundTrips();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/tracking/shipments/{story.MasterWaybill}");
        request.Headers.Add("traceparent", roundTrips.TraceParent);
        (await buyer.SendAsync(request)).EnsureSuccessStatusCode();

        var text = RoundTrips.Text(Assert.Single(roundTrips.Sent));
        Assert.Equal(4, text.Split(";\n").Length);
        Assert.Contains("$1", text);
        Assert.DoesNotContain("@", text);
    }
}
