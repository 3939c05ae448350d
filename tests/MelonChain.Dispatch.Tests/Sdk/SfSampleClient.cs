using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MelonChain.Dispatch.Tests.Sdk;

/// <summary>The business layer of an SF answer: <c>success</c>, <c>errorCode</c>, <c>errorMsg</c>, <c>msgData</c>.</summary>
public sealed record SfAnswer(bool Success, string? ErrorCode, string? ErrorMsg, JsonElement MsgData);

/// <summary>
/// An SF client as one writes it from SF's published SDK samples, independent of Dispatch and of the simulator:
/// its own Java-URLEncoder digest, timestamps in seconds, msgData passed as the exact string to send.
/// </summary>
public sealed class SfSampleClient(HttpClient http, string partnerId, string checkWord)
{
    /// <summary>Java's <c>URLEncoder.encode(s, "UTF-8")</c>.</summary>
    public static string JavaUrlEncode(string s)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            var c = (char)b;
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '.' or '-' or '*' or '_') sb.Append(c);
            else if (c == ' ') sb.Append('+');
            else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    public static string Digest(string msgData, string timestamp, string checkWord) =>
        Convert.ToBase64String(MD5.HashData(Encoding.UTF8.GetBytes(JavaUrlEncode(msgData + timestamp + checkWord))));

    /// <summary>The gateway's answer: <c>apiResultCode</c> and, when A1000, the business answer.</summary>
    public async Task<(string ApiResultCode, SfAnswer? Answer)> SendAsync(string serviceCode, string msgData)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var form = new Dictionary<string, string>
        {
            ["partnerID"] = partnerId, ["requestID"] = Guid.NewGuid().ToString(), ["serviceCode"] = serviceCode,
            ["timestamp"] = timestamp, ["msgData"] = msgData, ["msgDigest"] = Digest(msgData, timestamp, checkWord),
        };
        using var response = await http.PostAsync("/std/service", new FormUrlEncodedContent(form));
        response.EnsureSuccessStatusCode();
        var envelope = await response.Content.ReadFromJsonAsync<JsonElement>();
        var code = envelope.GetProperty("apiResultCode").GetString()!;
        if (code != "A1000") return (code, null);
        var result = JsonDocument.Parse(envelope.GetProperty("apiResultData").GetString()!).RootElement;
        return (code, new SfAnswer(result.GetProperty("success").GetBoolean(), result.GetProperty("errorCode").GetString(),
            result.TryGetProperty("errorMsg", out var m) ? m.GetString() : null, result.TryGetProperty("msgData", out var d) ? d.Clone() : default));
    }

    /// <summary>A call the gateway must accept (A1000).</summary>
    public async Task<SfAnswer> CallAsync(string serviceCode, string msgData)
    {
        var (code, answer) = await SendAsync(serviceCode, msgData);
        Assert.True(code == "A1000", $"{serviceCode}: gateway answered {code}");
        return answer!;
    }

    /// <summary>China wall-clock time as SF's samples write it.</summary>
    public static string ChinaTime(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
