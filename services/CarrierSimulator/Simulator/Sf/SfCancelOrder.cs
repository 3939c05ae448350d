namespace MelonChain.CarrierSimulator.Simulator.Sf;

/// <summary>
/// <c>EXP_RECE_UPDATE_ORDER</c>: <c>dealType</c> 2 cancels the order until it is picked up (then 8037); other deal
/// types are confirmed and change nothing. An unknown order is 8018.
/// </summary>
public static class SfCancelOrder
{
    public static IResult Handle(SfCall call)
    {
        if (call.Msg.Str("orderId") is not { } id || call.Book.Find(Carriers.Sf, id) is not { } order)
            return SfEnvelope.Failure(SfEnvelope.OrderNotFound, "订单不存在");
        if (call.Msg.Int("dealType") != 2) return SfEnvelope.Success(new { orderId = order.OrderId });
        if (call.Book.PickedUp(order)) return SfEnvelope.Failure(SfEnvelope.AlreadyPickedUp, "已揽收，不可取消");
        order.Cancelled = true;
        return SfEnvelope.Success(new { orderId = order.OrderId, resStatus = 2 });
    }
}
