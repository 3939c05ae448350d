using System.Text.Json;
using MelonChain.Messages;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace MelonChain.Dispatch.Features.Carrier.Sf;

/// <summary>
/// The installation's open-platform credentials (one partner id and check word for MelonChain); each cooperative's
/// monthly card is its carrier account (Dispatch's carrier-accounts), sent with every order it books.
/// </summary>
/// <remarks>
/// <see cref="CustomTemplateCode"/>: the cooperative-wide custom template (with the custom area) set up in SF's console,
/// <c>Carrier:Sf:CustomTemplateCode</c>; by default <c>{templateCode}_custom</c>.
/// </remarks>
public sealed record SfSettings(string BaseUrl, string PartnerId, string CheckWord, string Language, string? CustomTemplateCode = null)
{
    public static SfSettings From(IConfiguration config)
    {
        var s = config.GetSection("Carrier:Sf");
        return new SfSettings(
            // Dispatch:CarrierBaseUrl is what docker-compose sets; it wins over the appsettings default.
            config["Dispatch:CarrierBaseUrl"] ?? s["BaseUrl"] ?? "http://127.0.0.1:8089/",
            Required(s, "PartnerId"),
            Required(s, "CheckWord"),
            s["Language"] ?? "zh-CN",
            s["CustomTemplateCode"] is { Length: > 0 } custom ? custom : null);
    }

    /// <summary>Credentials come from the environment's configuration only (development values in appsettings.Development.json).</summary>
    private static string Required(IConfigurationSection section, string key) =>
        section[key] is { Length: > 0 } value ? value
            : throw new InvalidOperationException($"{section.Path}:{key} is not configured; set it for this environment (e.g. Carrier__Sf__{key}).");
}

/// <summary>
/// The SF Express open-platform adapter: the only Dispatch code that knows SF's field names. Every call is a
/// signed form POST to <c>/std/service</c>; the HttpClient's resilience pipeline adds timeouts, a circuit
/// breaker and retries for idempotent calls. Creating an order is not idempotent on the wire, so its retry is
/// done here: each new attempt — a retry, or a request after an earlier one for the same order — first searches by the
/// orderId (derived from the shipment id) and only creates when the carrier has no such order; a duplicate-orderId
/// answer (8016) also resolves to the first order.
/// </summary>
public sealed class SfCarrier(HttpClient http, SfSettings settings, TimeProvider clock, ILogger<SfCarrier> logger) : ICarrier
{
    /// <summary>How far a push's timestamp may be from our clock (either way) before it is refused as stale.</summary>
    public static readonly TimeSpan PushFreshness = TimeSpan.FromMinutes(5);

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

    public string Name => Carriers.Sf;

    /// <summary>MelonChain's products and SF's own product code (expressTypeId) for each.</summary>
    public static readonly IReadOnlyDictionary<string, int> ExpressTypeIds = new Dictionary<string, int>
    {
        [MelonChain.Messages.Products.Express] = 1, [MelonChain.Messages.Products.Standard] = 2, [MelonChain.Messages.Products.Cold] = 201,
        [MelonChain.Messages.Products.Land] = 231, [MelonChain.Messages.Products.Heavy] = 154,
    };

    public IReadOnlyCollection<string> Products { get; } = ExpressTypeIds.Keys.ToList();

    public bool PushesRoutes => true;

    public object PushAcknowledgement { get; } = new SfPushAck("0000", "成功");

    public async Task<CarrierBooking> BookAsync(BookingRequest request, CancellationToken ct)
    {
        var order = ToSf(request);
        var attempt = 0;
        return await BookingRetry.ExecuteAsync(async token =>
        {
            // A retry first asks whether the previous attempt reached the carrier after all — and so does the first
            // attempt when an earlier request for this order may have (the courier's app sent the collect again after
            // a lost answer): a create goes out only for an order the carrier does not have, never relying on the
            // carrier to refuse a duplicate orderId.
            if ((attempt++ > 0 || request.MayExist) && await FindOrderCoreAsync(request.CarrierOrderId, token) is { } earlier)
                return earlier;
            var result = await CallAsync<SfOrderResult>(SfProtocol.CreateOrder, order, idempotent: false, token);
            if (result.ErrorCode == SfProtocol.DuplicateOrderId)
            {
                logger.LogInformation("Order {OrderId} already exists at SF; using it", request.CarrierOrderId);
                return await FindOrderCoreAsync(request.CarrierOrderId, token)
                    ?? throw new CarrierUnavailableException($"SF reports order {request.CarrierOrderId} as duplicate but cannot find it");
            }
            return ToBooking(Require(result));
        }, ct);
    }

