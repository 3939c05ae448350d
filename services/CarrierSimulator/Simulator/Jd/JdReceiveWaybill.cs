namespace MelonChain.CarrierSimulator.Simulator.Jd;

/// <summary>
/// <c>jingdong.ldop.waybill.receive</c>: an order for door pickup from <c>pickUpStartTime</c>. Products: goodsType 2 is
/// jd_cold (冷链 10–12 °C), otherwise jd_express. The sender city is the one <c>senderAddress</c> starts with (江门市 when
/// it names none the simulator knows); the receiver city is <c>city</c>. One deliveryId (<c>JD</c> + 13 digits) and a
/// package code <c>{deliveryId}-{i}-{n}-</c> per package. A repeated orderId answers resultCode 106 with the same
/// deliveryId and package codes and is counted as a duplicate create; missing fields are error 21.
/// </summary>
public static class JdReceiveWaybill
{
    public static IResult Handle(JdCall call)
    {
        var p = call.Param;
        var count = p.Int("packageCount");
        var missing = new[]
        {
            ("customerCode", p.Str("customerCode") is null), ("orderId", p.Str("orderId") is null),
            ("senderName", p.Str("senderName") is null), ("senderAddress", p.Str("senderAddress") is null),
            ("senderTel", (p.Str("senderTel") ?? p.Str("senderMobile")) is null),
            ("receiveName", p.Str("receiveName") is null), ("receiveAddress", p.Str("receiveAddress") is null), ("city", p.Str("city") is null),
            ("receiveTel", (p.Str("receiveTel") ?? p.Str("receiveMobile")) is null),
            ("packageCount", count is not (>= 1 and <= 300)), ("weight", p.Dec("weight") is not >= 0),
        }.FirstOrDefault(f => f.Item2).Item1;
        if (missing is not null) return JdEnvelope.Missing(missing);

        var senderCity = Cities.AtStartOf(p.Str("senderAddress")) ?? Cities.Jiangmen;
        var (order, created) = call.Book.Create(new Booking(Carriers.Jd, p.Str("orderId")!, p.Int("goodsType") == 2 ? "jd_cold" : "jd_express",
            count!.Value, (long)decimal.Round(p.Dec("weight")!.Value * 1000, MidpointRounding.AwayFromZero),
            (long)decimal.Round(p.Dec("vloumn") ?? 0, MidpointRounding.AwayFromZero), senderCity,
            Cities.Address(senderCity, null, p.Str("senderAddress")), Cities.Normalize(p.Str("city")),
            ChinaText.Parse(p.Str("pickUpStartTime")), call.ParamJson), call.Faults);
        return JdEnvelope.Answer(call.Method, created ? Result(order, JdEnvelope.Success, "成功") : Result(order, 106, "订单号已存在"));
    }

    public static object Result(SimOrder order, int resultCode, string resultMessage)
    {
        var deliveryId = order.Waybills[0];
        return new
        {
            resultCode, resultMessage, orderId = order.OrderId, deliveryId,
            packageCodes = Enumerable.Range(1, order.Parcels).Select(i => $"{deliveryId}-{i}-{order.Parcels}-").ToList(),
            promiseTimeType = 1, goodsType = order.Product == "jd_cold" ? 2 : 1,
        };
    }
}
