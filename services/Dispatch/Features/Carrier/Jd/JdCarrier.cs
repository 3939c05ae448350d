using System.Text.Json;
using MelonChain.Messages;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace MelonChain.Dispatch.Features.Carrier.Jd;

/// <summary>
/// The installation's JD open-platform credentials (app key, app secret, access token), or null when this installation
/// does not speak JD. Each cooperative's JD customer code is its carrier account.
/// </summary>
public sealed record JdSettings(string BaseUrl, string AppKey, string AppSecret, string AccessToken)
{
    public static JdSettings? From(IConfiguration config)
    {
        var s = config.GetSection("Carrier:Jd");
        if (string.IsNullOrEmpty(s["AppKey"])) return null;
        return new JdSettings(
            config["Dispatch:CarrierBaseUrl"] ?? s["BaseUrl"] ?? "http://127.0.0.1:8089/",
            s["AppKey"]!,
            s["AppSecret"] is { Length: > 0 } secret ? secret : throw new InvalidOperationException("Carrier:Jd:AppSecret is not configured (Carrier__Jd__AppSecret)."),
            s["AccessToken"] is { Length: > 0 } token ? token : throw new InvalidOperationException("Carrier:Jd:AccessToken is not configured (Carrier__Jd__AccessToken)."));
    }
}

/// <summary>
/// The JD-style open-platform adapter: the only Dispatch code that knows JD's methods and field names. Every call is a
/// signed form POST to <c>/routerjson</c>. JD gives an order one waybill (deliveryId, the master) and each parcel a
/// package code. It does not push: traces are pulled (RoutePolling, every <c>Dispatch:RoutePolling:PullSeconds</c>).
/// Creating an order is retried here like SF's: a new attempt first asks for the order by its orderId; JD also answers a
/// repeated orderId with the first order (106).
/// </summary>
public sealed class JdCarrier(HttpClient http, JdSettings settings, TimeProvider clock, ILogger<JdCarrier> logger) : ICarrier
{
    private const string SalePlat = "0030001";

