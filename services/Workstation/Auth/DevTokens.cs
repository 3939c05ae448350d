using System.Net;
using System.Net.Http.Json;
using MelonChain.Workstation.Api;

namespace MelonChain.Workstation.Auth;

/// <summary>
/// Development sign-in: the Gateway's <c>POST /api/v1/dev/tokens</c> signs a token for the cooperative and role picked
/// (the endpoint exists only where <c>DevTokens:Enabled</c>; everywhere else it is 404).
/// </summary>
public sealed class DevTokens(HttpClient http, SignedIn signedIn)
{
    private sealed record Request(string Role, string Subject, string CooperativeId);

    private sealed record Response(string Token, DateTimeOffset ExpiresAt);

    /// <summary>Signs in, or throws <see cref="ApiProblem"/> (404 when the server has no development tokens).</summary>
    public async Task<Caller> SignInAsync(string role, string subject, string cooperativeId, CancellationToken ct = default)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/dev/tokens", new Request(role, subject, cooperativeId), ApiJson.Options, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) throw new ApiProblem(404, "dev-tokens-off", Text.DevTokensOff, null, null);
        var issued = await ApiJson.ReadAsync<Response>(response, ct);
        return await signedIn.SignInAsync(issued.Token) ?? throw new ApiProblem(500, "bad-token", Text.BadToken, null, null);
    }
}
