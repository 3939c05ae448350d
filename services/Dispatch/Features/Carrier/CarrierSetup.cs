using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace MelonChain.Dispatch.Features.Carrier;

/// <summary>
/// The carrier adapter and its HttpClient: Polly v8 pipeline (Microsoft.Extensions.Http.Resilience) of total
/// timeout → retry (idempotent calls only) → circuit breaker → per-attempt timeout. Settings under
/// <c>Carrier:Sf</c> and <c>Carrier:Resilience</c>; switching to the real SF endpoint is configuration only.
/// </summary>
public static class CarrierSetup
{
    public static WebApplicationBuilder AddCarrier(this WebApplicationBuilder builder)
    {
        var settings = SfSettings.From(builder.Configuration);
        var r = builder.Configuration.GetSection("Carrier:Resilience");
        builder.Services.AddSingleton(settings);
        builder.Services.AddHttpClient<ICarrier, SfCarrier>(c => c.BaseAddress = new Uri(settings.BaseUrl.TrimEnd('/') + "/"))
            .AddResilienceHandler("sf", pipeline =>
            {
                pipeline.AddTimeout(TimeSpan.FromSeconds(r.GetValue("TotalTimeoutSeconds", 20.0)));
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = r.GetValue("RetryAttempts", 3),
                    Delay = TimeSpan.FromMilliseconds(r.GetValue("RetryDelayMs", 200)),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    // Reads (search, routes, cancel) are safe to repeat; creating an order is retried by SfCarrier itself.
                    ShouldHandle = args => ValueTask.FromResult(
                        args.Context.GetRequestMessage()?.Options.TryGetValue(SfCarrier.Idempotent, out var idempotent) == true && idempotent
                        && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                });
                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = r.GetValue("FailureRatio", 0.5),
                    MinimumThroughput = r.GetValue("MinimumThroughput", 8),
                    SamplingDuration = TimeSpan.FromSeconds(r.GetValue("SamplingSeconds", 10.0)),
                    BreakDuration = TimeSpan.FromSeconds(r.GetValue("BreakSeconds", 15.0)),
                    ShouldHandle = args => ValueTask.FromResult(
                        HttpClientResiliencePredicates.IsTransient(args.Outcome)
                        || args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(r.GetValue("AttemptTimeoutSeconds", 5.0)));
            });
        return builder;
    }
}
