using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MelonChain.Messages;

namespace MelonChain.Dispatch.Features.Carrier.Jd;

/// <summary>
/// The envelope of the JD-style open platform (JOS, services/Dispatch/CARRIERS.md "JD"), pure: methods, the sign, China
/// time, the answer's shape and the trace state → status map. Only the JD adapter uses it; the CarrierSimulator has its
/// own implementation, and both are pinned by the same sign vectors.
/// </summary>
public static class JdProtocol
{
    public const string CreateOrder = "jingdong.ldop.waybill.receive";
    public const string GetOrder = "jingdong.ldop.order.get";
    public const string Traces = "jingdong.ldop.receive.trace.get";
    public const string Intercept = "jingdong.ldop.receive.order.intercept";
    public const string RangeCheck = "jingdong.etms.range.check";
    public const string CloudPrintRender = "jingdong.cloud.print.render";

    /// <summary>The actual fee JD bills for an order, once collected (by the customer's orderId).</summary>
    public const string ActualFee = "jingdong.ldop.order.actualfee.query";

    /// <summary>actualfee: the order is not collected yet, so nothing is billed (未揽收).</summary>
    public const int NotCollected = 102;

    /// <summary>JD bills one freight amount per order; kept as this fee type.</summary>
    public const string FreightFeeType = "actualFee";

    /// <summary>Platform errors worth retrying: system busy, rate limited.</summary>
    public static readonly IReadOnlySet<string> RetryableErrors = new HashSet<string> { "1", "7" };

    public const int Success = 100;
    public const int OrderExists = 106;
    public const int NoSuchOrder = 101;
    public const int InterceptNoSuchWaybill = 201;

    /// <summary>The intercept is refused: the waybill has been picked up (已揽收，不可拦截).</summary>
    public const int InterceptPickedUp = 203;

    /// <summary>goodsType: 1 ordinary, 2 cold chain (冷链, 10–12 °C).</summary>
    public static readonly IReadOnlyDictionary<string, int> GoodsTypes = new Dictionary<string, int>
    {
        [Products.JdExpress] = 1, [Products.JdCold] = 2,
    };

    /// <summary>promiseTimeType 1: 特快.</summary>
    public const int Express = 1;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    /// <summary>sign = upper-case hex MD5 of appSecret + k1v1k2v2… (every field but sign, sorted by key) + appSecret.</summary>
    public static string Sign(IReadOnlyDictionary<string, string> fields, string appSecret)
    {
        var sb = new StringBuilder(appSecret);
        foreach (var (key, value) in fields.Where(f => f.Key != "sign").OrderBy(f => f.Key, StringComparer.Ordinal))
            sb.Append(key).Append(value);
        sb.Append(appSecret);
        return Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>The form fields of one call, signed.</summary>
    public static Dictionary<string, string> Envelope(string method, string appKey, string accessToken, string paramJson, DateTimeOffset now, string appSecret)
    {
        var fields = new Dictionary<string, string>
        {
            ["method"] = method,
            ["app_key"] = appKey,
            ["access_token"] = accessToken,
            ["timestamp"] = ChinaTimeText(now),
            ["v"] = "2.0",
            ["360buy_param_json"] = paramJson,
        };
        fields["sign"] = Sign(fields, appSecret);
        return fields;
    }

    /// <summary>The answer's key: the method with dots as underscores and JD's own spelling, <c>_responce</c>.</summary>
    public static string ResponseKey(string method) => method.Replace('.', '_') + "_responce";

    public static string ChinaTimeText(DateTimeOffset instant) =>
        ChinaTime.ToChina(instant).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static bool TryParseChinaTime(string? text, out DateTimeOffset instant)
    {
        instant = default;
        if (!DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return false;
        instant = ChinaTime.FromLocal(local);
        return true;
    }

    /// <summary>Trace state (opeTitle) → MelonChain status, as data; null = unknown (keep the previous status).</summary>
    public static readonly IReadOnlyDictionary<string, string> StatusByTitle = new Dictionary<string, string>
    {
        ["揽收"] = ShipmentStatuses.PickedUp,
        ["分拣"] = ShipmentStatuses.InTransit, ["运输中"] = ShipmentStatuses.InTransit,
        ["派送中"] = ShipmentStatuses.OutForDelivery,
        ["妥投"] = ShipmentStatuses.Delivered,
        ["拒收"] = ShipmentStatuses.DeliveryFailed,
        ["退回"] = ShipmentStatuses.ReturnToSender,
        ["丢失"] = ShipmentStatuses.Lost,
    };

    public static string? StatusOf(string title) => StatusByTitle.GetValueOrDefault(title);
}
