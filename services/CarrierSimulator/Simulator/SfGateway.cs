using System.Text.Json;
using MelonChain.Dispatch.Features.Carrier;
using MelonChain.Dispatch.Features.Rates;

namespace MelonChain.CarrierSimulator.Simulator;

/// <summary>
/// <c>POST /std/service</c>: SF's open-platform gateway for the service codes Dispatch uses. Checks the form
/// fields (A1001), the partner (A1004) and the digest (A1006), then answers the business result inside
/// <c>apiResultData</c>. Injected faults (<see cref="Faults"/>) apply before or after the call takes effect.
/// </summary>
public static class SfGateway
{
    public static void MapSfGateway(this IEndpointRouteBuilder app) =>
        app.MapPost("/std/service", Handle).DisableAntiforgery().WithTags("SF open platform");

    private static async Task<IResult> Handle(HttpRequest http, OrderBook book, FaultSwitch faults, IConfiguration config, CancellationToken ct)
    {
        var f = faults.Current;
        if (f.Outage) return Results.StatusCode(503);
        if (f.LatencyMs > 0) await Task.Delay(Random.Shared.Next(f.LatencyMs / 2, f.LatencyMs + 1), ct);
        if (FaultSwitch.Roll(f.TimeoutShare)) await Task.Delay(f.TimeoutMs, ct);
        if (FaultSwitch.Roll(f.RateLimitShare)) return Gateway(SfProtocol.RateLimited, "rate limited: 30 calls/s per API");
        var failAfter = false;
        if (FaultSwitch.Roll(f.ErrorShare))
        {
            if (Random.Shared.Next(2) == 0) return Error(f);
            failAfter = true;
        }

        if (!http.HasFormContentType) return Gateway(SfProtocol.MissingParameters, "form content expected");
        var form = await http.ReadFormAsync(ct);
        string? Field(string name) => form.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v.ToString()) ? v.ToString() : null;
        var (partner, requestId, service, timestamp, msgData, digest) =
            (Field("partnerID"), Field("requestID"), Field("serviceCode"), Field("timestamp"), Field("msgData"), Field("msgDigest"));
        if (partner is null || requestId is null || service is null || timestamp is null || msgData is null || digest is null)
            return Gateway(SfProtocol.MissingParameters, "partnerID, requestID, serviceCode, timestamp, msgData and msgDigest are required");
        if (partner != config["Simulator:PartnerId"])
            return Gateway(SfProtocol.NoPermission, "unknown partner");
        if (!SfProtocol.DigestMatches(SfProtocol.Digest(msgData, timestamp, config["Simulator:CheckWord"]!), digest))
            return Gateway(SfProtocol.BadDigest, "msgDigest does not match");

