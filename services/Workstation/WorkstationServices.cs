using MelonChain.Workstation.Api;
using MelonChain.Workstation.Auth;
using Microsoft.Extensions.DependencyInjection;

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
        services.AddScoped<SalesApi>().AddScoped<SettlementApi>().AddScoped<DispatchApi>().AddScoped<RecallApi>().AddScoped<ProfileApi>();
        services.AddScoped<DevTokens>();
        return services;
    }
}
