extern alias dispatch;
using dispatch::MelonChain.Dispatch.Features.Routes;

namespace MelonChain.Dispatch.Tests;

public class RouteStatusTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 12, 0, 0, 0, TimeSpan.Zero);

    private static StatusRecord R(long id, string? status, int hour) => new(id, status, T0.AddHours(hour));

    [Fact]
    public void The_latest_record_by_event_time_decides_whatever_the_arrival_order() =>
        Assert.Equal("out_for_delivery", RouteStatus.Implied("pending", [R(1, "out_for_delivery", 40), R(2, "in_transit", 8), R(3, "picked_up", 1)])!.Status);

    [Fact]
    public void Delivered_never_moves_backwards()
    {
        Assert.Equal(1, RouteStatus.Implied("in_transit", [R(1, "delivered", 40), R(2, "out_for_delivery", 50)])!.Id);
        Assert.Null(RouteStatus.Implied("delivered", [R(3, "in_transit", 60)]));
    }

    [Fact]
    public void A_failed_delivery_then_a_delivery_is_delivered() =>
        Assert.Equal("delivered", RouteStatus.Implied("delivery_failed", [R(1, "delivery_failed", 40), R(2, "delivered", 64)])!.Status);

    [Fact]
    public void Unknown_op_codes_keep_the_previous_status() =>
        Assert.Equal("picked_up", RouteStatus.Implied("pending", [R(1, "picked_up", 1), R(2, null, 5)])!.Status);

    [Fact]
    public void The_first_of_several_deliveries_counts() =>
        Assert.Equal(2, RouteStatus.Implied("out_for_delivery", [R(1, "delivered", 45), R(2, "delivered", 44)])!.Id);

    private static StatusRecord P(long id, string status, int hour, int part) => new(id, status, T0.AddHours(hour), part);

    [Theory]
    [InlineData(3, new[] { 1, 2 }, "out_for_delivery")]     // two of three carrier orders delivered: the third is still out
    [InlineData(3, new[] { 1, 2, 3 }, "delivered")]
    [InlineData(2, new[] { 2 }, "out_for_delivery")]
    public void A_shipment_of_several_carrier_orders_is_delivered_once_every_one_is(int parts, int[] deliveredParts, string expected)
    {
        var records = Enumerable.Range(1, parts).Select(p => P(p, "out_for_delivery", 30 + p, p))
            .Concat(deliveredParts.Select(p => P(10 + p, "delivered", 40 + p, p))).ToList();
        Assert.Equal(expected, RouteStatus.Implied("in_transit", records, parts)!.Status);
    }

    [Fact]
    // Part 1 first delivered at 40 h, part 2 at 43 h (id 5), part 3 at 44 h (id 4): delivered at 44 h.
    public void Several_carrier_orders_are_delivered_at_the_moment_the_last_was_first_delivered() =>
        Assert.Equal(4, RouteStatus.Implied("out_for_delivery",
            [P(1, "delivered", 40, 1), P(2, "delivered", 50, 1), P(3, "delivered", 45, 2), P(4, "delivered", 44, 3), P(5, "delivered", 43, 2)], 3)!.Id);

    [Fact]
    public void A_cancelled_shipment_stays_cancelled() =>
        Assert.Null(RouteStatus.Implied("cancelled", [R(1, "picked_up", 1)]));
}
