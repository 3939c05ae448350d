using System.Text.Json;

namespace MelonChain.CarrierSimulator.Simulator.Jd;

/// <summary>One accepted call: its business parameters as read and as sent, the orders and the faults in force.</summary>
public sealed record JdCall(string Method, Payload Param, string ParamJson, OrderBook Book, Faults Faults);

/// <summary>
/// <c>POST /routerjson</c>: JD's open-platform gateway. Checks the form fields (21 naming the one missing), the app key
/// and access token (67) and the sign (19), then answers the method. The same faults as SF's gateway apply:
/// outage 503, errors (HTTP 500 or "1" system busy) before or after the call takes effect, rate limiting "7",
/// latency, timeouts and answer delays.
/// </summary>
public static class JdGateway
{
    private static readonly string[] Required = ["method", "app_key", "access_token", "timestamp", "v", "360buy_param_json", "sign"];

    public static void MapJdGateway(this IEndpointRouteBuilder app) =>
        app.MapPost("/routerjson", Handle).DisableAntiforgery().WithTags("JD open platform");

    private static async Task<IResult> Handle(HttpRequest http, OrderBook book, FaultSwitch faults, IConfiguration config, CancellationToken ct)
    {
        var f = faults.Current;
        var (before, failAfter) = await FaultSwitch.BeforeCallAsync(f, ct);
        switch (before)
        {
            case Injected.Outage: return Results.StatusCode(503);
            case Injected.RateLimited: return JdEnvelope.Error(JdEnvelope.RateLimited, "调用频率超限", "call limit exceeded");
            case Injected.Error: return Error(f);
        }
        if (f.Refusal is { } refusal)
            return refusal == "token" ? JdEnvelope.Error(JdEnvelope.NoPermission, "无效的app_key或access_token", "invalid app_key or access_token")
                : JdEnvelope.Error(JdEnvelope.InvalidSign, "签名无效", "invalid signature");

        if (!http.HasFormContentType) return JdEnvelope.Missing("form content");
        var form = (await http.ReadFormAsync(ct)).ToDictionary(p => p.Key, p => p.Value.ToString());
        if (Required.FirstOrDefault(k => string.IsNullOrEmpty(form.GetValueOrDefault(k))) is { } missing) return JdEnvelope.Missing(missing);
        if (form["app_key"] != config["Simulator:Jd:AppKey"] || form["access_token"] != config["Simulator:Jd:AccessToken"])
            return JdEnvelope.Error(JdEnvelope.NoPermission, "无效的app_key或access_token", "invalid app_key or access_token");
        if (!JdEnvelope.SignMatches(JdEnvelope.Sign(config["Simulator:Jd:AppSecret"]!, form), form["sign"]))
            return JdEnvelope.Error(JdEnvelope.InvalidSign, "签名无效", "invalid signature");
        if (ChinaText.Parse(form["timestamp"]) is null) return JdEnvelope.Missing("timestamp");
        if (form["v"] != "2.0") return JdEnvelope.Missing("v");

        Payload param;
        try { param = Payload.Parse(form["360buy_param_json"]); }
        catch (JsonException) { return JdEnvelope.Missing("360buy_param_json"); }
        var call = new JdCall(form["method"], param, form["360buy_param_json"], book, f);
        var result = call.Method switch
        {
            JdEnvelope.ReceiveWaybill => JdReceiveWaybill.Handle(call),
            JdEnvelope.OrderGet => JdOrderGet.Handle(call),
            JdEnvelope.TraceGet => JdTraces.Handle(call),
            JdEnvelope.Intercept => JdIntercept.Handle(call),
            JdEnvelope.RangeCheck => JdRangeCheck.Handle(call),
            JdEnvelope.ActualFee => JdActualFee.Handle(call),
            JdEnvelope.CloudPrintRender => JdCloudPrint.Handle(call),
            var other => JdEnvelope.Error(JdEnvelope.NoPermission, $"无权调用 {other}", $"no permission for {other}"),
        };
        await FaultSwitch.AfterCallAsync(f, ct);
        return failAfter ? Error(f) : result;
    }

    private static IResult Error(Faults f) =>
        FaultSwitch.AsServerError(f) ? Results.StatusCode(500) : JdEnvelope.Error(JdEnvelope.SystemBusy, "系统繁忙，请稍后重试", "system busy");
}
