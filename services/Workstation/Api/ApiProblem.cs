using System.Net.Http.Json;
using System.Text.Json;

namespace MelonChain.Workstation.Api;

/// <summary>
/// A refusal from the API as its ProblemDetails say it (<c>urn:melonchain:problem:CODE</c>, title, detail, and for
/// 422 validation the errors per field), shown to the clerk plainly: the server's rule, not a guess of the app's.
/// </summary>
public sealed class ApiProblem(int status, string code, string detail, string? title, IReadOnlyDictionary<string, string[]>? errors)
    : Exception(detail)
{
    private const string TypePrefix = "urn:melonchain:problem:";

    public int Status { get; } = status;
    public string Code { get; } = code;
    public string Detail { get; } = detail;
    public string? Title { get; } = title;
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors ?? new Dictionary<string, string[]>();

    private sealed record Body(string? Type, string? Title, int? Status, string? Detail, Dictionary<string, string[]>? Errors);

    public static async Task<ApiProblem> FromAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        Body? body = null;
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            try { body = await response.Content.ReadFromJsonAsync<Body>(ApiJson.Options, ct); }
            catch (JsonException) { }
        }
        var code = body?.Type is { } type && type.StartsWith(TypePrefix, StringComparison.Ordinal) ? type[TypePrefix.Length..] : $"http-{status}";
        return new ApiProblem(status, code, body?.Detail ?? body?.Title ?? Text.ForStatus(status), body?.Title, body?.Errors);
    }

    /// <summary>One line per message, in the order the server gave them: "毛重: must be greater than 0".</summary>
    /// <param name="fieldName">The screen's names for the fields (<see cref="Text.FieldName"/> unless given).</param>
    public IEnumerable<string> Lines(Func<string, string>? fieldName = null)
    {
        fieldName ??= Text.FieldName;
        if (Errors.Count == 0)
        {
            yield return $"{Text.ForStatus(Status)}（{Status}）：{Detail}";
            yield break;
        }
        foreach (var (field, messages) in Errors)
            foreach (var message in messages)
                yield return $"{fieldName(field)}：{message}";
    }
}
