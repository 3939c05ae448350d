namespace MelonChain.CarrierSimulator.Simulator.Jd;

/// <summary>
/// <c>jingdong.ldop.order.actualfee.query</c> (JD's actual-fee query, by the customer's orderId): once collected, the
/// freight JD bills — the latest bill version due (<see cref="Billing"/>), in yuan with two decimals, with its
/// <c>version</c>. resultCode 101 when there is no such order, 102 "未揽收" before pickup or when cancelled.
/// </summary>
public static class JdActualFee
{
    public static IResult Handle(JdCall call)
    {
        if (call.Param.Str("orderId") is not { } orderId) return JdEnvelope.Missing("orderId");
        if (call.Book.Find(Carriers.Jd, orderId) is not { } order)
            return JdEnvelope.Answer(call.Method, new { resultCode = 101, resultMessage = "订单不存在", orderId });
        if (order.Cancelled || !call.Book.PickedUp(order) || call.Book.DueBills(order).LastOrDefault() is not { } bill)
            return JdEnvelope.Answer(call.Method, new { resultCode = 102, resultMessage = "未揽收", orderId });
        return JdEnvelope.Answer(call.Method, new
        {
            resultCode = JdEnvelope.Success, resultMessage = "成功", orderId, deliveryId = order.Waybills[0],
            actualFee = bill.AmountFen / 100m, version = bill.Version, weight = order.Booking.TotalGrams / 1000m,
        });
    }
}
