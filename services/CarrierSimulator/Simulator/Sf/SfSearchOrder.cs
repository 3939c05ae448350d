namespace MelonChain.CarrierSimulator.Simulator.Sf;

/// <summary><c>EXP_RECE_SEARCH_ORDER_RESP</c>: an order by orderId (how a retry learns its first attempt succeeded); 8018 when there is none.</summary>
public static class SfSearchOrder
{
    public static IResult Handle(SfCall call) =>
        call.Msg.Str("orderId") is { } id && call.Book.Find(Carriers.Sf, id) is { } order
            ? SfEnvelope.Success(Result(order))
            : SfEnvelope.Failure(SfEnvelope.OrderNotFound, "订单不存在");

    public static object Result(SimOrder order) =>
        new { orderId = order.OrderId, waybillNoInfoList = SfEnvelope.WaybillNoInfoList(order.Waybills), filterResult = 2, remark = (string?)null };
}
