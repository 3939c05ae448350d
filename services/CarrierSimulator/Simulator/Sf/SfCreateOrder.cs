namespace MelonChain.CarrierSimulator.Simulator.Sf;

/// <summary>
/// <c>EXP_RECE_CREATE_ORDER</c>: one order, one master waybill and parcelQty − 1 children (<c>SF</c> + 13 digits).
/// Needs an orderId, cargo, a sender and a receiver with their cities, a monthly card unless the receiver pays
/// (<c>payMethod</c> 2), a known <c>expressTypeId</c> and 1 to 300 parcels; anything missing is A1001 naming it.
/// A repeated orderId is 8016 (counted in duplicateCreates); search then finds the first order.
/// Phones may come as <c>tel</c>, <c>mobile</c> or both; <c>sendStartTm</c> sets the pickup time.
/// </summary>
public static class SfCreateOrder
{
    public static IResult Handle(SfCall call)
    {
        var m = call.Msg;
        var contacts = m.Arr("contactInfoList");
        var sender = contacts.FirstOrDefault(c => c.Int("contactType") == 1);
        var receiver = contacts.FirstOrDefault(c => c.Int("contactType") == 2);
        var orderId = m.Str("orderId");
        var parcels = m.Int("parcelQty") ?? 1;
        var missing = new List<string>();
        if (orderId is null) missing.Add("orderId");
        if (m.Arr("cargoDetails").Count == 0) missing.Add("cargoDetails");
        if (sender is not { } s || s.Str("city") is null || s.Str("address") is null || Phone(s) is null) missing.Add("contactInfoList[sender]");
        if (receiver is not { } r || r.Str("city") is null || r.Str("address") is null || Phone(r) is null) missing.Add("contactInfoList[receiver]");
        if (m.Str("monthlyCard") is null && m.Int("payMethod") != 2) missing.Add("monthlyCard");
        var product = m.Int("expressTypeId") is { } type ? Tariff.SfProducts.GetValueOrDefault(type) : null;
        if (product is null) missing.Add("expressTypeId");
        if (parcels is < 1 or > 300) missing.Add("parcelQty");
        if (missing.Count > 0) return SfEnvelope.Gateway(SfEnvelope.MissingParameters, "missing or invalid: " + string.Join(", ", missing));

        var (from, to) = (sender!, receiver!);
        var senderCity = Cities.Normalize(from.Str("city"));
        var (order, created) = call.Book.Create(new Booking(Carriers.Sf, orderId!, product!, parcels, Grams(m),
            VolumeCm3: 0, senderCity, Cities.Address(senderCity, from.Str("county"), from.Str("address")), Cities.Normalize(to.Str("city")),
            ChinaText.Parse(m.Str("sendStartTm")), call.MsgData), call.Faults);
        return created
            ? SfEnvelope.Success(SfSearchOrder.Result(order))
            : SfEnvelope.Failure(SfEnvelope.DuplicateOrderId, $"重复下单 orderId {orderId}");
    }

    private static string? Phone(Payload contact) => contact.Str("mobile") ?? contact.Str("tel");

    /// <summary><c>totalWeight</c> in kg, else the cargo lines' weights added up.</summary>
    private static long Grams(Payload m)
    {
        var kg = m.Dec("totalWeight") is > 0 and { } total ? total : m.Arr("cargoDetails").Sum(c => c.Dec("weight") ?? 0);
        return (long)decimal.Round(kg * 1000, MidpointRounding.AwayFromZero);
    }
}
