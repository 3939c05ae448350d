using System.Text.Json;

namespace MelonChain.CarrierSimulator.Simulator.Sf;

/// <summary>One accepted call: its msgData as read and as sent, the orders and the faults in force.</summary>
public sealed record SfCall(Payload Msg, string MsgData, OrderBook Book, Faults Faults);

/// <summary>What a cloud-print call needs beyond the call: the partner (its templates' suffix), the files, where they are fetched.</summary>
public sealed record SfPrintDesk(string PartnerId, CloudPrint.PrintFiles Files, string BaseUrl);

/// <summary>
/// <c>POST /std/service</c>: SF's open-platform gateway. Checks the form fields (A1001), the partner (A1004) and the
/// digest (A1006), then answers the business result inside <c>apiResultData</c>. Injected faults apply before or
/// after the call takes effect.
/// </summary>
public static class SfGateway
{
    public static void MapSfGateway(this IEndpointRouteBuilder app) =>
        app.MapPost("/std/service", Handle).DisableAntiforgery().WithTags("SF open platform");

    private static async Task<IResult> Handle(
        HttpRequest http, OrderBook book, FaultSwitch faults, CloudPrint.PrintFiles files, IConfiguration config, CancellationToken ct)
    {
        var f = faults.Current;
        var (before, failAfter) = await FaultSwitch.BeforeCallAsync(f, ct);
        switch (before)
        {
            case Injected.Outage: return Results.StatusCode(503);
            case Injected.RateLimited: return SfEnvelope.Gateway(SfEnvelope.RateLimited, "rate limited: 30 calls/s per API");
            case Injected.Error: return Error(f);
        }
        if (f.Refusal is { } refusal)
            return refusal == "token" ? SfEnvelope.Gateway(SfEnvelope.NoPermission, "unknown partner") : SfEnvelope.Gateway(SfEnvelope.BadDigest, "msgDigest does not match");

        if (!http.HasFormContentType) return SfEnvelope.Gateway(SfEnvelope.MissingParameters, "form content expected");
        var form = await http.ReadFormAsync(ct);
        string? Field(string name) => form.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v.ToString()) ? v.ToString() : null;
        var (partner, requestId, service, timestamp, msgData, digest) =
            (Field("partnerID"), Field("requestID"), Field("serviceCode"), Field("timestamp"), Field("msgData"), Field("msgDigest"));
        if (partner is null || requestId is null || service is null || timestamp is null || msgData is null || digest is null)
            return SfEnvelope.Gateway(SfEnvelope.MissingParameters, "partnerID, requestID, serviceCode, timestamp, msgData and msgDigest are required");
        if (partner != config["Simulator:PartnerId"])
            return SfEnvelope.Gateway(SfEnvelope.NoPermission, "unknown partner");
        // The digest covers the timestamp as sent: seconds or milliseconds alike.
        if (!SfEnvelope.DigestMatches(SfEnvelope.Digest(msgData, timestamp, config["Simulator:CheckWord"]!), digest))
            return SfEnvelope.Gateway(SfEnvelope.BadDigest, "msgDigest does not match");

        Payload msg;
        try { msg = Payload.Parse(msgData); }
        catch (JsonException e) { return SfEnvelope.Gateway(SfEnvelope.MissingParameters, "msgData: " + e.Message); }
        var call = new SfCall(msg, msgData, book, f);
        var result = service switch
        {
            SfEnvelope.CreateOrder => SfCreateOrder.Handle(call),
            SfEnvelope.SearchOrder => SfSearchOrder.Handle(call),
            SfEnvelope.UpdateOrder => SfCancelOrder.Handle(call),
            SfEnvelope.SearchRoutes => SfSearchRoutes.Handle(call),
            SfEnvelope.QueryDeliverTime => SfDeliverTime.Handle(call),
            SfEnvelope.FilterOrder => SfFilterOrder.Handle(call),
            SfEnvelope.GetSubMailNo => SfSubWaybills.Handle(call),
            SfEnvelope.QuerySfWaybill => SfBilledFreight.Handle(call),
            SfEnvelope.RegisterRoute => SfRegisterRoute.Handle(call),
            SfEnvelope.CloudPrintWaybills => SfCloudPrint.Handle(call, new SfPrintDesk(partner, files, $"{http.Scheme}://{http.Host}/")),
            _ => SfEnvelope.Gateway(SfEnvelope.NoPermission, $"no permission for {service}"),
        };
        await FaultSwitch.AfterCallAsync(f, ct);
        return failAfter ? Error(f) : result;
    }

    private static IResult Error(Faults f) =>
        FaultSwitch.AsServerError(f) ? Results.StatusCode(500) : SfEnvelope.Gateway(SfEnvelope.SystemError, "系统异常");

    /// <summary>An order by the customer's orderId (<c>trackingType</c> 2) or by any of its waybills (1).</summary>
    public static SimOrder? OrderOf(OrderBook book, int? trackingType, string number) =>
        trackingType == 2 ? book.Find(Carriers.Sf, number) : book.ByWaybill(number) is { Carrier: Carriers.Sf } o ? o : null;
}
