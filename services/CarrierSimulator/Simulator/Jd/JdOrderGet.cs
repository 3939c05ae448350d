namespace MelonChain.CarrierSimulator.Simulator.Jd;

/// <summary><c>jingdong.ldop.order.get</c>: an order by the customer's orderId, as create answered it; resultCode 101 when there is none.</summary>
public static class JdOrderGet
{
    public static IResult Handle(JdCall call)
    {
        if (call.Param.Str("orderId") is not { } orderId) return JdEnvelope.Missing("orderId");
        return JdEnvelope.Answer(call.Method, call.Book.Find(Carriers.Jd, orderId) is { } order
            ? JdReceiveWaybill.Result(order, JdEnvelope.Success, "成功")
            : new { resultCode = 101, resultMessage = "订单不存在", orderId });
    }
}
