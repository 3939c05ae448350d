using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MelonChain.Messages;

namespace MelonChain.Dispatch.Features.Carrier.Sf;

/// <summary>
/// The envelope of SF Express's open platform (services/Dispatch/CARRIERS.md), pure: Java-compatible URL encoding, the message
/// digest, service codes, result codes and the opCode → status map. Only the SF adapter uses it; the CarrierSimulator has
/// its own implementation, and both are pinned by SF's published digest vectors.
/// </summary>
public static class SfProtocol
{
    public const string CreateOrder = "EXP_RECE_CREATE_ORDER";
    public const string SearchOrder = "EXP_RECE_SEARCH_ORDER_RESP";
    public const string UpdateOrder = "EXP_RECE_UPDATE_ORDER";
    public const string SearchRoutes = "EXP_RECE_SEARCH_ROUTES";
    public const string QueryDeliverTime = "EXP_RECE_QUERY_DELIVERTM";
    public const string QueryBilledFreight = "EXP_RECE_QUERY_SFWAYBILL";
    public const string CloudPrintWaybills = "COM_RECE_CLOUD_PRINT_WAYBILLS";

    public const string Ok = "A1000";
    public const string MissingParameters = "A1001";
    public const string NoPermission = "A1004";
    public const string RateLimited = "A1005";
    public const string BadDigest = "A1006";
    public const string DuplicateRequest = "A1007";
    public const string SystemError = "A1099";
    public const string DuplicateOrderId = "8016";
    public const string OrderNotFound = "8018";

    /// <summary>The order cannot be cancelled: the courier has picked it up (已揽收，不可取消).</summary>
    public const string AlreadyPickedUp = "8037";

    /// <summary>The waybill has not been picked up, so nothing is billed yet (运单未揽收).</summary>
    public const string NotPickedUp = "20012";

    /// <summary>Route pushes carry their digest and timestamp in these headers.</summary>
    public const string PushDigestHeader = "X-Sf-Digest";
    public const string PushTimestampHeader = "X-Sf-Timestamp";

    /// <summary>
    /// The payloads' JSON: SF's own SDK samples write every number as a Java double (<c>"count": 1.0</c>,
    /// <c>"parcelQty": 2.0</c>), so a whole number may come with a fraction of zero; unknown fields are ignored.
    /// </summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new WholeNumberConverter() },
    };

    /// <summary>Reads an <see cref="int"/> written as <c>1</c> or <c>1.0</c>; a real fraction (<c>1.5</c>) is still an error.</summary>
    private sealed class WholeNumberConverter : JsonConverter<int>
    {
        public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.Number) throw new JsonException($"a number was expected, not {reader.TokenType}");
            if (reader.TryGetInt32(out var whole)) return whole;
            if (reader.TryGetDecimal(out var value) && value == decimal.Truncate(value) && value is >= int.MinValue and <= int.MaxValue) return (int)value;
            throw new JsonException($"{Encoding.UTF8.GetString(reader.ValueSpan)} is not a whole number");
        }

        public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
    }

    /// <summary>Java's <c>URLEncoder.encode(s, "UTF-8")</c>: keeps A–Z a–z 0–9 . - * _, space → +, every other UTF-8 byte → %XX.</summary>
    public static string JavaUrlEncode(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var sb = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '*' or '_') sb.Append(c);
            else if (c == ' ') sb.Append('+');
            else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>msgDigest = Base64(MD5(JavaUrlEncode(msgData + timestamp + checkWord))), over the exact string sent.</summary>
    public static string Digest(string msgData, string timestamp, string checkWord) =>
        Convert.ToBase64String(MD5.HashData(Encoding.UTF8.GetBytes(JavaUrlEncode(msgData + timestamp + checkWord))));

    /// <summary>
    /// The sign of SF's billed-fee push (清单运费推送): Base64(MD5(content + checkWord)) over the UTF-8 bytes — unlike the
    /// call digest, no URL-encoding and no timestamp.
    /// </summary>
    public static string FeeSign(string content, string checkWord) =>
        Convert.ToBase64String(MD5.HashData(Encoding.UTF8.GetBytes(content + checkWord)));

    /// <summary>
    /// Some of SF's own SDK samples send msgData as a JSON array of one object (the serviceability filter sample does): such
    /// an array is that object. Anything else is left as it is.
    /// </summary>
    public static JsonElement OneObject(JsonElement json) =>
        json.ValueKind == JsonValueKind.Array && json.GetArrayLength() == 1 && json[0].ValueKind == JsonValueKind.Object ? json[0] : json;

    /// <summary>Compares digests in constant time.</summary>
    public static bool DigestMatches(string expected, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given));

    /// <summary>
    /// A route push as the carrier sends it: the JSON of <paramref name="routes"/> with its timestamp and digest headers.
    /// </summary>
    public static HttpRequestMessage SignedPush(string url, IEnumerable<SfPushRoute> routes, DateTimeOffset now, string checkWord)
    {
        var body = JsonSerializer.Serialize(new SfPush(new SfPushBody(routes.ToList())), Json);
        var timestamp = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(PushTimestampHeader, timestamp);
        request.Headers.Add(PushDigestHeader, Digest(body, timestamp, checkWord));
        return request;
    }

    /// <summary>The form fields of one call.</summary>
    public static Dictionary<string, string> Envelope(string partnerId, string serviceCode, string msgData, long timestampMs, string checkWord, Guid requestId)
    {
        var timestamp = timestampMs.ToString(CultureInfo.InvariantCulture);
        return new Dictionary<string, string>
        {
            ["partnerID"] = partnerId,
            ["requestID"] = requestId.ToString(),
            ["serviceCode"] = serviceCode,
            ["timestamp"] = timestamp,
            ["msgData"] = msgData,
            ["msgDigest"] = Digest(msgData, timestamp, checkWord),
        };
    }

    /// <summary>China local time as SF writes it: <c>yyyy-MM-dd HH:mm:ss</c> (UTC+8).</summary>
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

    /// <summary>opCode → MelonChain status (services/Dispatch/CARRIERS.md), as data; null = unknown (keep the previous status).</summary>
    public static readonly IReadOnlyDictionary<string, string> StatusByOpCode = new Dictionary<string, string>
    {
        ["50"] = ShipmentStatuses.PickedUp, ["54"] = ShipmentStatuses.PickedUp,
        ["30"] = ShipmentStatuses.InTransit, ["31"] = ShipmentStatuses.InTransit, ["36"] = ShipmentStatuses.InTransit,
        ["407"] = ShipmentStatuses.InTransit, ["501"] = ShipmentStatuses.InTransit, ["655"] = ShipmentStatuses.InTransit,
        ["44"] = ShipmentStatuses.OutForDelivery, ["204"] = ShipmentStatuses.OutForDelivery,
        ["80"] = ShipmentStatuses.Delivered, ["8000"] = ShipmentStatuses.Delivered,
        ["70"] = ShipmentStatuses.DeliveryFailed, ["33"] = ShipmentStatuses.DeliveryFailed,
        ["99"] = ShipmentStatuses.ReturnToSender, ["631"] = ShipmentStatuses.ReturnToSender, ["648"] = ShipmentStatuses.ReturnToSender,
        // SF declares a waybill lost (遗失) outside its published samples' codes; the simulator sends it as LOST.
        ["LOST"] = ShipmentStatuses.Lost,
    };

    public static string? StatusOf(string opCode) => StatusByOpCode.GetValueOrDefault(opCode);
}
