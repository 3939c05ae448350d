using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MelonChain.CarrierSimulator.Simulator.Jd;

/// <summary>
/// JD's open-platform (JOS) envelope as the JD wire contract states it (the text Dispatch's JD adapter implements too):
/// methods, the sign, and answers — success <c>{"&lt;method&gt;_responce": {"code": "0", "resultInfo": {…}}}</c> (JD's own
/// spelling), platform errors <c>{"error_response": {"code", "zh_desc", "en_desc"}}</c>, both HTTP 200.
/// </summary>
public static class JdEnvelope
{
    public const string ReceiveWaybill = "jingdong.ldop.waybill.receive";
    public const string TraceGet = "jingdong.ldop.receive.trace.get";
    public const string Intercept = "jingdong.ldop.receive.order.intercept";
    public const string RangeCheck = "jingdong.etms.range.check";
    public const string OrderGet = "jingdong.ldop.order.get";
    public const string ActualFee = "jingdong.ldop.order.actualfee.query";
    public const string CloudPrintRender = "jingdong.cloud.print.render";

    // Platform error codes.
    public const string SystemBusy = "1";
    public const string RateLimited = "7";
    public const string InvalidSign = "19";
    public const string InvalidParameter = "21";
    public const string NoPermission = "67";

    /// <summary>The business "all is well" code inside resultInfo (resultCode, stateCode, rcode).</summary>
    public const int Success = 100;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Upper-case hex MD5 (UTF-8) of appSecret + k1v1k2v2… + appSecret over every field but <c>sign</c>, sorted by key (ordinal).</summary>
    public static string Sign(string appSecret, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var sb = new StringBuilder(appSecret);
        foreach (var (key, value) in fields.Where(f => f.Key != "sign").OrderBy(f => f.Key, StringComparer.Ordinal))
            sb.Append(key).Append(value);
        sb.Append(appSecret);
        return Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    public static bool SignMatches(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given.ToUpperInvariant()));

    public static IResult Answer(string method, object resultInfo) =>
        Results.Json(new Dictionary<string, object> { [method.Replace('.', '_') + "_responce"] = new { code = "0", resultInfo } }, Json);

    public static IResult Error(string code, string zhDesc, string enDesc) =>
        Results.Json(new { error_response = new { code, zh_desc = zhDesc, en_desc = enDesc } }, Json);

    public static IResult Missing(string what) => Error(InvalidParameter, $"缺少或无效的参数: {what}", $"missing or invalid parameter: {what}");
}
