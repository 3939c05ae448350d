using System.Net;
using MelonChain.Dispatch.Features.Carrier.Jd;
using MelonChain.Dispatch.Features.Carrier.Sf;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace MelonChain.Dispatch.Features.Carrier;

/// <summary>
/// The carrier adapters and their HttpClients. Each client has the same Polly v8 pipeline (Microsoft.Extensions.Http.Resilience)
/// of total timeout → retry (idempotent calls only) → circuit breaker (one per carrier) → per-attempt timeout, settings under
/// <c>Carrier:Resilience</c>. Each adapter's settings are under <c>Carrier:{Name}</c>; switching to a real endpoint is
/// configuration only. SF is always on; JD is on when <c>Carrier:Jd:AppKey</c> is set.
/// Adding a carrier: an adapter folder beside Sf/ and Jd/, one <c>AddAdapter</c> line here, its rate-card lines and
/// its name in <see cref="MelonChain.Messages.Carriers"/> (services/Dispatch/CARRIERS.md, "Adding a carrier").
/// </summary>
public static class CarrierSetup
{
    /// <summary>Marks a request the pipeline may send again (reads, cancels): creating an order is retried by its adapter.</summary>
    public static readonly HttpRequestOptionsKey<bool> Idempotent = new("melonchain.idempotent");

    /// <summary>
    /// Marks a cloud-print request (labels): its failures do not count towards the circuit breaker, so a carrier whose
    /// printing is down never pauses bookings, cancellations or route queries.
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> Printing = new("melonchain.printing");

    public static WebApplicationBuilder AddCarrier(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var sf = SfSettings.From(config);
        builder.Services.AddSingleton(sf);
        AddAdapter<SfCarrier>(builder, "sf", sf.BaseUrl);
        if (JdSettings.From(config) is { } jd)
        {
            builder.Services.AddSingleton(jd);
            AddAdapter<JdCarrier>(builder, "jd", jd.BaseUrl);
        }
        builder.Services.AddTransient<CarrierRegistry>();
        return builder;
    }

    private static void AddAdapter<TCarrier>(WebApplicationBuilder builder, string name, string baseUrl) where TCarrier : class, ICarrier
    {
        var r = builder.Configuration.GetSection("Carrier:Resilience");
        builder.Services.AddHttpClient<TCarrier>(c => c.BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"))
            .AddResilienceHandler(name, pipeline =>
            {
                pipeline.AddTimeout(TimeSpan.FromSeconds(r.GetValue("TotalTimeoutSeconds", 20.0)));
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = r.GetValue("RetryAttempts", 3),
                    Delay = TimeSpan.FromMilliseconds(r.GetValue("RetryDelayMs", 200)),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldHandle = args => ValueTask.FromResult(
                        args.Context.GetRequestMessage()?.Options.TryGetValue(Idempotent, out var idempotent) == true && idempotent
                        && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                });
                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = r.GetValue("FailureRatio", 0.5),
                    MinimumThroughput = r.GetValue("MinimumThroughput", 8),
                    SamplingDuration = TimeSpan.FromSeconds(r.GetValue("SamplingSeconds", 10.0)),
                    BreakDuration = TimeSpan.FromSeconds(r.GetValue("BreakSeconds", 15.0)),
                    ShouldHandle = args => ValueTask.FromResult(
                        !(args.Context.GetRequestMessage()?.Options.TryGetValue(Printing, out var printing) == true && printing)
                        && (HttpClientResiliencePredicates.IsTransient(args.Outcome) || args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests)),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(r.GetValue("AttemptTimeoutSeconds", 5.0)));
            });
        builder.Services.AddTransient<ICarrier>(sp => sp.GetRequiredService<TCarrier>());
    }
}
