using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MelonChain.CarrierSimulator.Simulator.Sf;

/// <summary>
/// SF's open-platform envelope as the simulator implements it (services/Dispatch/CARRIERS.md), independently of Dispatch's adapter:
/// service and result codes, the Java-compatible digest, China time, and the two layers of every answer
/// (<c>apiResultCode</c> from the gateway, <c>success</c>/<c>errorCode</c>/<c>msgData</c> inside <c>apiResultData</c>).
/// </summary>
public static class SfEnvelope
{
    public const string CreateOrder = "EXP_RECE_CREATE_ORDER";
    public const string SearchOrder = "EXP_RECE_SEARCH_ORDER_RESP";
    public const string UpdateOrder = "EXP_RECE_UPDATE_ORDER";
    public const string SearchRoutes = "EXP_RECE_SEARCH_ROUTES";
    public const string QueryDeliverTime = "EXP_RECE_QUERY_DELIVERTM";
    public const string FilterOrder = "EXP_RECE_FILTER_ORDER_BSP";
    public const string GetSubMailNo = "EXP_RECE_GET_SUB_MAILNO";
    public const string QuerySfWaybill = "EXP_RECE_QUERY_SFWAYBILL";
    public const string RegisterRoute = "EXP_RECE_REGISTER_ROUTE";
    public const string CloudPrintWaybills = "COM_RECE_CLOUD_PRINT_WAYBILLS";

    public const string Ok = "A1000";
    public const string MissingParameters = "A1001";
    public const string NoPermission = "A1004";
    public const string RateLimited = "A1005";
    public const string BadDigest = "A1006";
    public const string SystemError = "A1099";

    public const string DuplicateOrderId = "8016";
    public const string OrderNotFound = "8018";
    public const string AlreadyPickedUp = "8037";
    public const string HasRoutes = "8168";
    public const string NotPickedUp = "20012";
    public const string NoLane = "8114";

    /// <summary>Route pushes carry their digest and timestamp in these headers.</summary>
    public const string PushDigestHeader = "X-Sf-Digest";
    public const string PushTimestampHeader = "X-Sf-Timestamp";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Java's <c>URLEncoder.encode(s, "UTF-8")</c>: keeps A–Z a–z 0–9 . - * _, space → +, every other UTF-8 byte → %XX.</summary>
    public static string JavaUrlEncode(string value)
    {
        var sb = new StringBuilder(value.Length * 3);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'.' or (byte)'-' or (byte)'*' or (byte)'_')
                sb.Append((char)b);
            else if (b == (byte)' ') sb.Append('+');
            else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>msgDigest = Base64(MD5(JavaUrlEncode(msgData + timestamp + checkWord))), over the strings exactly as sent.</summary>
    public static string Digest(string msgData, string timestamp, string checkWord) =>
        Convert.ToBase64String(MD5.HashData(Encoding.UTF8.GetBytes(JavaUrlEncode(msgData + timestamp + checkWord))));

    public static bool DigestMatches(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));

    /// <summary>A gateway-level answer: the call was not accepted (or only accepted: <see cref="Ok"/>).</summary>
    public static IResult Gateway(string code, string message) =>
        Results.Json(new { apiResultCode = code, apiErrorMsg = message, apiResponseID = Guid.NewGuid().ToString("N"), apiResultData = (string?)null }, Json);

    public static IResult Success(object? msgData) => Business(true, "S0000", null, msgData);

    public static IResult Failure(string errorCode, string errorMsg) => Business(false, errorCode, errorMsg, null);

    private static IResult Business(bool success, string errorCode, string? errorMsg, object? msgData) =>
        Results.Json(new
        {
            apiResultCode = Ok, apiErrorMsg = "", apiResponseID = Guid.NewGuid().ToString("N"),
            apiResultData = JsonSerializer.Serialize(new { success, errorCode, errorMsg, msgData }, Json),
        }, Json);

    /// <summary>
    /// The cloud print's own answer inside <c>apiResultData</c>: <c>{success, requestId, errorCode, errorMessage, obj}</c>
    /// (not the <c>msgData</c> of the express services).
    /// </summary>
    public static IResult CloudPrint(object? obj, string? errorCode = null, string? errorMessage = null) =>
        Results.Json(new
        {
            apiResultCode = Ok, apiErrorMsg = "", apiResponseID = Guid.NewGuid().ToString("N"),
            apiResultData = JsonSerializer.Serialize(new
            {
                success = errorCode is null, requestId = Guid.NewGuid().ToString("N"), errorCode, errorMessage, obj,
            }, Json),
        }, Json);

    /// <summary><c>waybillNoInfoList</c>: the master (type 1) first, then the children (type 2).</summary>
    public static object WaybillNoInfoList(IEnumerable<string> waybills, bool allChildren = false) =>
        waybills.Select((w, i) => new { waybillType = i == 0 && !allChildren ? 1 : 2, waybillNo = w }).ToList();
}