        IResult result;
        try
        {
            result = service switch
            {
                SfProtocol.CreateOrder => Create(Parse<SfCreateOrder>(msgData), book, f, msgData),
                SfProtocol.SearchOrder => Search(Parse<SfSearchOrder>(msgData), book),
                SfProtocol.UpdateOrder => Update(Parse<SfUpdateOrder>(msgData), book),
                SfProtocol.SearchRoutes => Routes(Parse<SfSearchRoutes>(msgData), book),
                SfProtocol.QueryDeliverTime => DeliverTime(Parse<SfDeliverTimeQuery>(msgData)),
                _ => Gateway(SfProtocol.NoPermission, $"no permission for {service}"),
            };
        }
        catch (JsonException e) { return Gateway(SfProtocol.MissingParameters, "msgData: " + e.Message); }
        if (f.AnswerDelayMs > 0) await Task.Delay(f.AnswerDelayMs, ct);
        return failAfter ? Error(f) : result;
    }

    private static T Parse<T>(string msgData) => JsonSerializer.Deserialize<T>(msgData, SfProtocol.Json) ?? throw new JsonException("empty");

    private static IResult Create(SfCreateOrder o, OrderBook book, Faults f, string msgData)
    {
        var receiver = o.ContactInfoList?.FirstOrDefault(c => c?.ContactType == 2);
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(o.OrderId)) missing.Add("orderId");
        if (o.CargoDetails is not { Count: > 0 }) missing.Add("cargoDetails");
        if (o.ContactInfoList?.Any(c => c?.ContactType == 1) != true) missing.Add("contactInfoList[sender]");
        if (receiver is null || string.IsNullOrWhiteSpace(receiver.City)) missing.Add("contactInfoList[receiver]");
        if (string.IsNullOrWhiteSpace(o.MonthlyCard) && o.PayMethod != 2) missing.Add("monthlyCard");
        var product = RateCalculator.ExpressTypeIds.FirstOrDefault(p => p.Value == o.ExpressTypeId).Key;
        if (product is null) missing.Add("expressTypeId");
        if (o.ParcelQty is < 1 or > 300) missing.Add("parcelQty");
        if (missing.Count > 0) return Gateway(SfProtocol.MissingParameters, "missing or invalid: " + string.Join(", ", missing));

        var (order, created) = book.Create(o.OrderId, o.ParcelQty, product!, receiver!.City, f, msgData);
        if (!created) return Business<object>(false, SfProtocol.DuplicateOrderId, $"重复下单 orderId {o.OrderId}", null);
        return Business(true, "S0000", null, OrderResult(order));
    }

    private static SfOrderResult OrderResult(SimOrder order) => new(order.OrderId,
        order.Waybills.Select((w, i) => new SfWaybillNo(i == 0 ? 1 : 2, w)).ToList(), FilterResult: 2, Remark: null);

    private static IResult Search(SfSearchOrder q, OrderBook book) =>
        book.Find(q.OrderId) is { } order
            ? Business(true, "S0000", null, OrderResult(order))
            : Business<object>(false, SfProtocol.OrderNotFound, "订单不存在", null);

    private static IResult Update(SfUpdateOrder u, OrderBook book)
    {
        if (book.Find(u.OrderId) is not { } order) return Business<object>(false, SfProtocol.OrderNotFound, "订单不存在", null);
        if (u.DealType != 2) return Business(true, "S0000", null, new { orderId = order.OrderId });
        if (book.Due(order).Any(r => r.OpCode == "50"))
            return Business<object>(false, "8037", "已揽收，不可取消", null);
        order.Cancelled = true;
        return Business(true, "S0000", null, new { orderId = order.OrderId, resStatus = 2 });
    }

    private static IResult Routes(SfSearchRoutes q, OrderBook book)
    {
        if (q.TrackingNumber is not { Count: > 0 and <= 10 }) return Gateway(SfProtocol.MissingParameters, "trackingNumber: 1 to 10 waybills");
        if (q.TrackingType is not (1 or 2)) return Gateway(SfProtocol.MissingParameters, "trackingType: 1 (waybill) or 2 (order id)");
        IReadOnlyList<SfRoute> Of(SimOrder? order) => order is { Cancelled: false }
            ? book.Due(order).Select(r => new SfRoute(SfProtocol.ChinaTimeText(OrderBook.StampOf(order, r)), r.Address, r.Remark, r.OpCode)).ToList()
            : [];
        // By order id: every waybill of that order, each with the order's routes (the boxes travel as one).
        var resps = q.TrackingType == 2
            ? q.TrackingNumber.SelectMany(id => book.Find(id) is { } order
                ? order.Waybills.Select(w => new SfRouteResp(w, Of(order)))
                : []).ToList()
            : q.TrackingNumber.Select(no => new SfRouteResp(no, Of(book.ByWaybill(no)))).ToList();
        return Business(true, "S0000", null, new SfRoutesResult(resps));
    }

    private static IResult DeliverTime(SfDeliverTimeQuery q)
    {
        var product = RateCalculator.ExpressTypeIds.FirstOrDefault(p => p.Value == q.BusinessType).Key;
        var line = product is null ? null : RateCalculator.Find(RateCalculator.DefaultCard, product, q.DestAddress?.City ?? "");
        if (line is null) return Business<object>(false, "8114", "不支持的流向或产品", null);
        var price = RateCalculator.Quote(line, [new ParcelSpec((long)(q.Weight * 1000))]);
        var consigned = SfProtocol.TryParseChinaTime(q.ConsignedTime, out var at) ? at : DateTimeOffset.UtcNow;
        return Business(true, "S0000", null, new SfDeliverTimeResult(
            [new SfDeliverTime(q.BusinessType, product!, SfProtocol.ChinaTimeText(consigned.AddDays(line.PromisedDays)), price.ListFen / 100m)]));
    }

    private static IResult Error(Faults f) =>
        f.ErrorKind == "5xx" || (f.ErrorKind == "mixed" && Random.Shared.Next(2) == 0)
            ? Results.StatusCode(500)
            : Gateway(SfProtocol.SystemError, "系统异常");

    private static IResult Gateway(string code, string message) =>
        Results.Json(new SfResponse(code, message, Guid.NewGuid().ToString("N"), null), SfProtocol.Json);

    private static IResult Business<T>(bool success, string code, string? message, T? data) =>
        Results.Json(new SfResponse(SfProtocol.Ok, "", Guid.NewGuid().ToString("N"),
            JsonSerializer.Serialize(new SfResult<T>(success, code, message, data), SfProtocol.Json)), SfProtocol.Json);
}
