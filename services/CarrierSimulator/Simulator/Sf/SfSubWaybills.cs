namespace MelonChain.CarrierSimulator.Simulator.Sf;

/// <summary>
/// <c>EXP_RECE_GET_SUB_MAILNO</c>: <c>parcelQty</c> more child waybills for an order that has no route record yet
/// (8168 once it has one), up to 300 parcels in all; an unknown or cancelled order is 8018.
/// </summary>
public static class SfSubWaybills
{
    public static IResult Handle(SfCall call)
    {
        if (call.Msg.Str("orderId") is not { } id || call.Book.Find(Carriers.Sf, id) is not { Cancelled: false } order)
            return SfEnvelope.Failure(SfEnvelope.OrderNotFound, "订单不存在");
        var count = call.Msg.Int("parcelQty") ?? 0;
        if (count < 1 || order.Parcels + count > 300) return SfEnvelope.Gateway(SfEnvelope.MissingParameters, "parcelQty: 1 or more, 300 parcels per order at most");
        if (call.Book.Due(order).Count > 0) return SfEnvelope.Failure(SfEnvelope.HasRoutes, "订单已产生路由，不可追加子单");
        var more = call.Book.AddChildWaybills(order, count);
        return SfEnvelope.Success(new { orderId = order.OrderId, waybillNoInfoList = SfEnvelope.WaybillNoInfoList(more, allChildren: true) });
    }
}