    public async Task<CarrierQuote?> QuoteAsync(string product, long grams, string destinationCity, DateTimeOffset shipAt, CancellationToken ct)
    {
        var result = await CallAsync<SfDeliverTimeResult>(SfProtocol.QueryDeliverTime, new SfDeliverTimeQuery(
            ExpressTypeIds[product], grams / 1000m, SfProtocol.ChinaTimeText(shipAt),
            new SfAddress("广东省", "江门市", null), new SfAddress(destinationCity, destinationCity, null)), idempotent: true, ct);
        var offer = result is { Success: true, MsgData.DeliverTmDto: [var first, ..] } ? first : null;
        return offer is not null && SfProtocol.TryParseChinaTime(offer.DeliverTime, out var by)
            ? new CarrierQuote(product, by, (long)decimal.Round(offer.Fee * 100m, 0, MidpointRounding.AwayFromZero))
            : null;
    }

    public Task<CarrierBooking?> FindOrderAsync(string carrierOrderId, string account, CancellationToken ct) => FindOrderCoreAsync(carrierOrderId, ct);

    public async Task CancelAsync(string carrierOrderId, string account, CancellationToken ct)
    {
        var result = await CallAsync<JsonElement>(SfProtocol.UpdateOrder, new SfUpdateOrder(carrierOrderId, 2, settings.Language), idempotent: true, ct);
        if (!result.Success && result.ErrorCode == SfProtocol.AlreadyPickedUp)
            throw new CarrierPickedUpException(result.ErrorCode, result.ErrorMsg ?? "already picked up");
        if (!result.Success && result.ErrorCode != SfProtocol.OrderNotFound)
            throw new CarrierRejectedException(result.ErrorCode ?? "?", result.ErrorMsg ?? "cancel refused");
    }

    public async Task<IReadOnlyList<RouteEvent>> RoutesAsync(IReadOnlyList<string> waybillNos, CancellationToken ct)
    {
        if (waybillNos.Count is 0 or > 10) throw new ArgumentOutOfRangeException(nameof(waybillNos), "1 to 10 waybills per query");
        var result = Require(await CallAsync<SfRoutesResult>(SfProtocol.SearchRoutes,
            new SfSearchRoutes(1, waybillNos, 1, settings.Language), idempotent: true, ct));
        var events = new List<RouteEvent>();
        foreach (var resp in result.RouteResps)
            foreach (var route in resp.Routes)
                if (SfProtocol.TryParseChinaTime(route.AcceptTime, out var at))
                    events.Add(new RouteEvent(resp.MailNo, null, route.OpCode, SfProtocol.StatusOf(route.OpCode), at, route.AcceptAddress, route.Remark,
                        JsonSerializer.Serialize(new { mailNo = resp.MailNo, route.AcceptTime, route.AcceptAddress, route.Remark, route.OpCode }, SfProtocol.Json)));
        return events;
    }