    private static readonly ResiliencePipeline BookingRetry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<CarrierUnavailableException>(e => !e.CircuitOpen),
            MaxRetryAttempts = 4,
            Delay = TimeSpan.FromMilliseconds(200),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
        })
        .Build();

    public string Name => Carriers.Jd;

    public IReadOnlyCollection<string> Products { get; } = JdProtocol.GoodsTypes.Keys.ToList();

    public bool PushesRoutes => false;

    public object PushAcknowledgement { get; } = new { code = "0" };

    public async Task<CarrierBooking> BookAsync(BookingRequest request, CancellationToken ct)
    {
        var attempt = 0;
        return await BookingRetry.ExecuteAsync(async token =>
        {
            if ((attempt++ > 0 || request.MayExist) && await FindAsync(request.Account, request.CarrierOrderId, token) is { } earlier)
                return earlier;
            var info = await CallAsync<JdOrderInfo>(JdProtocol.CreateOrder, ToJd(request), idempotent: false, token);
            if (info.ResultCode == JdProtocol.OrderExists)
                logger.LogInformation("Order {OrderId} already exists at JD; using it", request.CarrierOrderId);
            else if (info.ResultCode != JdProtocol.Success)
                throw new CarrierRejectedException(info.ResultCode.ToString(), info.ResultMessage ?? "order refused");
            return ToBooking(info, request.CarrierOrderId);
        }, ct);
    }

    /// <summary>JD has no price-and-promise query: the rate card is the price.</summary>
    public Task<CarrierQuote?> QuoteAsync(string product, long grams, string destinationCity, DateTimeOffset shipAt, CancellationToken ct) =>
        Task.FromResult<CarrierQuote?>(null);

    public Task<CarrierBooking?> FindOrderAsync(string carrierOrderId, string account, CancellationToken ct) => FindAsync(account, carrierOrderId, ct);

    public async Task CancelAsync(string carrierOrderId, string account, CancellationToken ct)
    {
        // JD intercepts by waybill: find the order's waybill first (no order, nothing to cancel).
        if (await FindAsync(account, carrierOrderId, ct) is not { } order) return;
        var result = await CallAsync<JdInterceptResult>(JdProtocol.Intercept,
            new JdIntercept(account, order.MasterWaybillNo, "客户取消订单"), idempotent: true, ct);
        if (result.StateCode == JdProtocol.InterceptPickedUp)
            throw new CarrierPickedUpException(result.StateCode.ToString(), result.StateMessage ?? "already picked up");
        if (result.StateCode is not (JdProtocol.Success or JdProtocol.InterceptNoSuchWaybill))
            throw new CarrierRejectedException(result.StateCode.ToString(), result.StateMessage ?? "intercept refused");
    }

    public async Task<IReadOnlyList<RouteEvent>> RoutesAsync(IReadOnlyList<string> masterWaybillNos, CancellationToken ct)
    {
        if (masterWaybillNos.Count is 0 or > 10) throw new ArgumentOutOfRangeException(nameof(masterWaybillNos), "1 to 10 waybills per query");
        var events = new List<RouteEvent>();
        foreach (var waybill in masterWaybillNos)
        {
            var traces = await CallAsync<JdTraces>(JdProtocol.Traces, new JdTraceQuery(settings.AppKey, waybill), idempotent: true, ct);
            foreach (var t in traces.Data ?? [])
                if (JdProtocol.TryParseChinaTime(t.OpeTime, out var at))
                    events.Add(new RouteEvent(t.WaybillCode ?? waybill, null, t.OpeTitle, JdProtocol.StatusOf(t.OpeTitle), at,
                        t.OpeName ?? "", t.OpeRemark ?? "", JsonSerializer.Serialize(t, JdProtocol.Json)));
        }
        return events;
    }

    /// <summary>JD does not push; anything posted as a JD push is refused.</summary>
    public RoutePush ParsePush(string body, IDictionary<string, string?> headers) => new(false, []);

    /// <summary>JD's cloud print renders one carrier order's packages from its template, the PDF in the answer.</summary>
    public async Task<IReadOnlyList<byte[]>> LabelsAsync(LabelRequest request, CancellationToken ct)
    {
        var result = await CallAsync<JdPrintResult>(JdProtocol.CloudPrintRender, new JdPrintRender(request.Account, request.MasterWaybillNo,
            request.Paper == WaybillLabelPaper.Large ? "jd_100150" : "jd_76130", "pdf",
            request.Parcels.Select(p => new JdPrintPackage(p.WaybillNo, WaybillLabelPaper.CustomArea(p.TraceCode))).ToList()), idempotent: true, ct);
        if (result.ResultCode != JdProtocol.Success || result.Pdf is not { Length: > 0 } pdf)
            throw new CarrierRejectedException(result.ResultCode.ToString(), result.ResultMessage ?? "cloud print refused");
        return [Convert.FromBase64String(pdf)];
    }

    public bool PushesFees => false;

    /// <summary>JD does not push fees: they are asked for (<see cref="BilledFeesAsync"/>).</summary>
    public FeePush ParseFeePush(IReadOnlyDictionary<string, string> form) => new(false, []);

    /// <summary>JD's actual-fee query by the order id: one freight fee on the order's waybill, or null until collected.</summary>
    public async Task<IReadOnlyList<CarrierFee>?> BilledFeesAsync(string carrierOrderId, string masterWaybillNo, string account, CancellationToken ct)
    {
        var fee = await CallAsync<JdActualFee>(JdProtocol.ActualFee, new JdGetOrder(account, carrierOrderId), idempotent: true, ct);
        if (fee.ResultCode is JdProtocol.NotCollected or JdProtocol.NoSuchOrder) return null;
        if (fee.ResultCode != JdProtocol.Success) throw new CarrierRejectedException(fee.ResultCode.ToString(), fee.ResultMessage ?? "actual fee refused");
        if (fee.ActualFee is not { } yuan || Yuan.ToFen(yuan) is not { } fen)
            throw new CarrierRejectedException("fee", $"JD's actual fee of {carrierOrderId} is not an amount in yuan: {fee.ActualFee}");
        return [new CarrierFee(fee.DeliveryId ?? masterWaybillNo, JdProtocol.FreightFeeType, "运费", fen, fee.Version ?? 1)];
    }

    private async Task<CarrierBooking?> FindAsync(string customerCode, string carrierOrderId, CancellationToken ct)
    {
        var info = await CallAsync<JdOrderInfo>(JdProtocol.GetOrder, new JdGetOrder(customerCode, carrierOrderId), idempotent: true, ct);
        return info.ResultCode == JdProtocol.Success ? ToBooking(info, carrierOrderId) : null;
    }

    private JdCreateOrder ToJd(BookingRequest r)
    {
        var kg = r.Parcels.Sum(p => p.Grams) / 1000m;
        return new JdCreateOrder(SalePlat, r.Account, r.CarrierOrderId,
            r.Sender.Name, $"{r.Sender.Province}{r.Sender.City}{r.Sender.County}{r.Sender.Address}", r.Sender.Phone, r.Sender.Company,
            r.Receiver.Name, $"{r.Receiver.Province}{r.Receiver.City}{r.Receiver.County}{r.Receiver.Address}", r.Receiver.Province, r.Receiver.City,
            r.Receiver.County, r.Receiver.Phone, r.Parcels.Count, kg, "杜阮凉瓜 (鲜)", JdProtocol.GoodsTypes[r.Product], JdProtocol.Express,
            JdProtocol.ChinaTimeText(r.PickupFrom), r.Remark);
    }

    private static CarrierBooking ToBooking(JdOrderInfo info, string carrierOrderId)
    {
        if (info.DeliveryId is not { Length: > 0 } waybill || info.PackageCodes is not { Count: > 0 } packages)
            throw new CarrierUnavailableException($"JD order {carrierOrderId} came back without its waybill or package codes");
        return new CarrierBooking(info.OrderId ?? carrierOrderId, waybill, packages);
    }

    /// <summary>One signed call; the business result is the answer's <c>resultInfo</c>. Platform errors worth retrying become <see cref="CarrierUnavailableException"/>.</summary>
    private async Task<T> CallAsync<T>(string method, object payload, bool idempotent, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(payload, payload.GetType(), JdProtocol.Json);
        var form = JdProtocol.Envelope(method, settings.AppKey, settings.AccessToken, json, clock.GetUtcNow(), settings.AppSecret);
        using var request = new HttpRequestMessage(HttpMethod.Post, "routerjson") { Content = new FormUrlEncodedContent(form) };
        request.Options.Set(CarrierSetup.Idempotent, idempotent);
        request.Options.Set(CarrierSetup.Printing, method == JdProtocol.CloudPrintRender);
        HttpResponseMessage response;
        try { response = await http.SendAsync(request, ct); }
        catch (BrokenCircuitException e) { throw new CarrierUnavailableException($"JD {method}: {e.Message}", e, circuitOpen: true); }
        catch (HttpRequestException e) { throw new CarrierUnavailableException($"JD {method}: {e.Message}", e); }
        catch (TimeoutRejectedException e) { throw new CarrierUnavailableException($"JD {method} timed out", e); }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested) { throw new CarrierUnavailableException($"JD {method} timed out", e); }
        using (response)
        {
            if ((int)response.StatusCode >= 500 || (int)response.StatusCode == 429)
                throw new CarrierUnavailableException($"JD {method} answered HTTP {(int)response.StatusCode}");
            if (!response.IsSuccessStatusCode)
                throw new CarrierRejectedException(((int)response.StatusCode).ToString(), $"JD {method} answered HTTP {(int)response.StatusCode}");
            JsonElement answer;
            try { answer = await response.Content.ReadFromJsonAsync<JsonElement>(ct); }
            catch (JsonException e) { throw new CarrierUnavailableException($"JD {method} answered malformed JSON", e); }
            if (answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("error_response", out var error))
            {
                var code = error.TryGetProperty("code", out var c) ? c.ToString() : "?";
                var text = error.TryGetProperty("zh_desc", out var d) ? d.GetString() : null;
                if (JdProtocol.RetryableErrors.Contains(code)) throw new CarrierUnavailableException($"JD {method}: {code} {text}");
                throw new CarrierRejectedException(code, text ?? "refused by the platform");
            }
            if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty(JdProtocol.ResponseKey(method), out var body)
                || !body.TryGetProperty("resultInfo", out var info))
                throw new CarrierUnavailableException($"JD {method} answered without {JdProtocol.ResponseKey(method)}.resultInfo");
            try
            {
                return info.Deserialize<T>(JdProtocol.Json) ?? throw new CarrierUnavailableException($"JD {method} answered an empty result");
            }
            catch (JsonException e) { throw new CarrierUnavailableException($"JD {method} answered a malformed result", e); }
        }
    }
}
