namespace MelonChain.CarrierSimulator.Simulator.Sf;

/// <summary>
/// <c>EXP_RECE_QUERY_SFWAYBILL</c>: what SF bills for a waybill (<c>trackingType</c> 1) or an order (2), once picked up
/// (before that, 20012 "运单未揽收"): chargeable kg, parcels and the list freight of the whole order from the
/// simulator's tariff (no fee line when the tariff has no lane for it).
/// </summary>
public static class SfBilledFreight
{
    public static IResult Handle(SfCall call)
    {
        var type = call.Msg.Int("trackingType") ?? 1;
        if (call.Msg.Str("trackingNum") is not { } number || type is not (1 or 2))
            return SfEnvelope.Gateway(SfEnvelope.MissingParameters, "trackingType (1 waybill, 2 order id) and trackingNum");
        if (SfGateway.OrderOf(call.Book, type, number) is not { } order) return SfEnvelope.Failure(SfEnvelope.OrderNotFound, "运单不存在");
        if (order.Cancelled || !call.Book.PickedUp(order)) return SfEnvelope.Failure(SfEnvelope.NotPickedUp, "运单未揽收");

        var b = order.Booking;
        var line = Tariff.Find(b.Product, b.SenderCity, b.ReceiverCity);
        var (listFen, chargeable) = line is null
            ? (0L, b.TotalGrams)
            : Tariff.Quote(line, Tariff.VolumetricDivisor(b.SenderCity, b.ReceiverCity), order.Parcels, b.TotalGrams, b.VolumeCm3);
        return SfEnvelope.Success(new
        {
            waybillNo = type == 1 ? number : order.Waybills[0],
            orderId = order.OrderId,
            meterageWeightQty = chargeable / 1000m,
            quantity = order.Parcels,
            waybillFeeList = line is null ? [] : new[] { new { type = "1", name = "运费", value = listFen / 100m } },
        });
    }
}
