namespace MelonChain.CarrierSimulator.Simulator.Sf;

/// <summary>
/// <c>EXP_RECE_QUERY_SFWAYBILL</c>: what SF bills for a waybill (<c>trackingType</c> 1) or an order (2), once picked up
/// (before that, 20012 "运单未揽收"): chargeable kg, parcels and the freight billed so far — the latest bill version due
/// (<see cref="Billing"/>), the same amount and <c>versionNo</c> the fee push carries (no fee line off the tariff).
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
        var chargeable = line is null ? b.TotalGrams
            : Tariff.Quote(line, Tariff.VolumetricDivisor(b.SenderCity, b.ReceiverCity), order.Parcels, b.TotalGrams, b.VolumeCm3).ChargeableGrams;
        var latest = call.Book.DueBills(order).LastOrDefault();
        return SfEnvelope.Success(new
        {
            waybillNo = type == 1 ? number : order.Waybills[0],
            orderId = order.OrderId,
            meterageWeightQty = chargeable / 1000m,
            quantity = order.Parcels,
            waybillFeeList = latest is null ? [] : new[] { new { type = SfFees.FreightType, name = SfFees.FreightName, value = latest.AmountFen / 100m, versionNo = latest.Version } },
        });
    }
}
