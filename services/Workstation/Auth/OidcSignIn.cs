using Microsoft.AspNetCore.Components.WebAssembly.Authentication;
using Microsoft.JSInterop;

namespace MelonChain.Workstation.Auth;

/// <summary>
/// Production sign-in: the framework's OpenID Connect code flow with PKCE (Microsoft.AspNetCore.Components.WebAssembly
/// .Authentication, its oidc-client script loaded only where an authority is configured, by wwwroot/js/oidc.js) against
/// <c>Auth:Authority</c>. Once the authority has sent the clerk back, the access token it issued (the claims the
/// services check: role, coop, sub) is handed to <see cref="SignedIn"/> like a dev token, and is what
/// <see cref="BearerHandler"/> sends.
/// </summary>
public sealed class OidcSignIn(IAccessTokenProvider tokens, SignedIn signedIn, IJSRuntime js)
{
    /// <summary>The framework's AuthenticationService.js, added to the page on first use (CSP: from the app's own origin).</summary>
    public async Task LoadScriptAsync()
    {
        await using var module = await js.InvokeAsync<IJSObjectReference>("import", "./js/oidc.js");
        await module.InvokeVoidAsync("load");
    }

    /// <summary>The access token of the completed sign-in, kept as the caller's; null when there is none or it lacks our claims.</summary>
    public async Task<Caller?> TakeTokenAsync()
    {
        var result = await tokens.RequestAccessToken();
        return result.TryGetToken(out var token) ? await signedIn.SignInAsync(token.Value) : null;
    }
}
