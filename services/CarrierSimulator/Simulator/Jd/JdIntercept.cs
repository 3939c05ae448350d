namespace MelonChain.CarrierSimulator.Simulator.Jd;

/// <summary>
/// <c>jingdong.ldop.receive.order.intercept</c>: cancels an order before pickup (stateCode 100); after pickup 203, an
/// unknown deliveryId 201.
/// </summary>
public static class JdIntercept
{
    public static IResult Handle(JdCall call)
    {
        if (call.Param.Str("deliveryId") is not { } deliveryId) return JdEnvelope.Missing("deliveryId");
        if (call.Book.ByWaybill(deliveryId) is not { Carrier: Carriers.Jd } order)
            return JdEnvelope.Answer(call.Method, new { stateCode = 201, stateMessage = "运单不存在" });
        if (call.Book.PickedUp(order) && !order.Cancelled)
            return JdEnvelope.Answer(call.Method, new { stateCode = 203, stateMessage = "已揽收，不可拦截" });
        order.Cancelled = true;
        return JdEnvelope.Answer(call.Method, new { stateCode = JdEnvelope.Success, stateMessage = "成功" });
    }
}
