using Microsoft.JSInterop;

namespace MelonChain.Workstation.Auth;

/// <summary>
/// The token of whoever is signed in on this device, kept in the tab's sessionStorage (wwwroot/js/token.js), never in
/// localStorage nor in the offline queue (S14): a reload keeps the clerk signed in until the token's own expiry (8 hours,
/// a shift), closing the tab signs them out, so the next person at a shared tablet starts at the sign-in page.
/// Where the token comes from is not its concern: <see cref="DevTokens"/> in Development, the OpenID Connect code flow
/// with PKCE against <c>Auth:Authority</c> in Production (Pages/SignIn/Authentication.razor); both hand it to
/// <see cref="SignInAsync"/>.
/// </summary>
public sealed class SignedIn(IJSRuntime js, TimeProvider clock)
{
    private IJSObjectReference? _module;
    private Task? _restoring;

    public Caller? Caller { get; private set; }

    public event Action? Changed;

    /// <summary>
    /// Reads the stored token once per page load (the layout and the page both ask; they share the one read); an
    /// expired or unreadable token is dropped.
    /// </summary>
    public async Task<Caller?> RestoreAsync()
    {
        await (_restoring ??= LoadAsync());
        return Current();
    }

    private async Task LoadAsync()
    {
        var module = await Module();
        var stored = Caller.FromToken(await module.InvokeAsync<string?>("load"));
        if (stored is not null && !stored.HasExpired(clock.GetUtcNow())) Caller ??= stored;
        else if (stored is not null) await module.InvokeVoidAsync("clear");
    }

    /// <summary>The caller, or null once the token has expired.</summary>
    public Caller? Current() => Caller is { } c && !c.HasExpired(clock.GetUtcNow()) ? c : null;

    public async Task<Caller?> SignInAsync(string token)
    {
        var caller = Caller.FromToken(token);
        if (caller is null) return null;
        await (await Module()).InvokeVoidAsync("save", token);
        Caller = caller;
        _restoring ??= Task.CompletedTask;
        Changed?.Invoke();
        return caller;
    }

    public async Task SignOutAsync()
    {
        await (await Module()).InvokeVoidAsync("clear");
        Caller = null;
        Changed?.Invoke();
    }

    private async Task<IJSObjectReference> Module() =>
        _module ??= await js.InvokeAsync<IJSObjectReference>("import", "./js/token.js");
}