    public RoutePush ParsePush(string body, IDictionary<string, string?> headers)
    {
        headers.TryGetValue(SfProtocol.PushTimestampHeader, out var timestamp);
        headers.TryGetValue(SfProtocol.PushDigestHeader, out var digest);
        if (string.IsNullOrEmpty(timestamp) || !SfProtocol.DigestMatches(SfProtocol.Digest(body, timestamp, settings.CheckWord), digest))
            return new RoutePush(false, []);
        // A genuine digest proves who signed, not when it was sent: a recorded push replayed later is refused.
        // SF stamps in milliseconds; SDK-style clients in seconds. A number below 10^11 is seconds (10^11 ms is in 1973).
        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var signed)
            || Math.Abs(clock.GetUtcNow().ToUnixTimeMilliseconds() - (signed < 100_000_000_000 ? signed * 1000 : signed)) > PushFreshness.TotalMilliseconds)
            return new RoutePush(true, [], Stale: true);
        SfPush? push;
        try
        {
            using var doc = JsonDocument.Parse(body);
            push = SfProtocol.OneObject(doc.RootElement).Deserialize<SfPush>(SfProtocol.Json);
        }
        catch (JsonException) { return new RoutePush(true, []); }
        var routes = new List<RouteEvent>();
        foreach (var r in push?.Body?.WaybillRoute ?? [])
            if (r.Mailno is not null && r.OpCode is not null && SfProtocol.TryParseChinaTime(r.AcceptTime, out var at))
                routes.Add(new RouteEvent(r.Mailno, r.Orderid, r.OpCode, SfProtocol.StatusOf(r.OpCode), at, r.AcceptAddress ?? "", r.Remark ?? "",
                    JsonSerializer.Serialize(r, SfProtocol.Json)));
        return new RoutePush(true, routes);
    }

    public bool PushesFees => true;

    /// <summary>
    /// SF's billed-fee push (清单运费推送): form fields <c>content</c> (the JSON, an object or an array of them) and <c>sign</c>
    /// = Base64(MD5(content + checkWord)). Each object names its <c>waybillNo</c> and <c>feeList[{feeTypeCode, feeName,
    /// feeAmt, versionNo, …}]</c>; amounts in yuan with at most two decimals (numbers or strings), never rounded.
    /// </summary>
    public FeePush ParseFeePush(IReadOnlyDictionary<string, string> form)
    {
        var content = form.GetValueOrDefault("content");
        if (string.IsNullOrEmpty(content) || !SfProtocol.DigestMatches(SfProtocol.FeeSign(content, settings.CheckWord), form.GetValueOrDefault("sign")))
            return new FeePush(false, []);
        try
        {
            using var doc = JsonDocument.Parse(content);
            var root = SfProtocol.OneObject(doc.RootElement);
            var bills = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
            var fees = new List<CarrierFee>();
            foreach (var (bill, i) in bills.Select((b, i) => (b, i)))
            {
                if (bill.ValueKind != JsonValueKind.Object || Text(bill, "waybillNo") is not { Length: > 0 and <= 40 } waybillNo)
                    return new FeePush(true, [], $"content[{i}].waybillNo is required");
                if (!bill.TryGetProperty("feeList", out var list) || list.ValueKind != JsonValueKind.Array)
                    return new FeePush(true, [], $"content[{i}].feeList is required");
                foreach (var (fee, j) in list.EnumerateArray().Select((f, j) => (f, j)))
                {
                    var at = $"content[{i}].feeList[{j}]";
                    if (fee.ValueKind != JsonValueKind.Object || Text(fee, "feeTypeCode") is not { Length: > 0 and <= 20 } type)
                        return new FeePush(true, [], $"{at}.feeTypeCode is required");
                    if (Number(fee, "feeAmt") is not { } yuan || Yuan.ToFen(yuan) is not { } fen)
                        return new FeePush(true, [], $"{at}.feeAmt must be an amount in yuan with at most two decimals");
                    if (Number(fee, "versionNo") is not { } version || version != decimal.Truncate(version) || version is < 0 or > int.MaxValue)
                        return new FeePush(true, [], $"{at}.versionNo must be a whole number");
                    fees.Add(new CarrierFee(waybillNo, type, Text(fee, "feeName") ?? type, fen, (int)version));
                }
            }
            return new FeePush(true, fees);
        }
        catch (JsonException) { return new FeePush(true, [], "content is not JSON"); }
    }

    /// <summary>EXP_RECE_QUERY_SFWAYBILL by the master waybill: the fees billed so far, or null before pickup (20012) or while none is listed.</summary>
    public async Task<IReadOnlyList<CarrierFee>?> BilledFeesAsync(string carrierOrderId, string masterWaybillNo, string account, CancellationToken ct)
    {
        var result = await CallAsync<JsonElement>(SfProtocol.QueryBilledFreight, new SfBilledFreightQuery(1, masterWaybillNo), idempotent: true, ct);
        if (!result.Success && result.ErrorCode == SfProtocol.NotPickedUp) return null;
        if (!result.Success) throw new CarrierRejectedException(result.ErrorCode ?? "?", result.ErrorMsg ?? "billed freight refused");
        var data = result.MsgData;
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("waybillFeeList", out var list) || list.ValueKind != JsonValueKind.Array)
            return null;
        var waybillNo = Text(data, "waybillNo") ?? masterWaybillNo;
        var fees = new List<CarrierFee>();
        foreach (var fee in list.EnumerateArray())
        {
            if (Text(fee, "type") is not { } type || Number(fee, "value") is not { } yuan || Yuan.ToFen(yuan) is not { } fen)
                throw new CarrierRejectedException("fee", $"SF listed a fee of {waybillNo} that is not an amount in yuan: {fee.GetRawText()}");
            // The query's versionNo is that of the push; a query without one never outranks a pushed version.
            fees.Add(new CarrierFee(waybillNo, type, Text(fee, "name") ?? type, fen, (int)(Number(fee, "versionNo") ?? 0)));
        }
        return fees.Count == 0 ? null : fees;
    }

    /// <summary>A field as text, whether SF wrote it as a string or a number.</summary>
    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString()!.Trim() is { Length: > 0 } text ? text : null,
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    /// <summary>A field as a decimal, whether SF wrote it as a number or a string (never through double).</summary>
    private static decimal? Number(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetDecimal(out var d) => d,
            JsonValueKind.String when decimal.TryParse(v.GetString(), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        } : null;

    /// <summary>The most documents SF's cloud print takes in one call.</summary>
    public const int MaxDocumentsPerPrint = 20;

    /// <summary>
    /// SF's cloud print (<c>COM_RECE_CLOUD_PRINT_WAYBILLS</c>): the parcels in calls of at most 20 documents — the master
    /// as <c>masterWaybillNo</c>, a child as <c>branchWaybillNo</c> of it — each answering a file per document, fetched from
    /// its url with its token in <c>X-Auth-token</c>.
    /// </summary>
    public async Task<IReadOnlyList<byte[]>> LabelsAsync(LabelRequest request, CancellationToken ct)
    {
        var template = request.Paper == WaybillLabelPaper.Large ? $"fm_150_standard_{settings.PartnerId}" : $"fm_76130_standard_{settings.PartnerId}";
        var pdfs = new List<byte[]>(request.Parcels.Count);
        foreach (var batch in request.Parcels.Chunk(MaxDocumentsPerPrint))
        {
            var documents = batch.Select(p => new SfPrintDocument(request.MasterWaybillNo, p.WaybillNo == request.MasterWaybillNo ? null : p.WaybillNo,
                WaybillLabelPaper.CustomArea(p.TraceCode))).ToList();
            var answer = JsonSerializer.Deserialize<SfPrintResult>(await CallRawAsync(SfProtocol.CloudPrintWaybills,
                new SfCloudPrint(template, settings.CustomTemplateCode ?? template + "_custom", "2.0", "pdf", true, documents), idempotent: true, ct), SfProtocol.Json);
            if (answer is not { Success: true, Obj.Files: { } files })
                throw new CarrierRejectedException(answer?.ErrorCode ?? "?", answer?.ErrorMessage ?? "cloud print refused");
            foreach (var parcel in batch)
            {
                var file = files.FirstOrDefault(f => f.WaybillNo == parcel.WaybillNo)
                    ?? throw new CarrierUnavailableException($"SF cloud print answered no file for {parcel.WaybillNo}");
                pdfs.Add(await FetchFileAsync(file, ct));
            }
        }
        return pdfs;
    }

    private async Task<byte[]> FetchFileAsync(SfPrintFile file, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, file.Url);
        request.Headers.Add("X-Auth-token", file.Token);
        request.Options.Set(CarrierSetup.Idempotent, true);
        request.Options.Set(CarrierSetup.Printing, true);
        try
        {
            using var response = await http.SendAsync(request, ct);
            if ((int)response.StatusCode >= 500 || (int)response.StatusCode == 429)
                throw new CarrierUnavailableException($"SF print file {file.WaybillNo} answered HTTP {(int)response.StatusCode}");
            if (!response.IsSuccessStatusCode)
                throw new CarrierRejectedException(((int)response.StatusCode).ToString(), $"SF print file {file.WaybillNo} answered HTTP {(int)response.StatusCode}");
            return await response.Content.ReadAsByteArrayAsync(ct);
        }
        catch (BrokenCircuitException e) { throw new CarrierUnavailableException($"SF print file: {e.Message}", e, circuitOpen: true); }
        catch (HttpRequestException e) { throw new CarrierUnavailableException($"SF print file: {e.Message}", e); }
        catch (TimeoutRejectedException e) { throw new CarrierUnavailableException("SF print file timed out", e); }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested) { throw new CarrierUnavailableException("SF print file timed out", e); }
    }

    private async Task<CarrierBooking?> FindOrderCoreAsync(string carrierOrderId, CancellationToken ct)
    {
        var result = await CallAsync<SfOrderResult>(SfProtocol.SearchOrder, new SfSearchOrder(carrierOrderId, settings.Language), idempotent: true, ct);
        return result is { Success: true, MsgData: { } order } ? ToBooking(order) : null;
    }

    private SfCreateOrder ToSf(BookingRequest r)
    {
        var totalKg = r.Parcels.Sum(p => p.Grams) / 1000m;
        return new SfCreateOrder(
            r.CarrierOrderId, settings.Language,
            [new SfCargo("杜阮凉瓜 (鲜)", r.Parcels.Count, totalKg)],
            [Contact(1, r.Sender), Contact(2, r.Receiver)],
            r.Account, PayMethod: 1, ExpressTypeId: ExpressTypeIds[r.Product],
            ParcelQty: r.Parcels.Count, TotalWeight: totalKg, IsDocall: 1,
            SendStartTm: SfProtocol.ChinaTimeText(r.PickupFrom), Remark: r.Remark);
    }

    private static SfContact Contact(int type, Party p) => new(type, p.Name, p.Phone, p.Province, p.City, p.County, p.Address, p.Company);

    private static CarrierBooking ToBooking(SfOrderResult order)
    {
        var master = order.WaybillNoInfoList.FirstOrDefault(w => w.WaybillType == 1)?.WaybillNo
            ?? throw new CarrierUnavailableException($"SF order {order.OrderId} has no master waybill");
        var children = order.WaybillNoInfoList.Where(w => w.WaybillType == 2).Select(w => w.WaybillNo);
        return new CarrierBooking(order.OrderId, master, [master, .. children]);
    }

    private static T Require<T>(SfResult<T> result) =>
        result is { Success: true, MsgData: { } data } ? data
            : throw new CarrierRejectedException(result.ErrorCode ?? "?", result.ErrorMsg ?? "refused");

    /// <summary>One signed call; gateway errors worth retrying become <see cref="CarrierUnavailableException"/>.</summary>
    private async Task<SfResult<T>> CallAsync<T>(string serviceCode, object payload, bool idempotent, CancellationToken ct)
    {
        var apiResultData = await CallRawAsync(serviceCode, payload, idempotent, ct);
        try
        {
            // msgData may come as a JSON array of one object, as some of SF's own samples write it: that object.
            var result = JsonSerializer.Deserialize<SfResult<JsonElement>>(apiResultData, SfProtocol.Json)
                ?? throw new CarrierUnavailableException($"SF {serviceCode} answered no result");
            var business = SfProtocol.OneObject(result.MsgData);
            return new SfResult<T>(result.Success, result.ErrorCode, result.ErrorMsg,
                business.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? default : business.Deserialize<T>(SfProtocol.Json));
        }
        catch (JsonException e) { throw new CarrierUnavailableException($"SF {serviceCode} answered a malformed result", e); }
    }

    /// <summary>One signed call answering its <c>apiResultData</c> (the express services' result, or the cloud print's own).</summary>
    private async Task<string> CallRawAsync(string serviceCode, object payload, bool idempotent, CancellationToken ct)
    {
        var msgData = JsonSerializer.Serialize(payload, payload.GetType(), SfProtocol.Json);
        var form = SfProtocol.Envelope(settings.PartnerId, serviceCode, msgData, clock.GetUtcNow().ToUnixTimeMilliseconds(), settings.CheckWord, Guid.NewGuid());
        using var request = new HttpRequestMessage(HttpMethod.Post, "std/service") { Content = new FormUrlEncodedContent(form) };
        request.Options.Set(CarrierSetup.Idempotent, idempotent);
        request.Options.Set(CarrierSetup.Printing, serviceCode == SfProtocol.CloudPrintWaybills);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (BrokenCircuitException e) { throw new CarrierUnavailableException($"SF {serviceCode}: {e.Message}", e, circuitOpen: true); }
        catch (HttpRequestException e) { throw new CarrierUnavailableException($"SF {serviceCode}: {e.Message}", e); }
        catch (TimeoutRejectedException e) { throw new CarrierUnavailableException($"SF {serviceCode} timed out", e); }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested) { throw new CarrierUnavailableException($"SF {serviceCode} timed out", e); }
        using (response)
        {
            if ((int)response.StatusCode >= 500 || (int)response.StatusCode == 429)
                throw new CarrierUnavailableException($"SF {serviceCode} answered HTTP {(int)response.StatusCode}");
            if (!response.IsSuccessStatusCode)
                throw new CarrierRejectedException(((int)response.StatusCode).ToString(), $"SF {serviceCode} answered HTTP {(int)response.StatusCode}");
            SfResponse envelope;
            try
            {
                envelope = await response.Content.ReadFromJsonAsync<SfResponse>(SfProtocol.Json, ct)
                    ?? throw new CarrierUnavailableException($"SF {serviceCode} answered nothing");
            }
            catch (JsonException e) { throw new CarrierUnavailableException($"SF {serviceCode} answered malformed JSON", e); }
            switch (envelope.ApiResultCode)
            {
                case SfProtocol.Ok: break;
                case SfProtocol.RateLimited or SfProtocol.SystemError or SfProtocol.DuplicateRequest:
                    throw new CarrierUnavailableException($"SF {serviceCode}: {envelope.ApiResultCode} {envelope.ApiErrorMsg}");
                default:
                    throw new CarrierRejectedException(envelope.ApiResultCode, envelope.ApiErrorMsg ?? "refused by the gateway");
            }
            return envelope.ApiResultData ?? "{}";
        }
    }
}
