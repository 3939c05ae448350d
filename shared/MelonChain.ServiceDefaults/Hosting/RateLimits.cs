using System.Threading.RateLimiting;
using MelonChain.ServiceDefaults.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MelonChain.ServiceDefaults.Hosting;

public static class RateLimits
{
    /// <summary>The policy of endpoints open to anyone (public tracking, provenance, pages).</summary>
    public const string Public = "public";

    /// <summary>Per client address: <c>RateLimits:PublicPerMinute</c> requests a minute (default 120), then 429.</summary>
    public static WebApplicationBuilder AddPublicRateLimit(this WebApplicationBuilder builder)
    {
        var perMinute = builder.Configuration.GetValue("RateLimits:PublicPerMinute", 120);
        builder.Services.AddRateLimiter(options =>
        {
            options.AddPolicy(Public, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            options.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = "60";
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = 429, Type = ProblemExceptionHandler.Types.For("rate-limited"), Title = "Too many requests",
                        Detail = $"At most {perMinute} requests a minute; retry later.",
                    },
                });
            };
        });
        return builder;
    }
}
