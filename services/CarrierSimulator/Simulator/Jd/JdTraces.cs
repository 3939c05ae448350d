namespace MelonChain.CarrierSimulator.Simulator.Jd;

/// <summary>
/// <c>jingdong.ldop.receive.trace.get</c>: the trace records of a deliveryId due so far, oldest first (JD has no push:
/// clients pull). An unknown waybill is resultCode 101 with no data; a cancelled one has no data.
/// </summary>
public static class JdTraces
{
    public static IResult Handle(JdCall call)
    {
        if (call.Param.Str("waybillCode") is not { } code) return JdEnvelope.Missing("waybillCode");
        var deliveryId = code.Split('-')[0];   // a package code "JD…-1-3-" names its waybill too
        if (call.Book.ByWaybill(deliveryId) is not { Carrier: Carriers.Jd } order)
            return JdEnvelope.Answer(call.Method, new { resultCode = 101, resultMessage = "运单不存在", data = Array.Empty<object>() });
        var data = order.Cancelled ? [] : call.Book.Due(order).Select(r => new
        {
            waybillCode = deliveryId, opeTitle = r.Code, opeRemark = r.Remark, opeName = "京东物流",
            opeTime = ChinaText.Format(OrderBook.StampOf(order, r)),
        }).ToList();
        return JdEnvelope.Answer(call.Method, new { resultCode = JdEnvelope.Success, resultMessage = "成功", data });
    }
}
