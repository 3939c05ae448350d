using System.Net.Http.Json;
using MelonChain.Workstation.Api;

namespace MelonChain.Workstation.Auth;

/// <summary>How this installation signs in, as the Gateway says (<c>GET /api/v1/workstation/sign-in</c>).</summary>
public sealed record SignInOptions(bool DevTokens, string? Authority, string? ClientId, IReadOnlyList<string> Scopes)
{
    /// <summary>Production: the OpenID Connect code flow with PKCE against the authority the services trust.</summary>
    public bool Oidc => Authority is not null && ClientId is not null;
}

/// <summary>
/// The Gateway's answer, asked once per page load (the sign-in page and the OpenID Connect callback both need it, and
/// the OIDC options are set from it: <see cref="WorkstationServices"/>). Null when the Gateway could not be asked.
/// </summary>
public sealed class SignInChoices
{
    private Task<SignInOptions?>? _loading;

    public SignInOptions? Current { get; private set; }

    public Task<SignInOptions?> LoadAsync(HttpClient http) => _loading ??= LoadFromAsync(http);

    private async Task<SignInOptions?> LoadFromAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync("/api/v1/workstation/sign-in");
            return Current = await ApiJson.ReadAsync<SignInOptions>(response, default);
        }
        catch (Exception e) when (e is HttpRequestException or ApiProblem)
        {
            _loading = null; // ask again next time (the network may be back)
            return null;
        }
    }
}
