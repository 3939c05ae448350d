using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MelonChain.ServiceDefaults.Hosting;

/// <summary>
/// A web client on another origin (a cooperative's browser app) may call the API when its origin is listed in
/// <c>Cors:AllowedOrigins</c> (comma-separated, e.g. <c>https://app.example.cn</c>): bearer tokens in the
/// Authorization header, JSON bodies and Idempotency-Keys, and the headers a client reads back. No origin is allowed
/// unless configured (no wildcard: the API carries tokens); the Gateway is where a browser meets it.
/// </summary>
public static class WebClientCors
{
    public const string Policy = "web-client";

    public static WebApplicationBuilder AddWebClientCors(this WebApplicationBuilder builder)
    {
        var origins = (builder.Configuration["Cors:AllowedOrigins"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        builder.Services.AddCors(o => o.AddPolicy(Policy, p =>
        {
            if (origins.Length == 0) return;
            p.WithOrigins(origins)
             .WithMethods("GET", "POST", "PUT", "DELETE")
             .WithHeaders("Authorization", "Content-Type", "Accept", "Idempotency-Key")
             .WithExposedHeaders("Location", "Idempotent-Replayed", "Retry-After")
             .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
        }));
        return builder;
    }
}
