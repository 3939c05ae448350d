using MelonChain.Workstation.Api;
using MelonChain.Workstation.Auth;
using MelonChain.Workstation.Pages.Slip;
using Microsoft.AspNetCore.Components.WebAssembly.Authentication;
using MelonChain.Workstation.Offline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MelonChain.Workstation;

public static class WorkstationServices
{
    /// <summary>
    /// The app's services. <paramref name="transport"/> is the browser's fetch in the app and a stub in component tests:
    /// both go through the same <see cref="BearerHandler"/>, so what the tests send is what the app sends.
    /// </summary>
    public static IServiceCollection AddWorkstation(this IServiceCollection services, Uri baseAddress, Func<HttpMessageHandler>? transport = null)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<SignedIn>();
        services.AddScoped(sp => new HttpClient(new BearerHandler(sp.GetRequiredService<SignedIn>())
        {
            InnerHandler = transport?.Invoke() ?? new HttpClientHandler(),
        }) { BaseAddress = baseAddress });
        services.AddScoped<CooperativeApi>();
        services.AddScoped<SalesApi>().AddScoped<SettlementApi>().AddScoped<ClaimsApi>().AddScoped<DispatchApi>().AddScoped<RecallApi>().AddScoped<ProfileApi>();
        services.AddScoped<DevTokens>();
        // Production sign-in: the options come from the Gateway (SignInChoices) when the sign-in page or the callback
        // first needs them, before the framework's authentication service reads them.
        services.AddSingleton<SignInChoices>();
        services.AddOidcAuthentication(_ => { });
        services.AddOptions<RemoteAuthenticationOptions<OidcProviderOptions>>().Configure<SignInChoices>((options, choices) =>
        {
            if (choices.Current is not { Oidc: true } c) return;
            options.ProviderOptions.Authority = c.Authority;
            options.ProviderOptions.ClientId = c.ClientId;
            options.ProviderOptions.ResponseType = "code"; // the code flow; the framework adds PKCE
            options.ProviderOptions.DefaultScopes.Clear();
            foreach (var scope in c.Scopes) options.ProviderOptions.DefaultScopes.Add(scope);
        });
        services.AddScoped<OidcSignIn>();
        // 收购小票 (Pages/Slip): the offline queue registers its own IProvisionalSlips (TryAdd keeps it).
        services.TryAddScoped<IProvisionalSlips, NoProvisionalSlips>();
        services.AddScoped<Slips>();
        services.AddScoped<GrowerLinkCache>();
        services.AddScoped<GradingApi>();
        services.AddScoped<ICaptureStore, BrowserCaptureStore>();
        services.AddScoped<OfflineQueue>();
        services.AddScoped<GrowerRegister>();
        // The provisional slips are the queue's captures (after the slip's TryAdd default above: this one wins).
        services.AddScoped<IProvisionalSlips, QueuedSlips>();
        return services;
    }
}
