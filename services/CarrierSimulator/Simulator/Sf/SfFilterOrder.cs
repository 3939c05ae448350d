namespace MelonChain.CarrierSimulator.Simulator.Sf;

/// <summary>
/// <c>EXP_RECE_FILTER_ORDER_BSP</c>: does SF serve these addresses? <c>filterResult</c> 2 when every contact's city is
/// one it serves (北京, 上海 and any 广东省 city), 3 otherwise; with the origin's and destination's city codes.
/// </summary>
public static class SfFilterOrder
{
    public static IResult Handle(SfCall call)
    {
        var contacts = call.Msg.Arr("contactInfos");
        if (contacts.Count == 0) return SfEnvelope.Gateway(SfEnvelope.MissingParameters, "contactInfos");
        string City(Payload c) => Cities.Normalize(c.Str("city") ?? Cities.AtStartOf(c.Str("address")));
        bool Serves(Payload c) => Cities.Served(City(c)) || c.Str("province") is "广东省" or "广东";
        var serves = contacts.All(Serves);
        var origin = contacts.FirstOrDefault(c => c.Int("contactType") == 1);
        var destination = contacts.FirstOrDefault(c => c.Int("contactType") == 2);
        return SfEnvelope.Success(new
        {
            orderId = call.Msg.Str("orderId"),
            filterResult = serves ? 2 : 3,
            originCode = origin is { } o ? Cities.SfCode(City(o)) : "",
            destCode = destination is { } d && serves ? Cities.SfCode(City(d)) : "",
            remark = serves ? "" : "超出服务范围",
        });
    }
}
