namespace MelonChain.CarrierSimulator.Simulator.Sf;

/// <summary>
/// <c>EXP_RECE_REGISTER_ROUTE</c>: subscribes waybills (<c>type</c> "1", <c>attributeNo</c> "SF…,SF…") to route pushes.
/// Every order's routes are pushed anyway, so this only records the subscription; an unknown waybill is 8018.
/// </summary>
public static class SfRegisterRoute
{
    public static IResult Handle(SfCall call)
    {
        var waybills = call.Msg.Strings("attributeNo");
        if (call.Msg.Int("type") != 1 || waybills.Count == 0)
            return SfEnvelope.Gateway(SfEnvelope.MissingParameters, "type 1 and attributeNo (waybill numbers, comma-separated)");
        var orders = waybills.Select(w => (Waybill: w, Order: SfGateway.OrderOf(call.Book, 1, w))).ToList();
        if (orders.FirstOrDefault(o => o.Order is null) is { Waybill: { } unknown })
            return SfEnvelope.Failure(SfEnvelope.OrderNotFound, $"运单不存在 {unknown}");
        foreach (var (waybill, order) in orders)
            lock (order!.Subscribed) order.Subscribed.Add(waybill);
        return SfEnvelope.Success(null);
    }
}
