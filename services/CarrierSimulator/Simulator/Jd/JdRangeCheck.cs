namespace MelonChain.CarrierSimulator.Simulator.Jd;

/// <summary>
/// <c>jingdong.etms.range.check</c>: rcode 100 when the receive address starts with a city the simulator serves
/// (北京, 上海 and every 广东省 city), else 200 "超区".
/// </summary>
public static class JdRangeCheck
{
    public static IResult Handle(JdCall call)
    {
        if (call.Param.Str("receiveAddress") is not { } address) return JdEnvelope.Missing("receiveAddress");
        return JdEnvelope.Answer(call.Method, Cities.AtStartOf(address) is not null
            ? new { rcode = JdEnvelope.Success, rmessage = "成功" }
            : new { rcode = 200, rmessage = "超区" });
    }
}
