using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MelonChain.Dispatch.Tests.Sdk;

/// <summary>
/// A JD open-platform (JOS) client written from the wire contract alone (notes on the JD protocol): form fields,
/// the MD5 sign over the sorted fields, China-time timestamps. Answers are returned whole.
/// </summary>
public sealed class JdSampleClient(HttpClient http, string appKey, string appSecret, string accessToken)
{
    public const string DevAppKey = "MELONCHAIN_JD_DEV";
    public const string DevAppSecret = "melonchain-dev-jd-secret-0000000";
    public const string DevAccessToken = "melonchain-dev-jd-token";

    public static string Sign(string secret, IReadOnlyDictionary<string, string> fields)
    {
        var text = new StringBuilder(secret);
        foreach (var key in fields.Keys.Where(k => k != "sign").Order(StringComparer.Ordinal)) text.Append(key).Append(fields[key]);
        text.Append(secret);
        return Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public async Task<JsonElement> SendAsync(string method, string paramJson, string? signWith = null)
    {
        var form = new Dictionary<string, string>
        {
            ["method"] = method, ["app_key"] = appKey, ["access_token"] = accessToken,
            ["timestamp"] = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            ["v"] = "2.0", ["360buy_param_json"] = paramJson,
        };
        form["sign"] = Sign(signWith ?? appSecret, form);
        using var response = await http.PostAsync("/routerjson", new FormUrlEncodedContent(form));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }

    /// <summary>The resultInfo of a call that must succeed at the platform level (code "0").</summary>
    public async Task<JsonElement> CallAsync(string method, string paramJson)
    {
        var answer = await SendAsync(method, paramJson);
        Assert.True(answer.TryGetProperty(method.Replace('.', '_') + "_responce", out var body), $"{method}: {answer}");
        Assert.Equal("0", body.GetProperty("code").GetString());
        return body.GetProperty("resultInfo");
    }
}
