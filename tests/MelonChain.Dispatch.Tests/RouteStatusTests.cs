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

    [Fact]
    public void A_cancelled_shipment_stays_cancelled() =>
        Assert.Null(RouteStatus.Implied("cancelled", [R(1, "picked_up", 1)]));
}
