using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MelonChain.Workstation.Api;

/// <summary>The services' JSON: camelCase names, enums as snake_case strings, dates as yyyy-MM-dd.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The body of a 2xx answer, or the answer's ProblemDetails thrown as <see cref="ApiProblem"/>.</summary>
    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode) throw await ApiProblem.FromAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<T>(Options, ct) ?? throw new ApiProblem((int)response.StatusCode, "empty", Text.EmptyAnswer, null, null);
    }
}
