namespace MelonChain.CarrierSimulator.Simulator.Sf;

/// <summary>
/// <c>EXP_RECE_SEARCH_ROUTES</c>: the due route records of 1 to 10 waybills (<c>trackingType</c> 1) or of every waybill
/// of 1 to 10 orders (<c>trackingType</c> 2, by the customer's orderId). The boxes of an order travel as one, so each
/// waybill reports its order's records; a cancelled or unknown one reports none.
/// </summary>
public static class SfSearchRoutes
{
    public static IResult Handle(SfCall call)
    {
        var numbers = call.Msg.Strings("trackingNumber");
        var type = call.Msg.Int("trackingType") ?? 1;
        if (numbers.Count is 0 or > 10) return SfEnvelope.Gateway(SfEnvelope.MissingParameters, "trackingNumber: 1 to 10 numbers");
        if (type is not (1 or 2)) return SfEnvelope.Gateway(SfEnvelope.MissingParameters, "trackingType: 1 (waybill) or 2 (order id)");
        var resps = type == 2
            ? numbers.SelectMany(id => call.Book.Find(Carriers.Sf, id) is { } order
                ? order.Waybills.Select(w => new { mailNo = w, routes = Routes(call.Book, order) })
                : []).ToList()
            : numbers.Select(no => new { mailNo = no, routes = Routes(call.Book, SfGateway.OrderOf(call.Book, 1, no)) }).ToList();
        return SfEnvelope.Success(new { routeResps = resps });
    }

    public static IReadOnlyList<object> Routes(OrderBook book, SimOrder? order) => order is { Cancelled: false }
        ? book.Due(order).Select(r => (object)new
        {
            acceptTime = ChinaText.Format(OrderBook.StampOf(order, r)), acceptAddress = r.Address, remark = r.Remark, opCode = r.Code,
        }).ToList()
        : [];
}
