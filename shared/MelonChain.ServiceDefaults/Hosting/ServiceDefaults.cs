using System.Reflection;
using System.Text.Json.Serialization;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Messaging;
using MelonChain.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MelonChain.ServiceDefaults.Hosting;

/// <summary>
/// The health endpoints every service maps; the Gateway's active health checks, deploy/dev.sh and the Kubernetes
/// probes (deploy/k8s) ask these paths.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>The process answers (no dependency is checked): a failing one is restarted.</summary>
    public const string Live = "/health/live";

    /// <summary>
    /// Its database and the broker answer: only a ready instance is sent requests. Degraded (still 200) while its
    /// consumers' <c>_error</c> queues hold messages, naming each queue and its count (JSON, <see cref="HealthReportJson"/>).
    /// </summary>
    public const string Ready = "/health/ready";
}

public static class ServiceDefaults
{
    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>
    /// Everything a MelonChain service has: JSON conventions, ProblemDetails, JWT auth, Swagger, health,
    /// telemetry and logs, request limits, and — when <paramref name="migrations"/> is given — its own
    /// database with migrations, unit of work and outbox.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName, Assembly? migrations)
    {
        DevelopmentCredentials.RefuseOutsideDevelopment(builder.Configuration, builder.Environment);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(ServiceInstance.From(builder.Configuration));
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower));
            o.SerializerOptions.Converters.Add(new UtcDateTimeOffsetConverter());
            o.SerializerOptions.MaxDepth = 32;
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            if (ctx.ProblemDetails.Type is null || !ctx.ProblemDetails.Type.StartsWith("urn:"))
                ctx.ProblemDetails.Type = ProblemExceptionHandler.Types.For(ctx.ProblemDetails.Status switch
            {
                401 => "unauthenticated",
                403 => "forbidden",
                404 => "not-found",
                405 => "method-not-allowed",
                415 => "unsupported-media-type",
                _ => "error",
            });
            ctx.ProblemDetails.Extensions["traceId"] = ctx.HttpContext.TraceIdentifier;
        });
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddDataProtection().PersistKeysToFileSystem(
            new DirectoryInfo(builder.Configuration["DataProtection:Path"] ?? Path.Combine(Path.GetTempPath(), "melonchain-keys", serviceName)));

        builder.AddWebClientCors();
        builder.AddPublicRateLimit();
        builder.AddMelonAuth();
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddMelonOpenApi($"MelonChain {serviceName}");

        var health = builder.Services.AddHealthChecks();
        if (migrations is not null)
        {
            builder.AddDatabase(migrations);
            health.AddCheck<PostgresHealthCheck>("postgresql", tags: ["ready"]);
        }

        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        if (builder.Configuration["Logging:Format"] == "json")
            builder.Logging.AddJsonConsole();
        // Traces and metrics only when something collects them: with no exporter every request would still
        // build and record its activities (ASP.NET Core, Npgsql, MassTransit) for nothing.
        if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService("melonchain-" + serviceName))
                .WithTracing(t => t.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation()
                    .AddSource("MassTransit").AddSource("Npgsql"))
                .WithMetrics(m => m.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation()
                    .AddMeter("MassTransit").AddMeter("Npgsql"))
                .UseOtlpExporter();
        return builder;
    }

    /// <summary>Adds the RabbitMQ readiness check; called by <see cref="MessagingSetup.AddMessaging"/> users.</summary>
    public static WebApplicationBuilder AddBrokerHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RabbitMqHealthCheck>();
        builder.Services.AddHealthChecks().AddCheck<RabbitMqHealthCheck>("rabbitmq", tags: ["ready"]);
        return builder;
    }

    /// <param name="behindGateway">
    /// True for the services: the caller's address is the one the Gateway forwards (X-Forwarded-For from a trusted
    /// proxy: loopback, or the networks in <c>ForwardedHeaders:KnownNetworks</c>), so per-client limits see the person,
    /// not the Gateway. False for the Gateway itself, the edge: it believes X-Forwarded-For/Proto only from the
    /// ingress in front of it (<c>Edge:TrustedProxies</c>, nothing by default, not even loopback), never from a client.
    /// </param>
    public static WebApplication UseServiceDefaults(this WebApplication app,
        Action<Swashbuckle.AspNetCore.SwaggerUI.SwaggerUIOptions>? swaggerUi = null, bool behindGateway = true)
    {
        var forwarded = behindGateway
            ? ForwardedHeadersTrust.BehindGateway(app.Configuration)
            : ForwardedHeadersTrust.AtTheEdge(app.Configuration);
        if (forwarded is not null) app.UseForwardedHeaders(forwarded);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors(WebClientCors.Policy);
        // The unit of work hashes the body of requests carrying an Idempotency-Key, so those are buffered.
        app.Use((http, next) =>
        {
            if (http.Request.Headers.ContainsKey(UnitOfWork.KeyHeader)) http.Request.EnableBuffering();
            return next(http);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseSwagger();
        app.UseSwaggerUI(o =>
        {
            o.EnablePersistAuthorization();
            swaggerUi?.Invoke(o);
        });
        app.MapHealthChecks(HealthEndpoints.Live, new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks(HealthEndpoints.Ready, new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthReportJson.WriteAsync });
        return app;
    }

    /// <summary>
    /// The service's API group (<c>/api/v1/{service}</c>): every endpoint needs a token unless marked
    /// anonymous, every request's null list elements and out-of-range dates are 422 before anything runs
    /// (<see cref="BoundInput"/>), and every write runs as one <see cref="UnitOfWork"/>.
    /// </summary>
    public static RouteGroupBuilder MapApi(this IEndpointRouteBuilder app, string prefix)
    {
        var group = app.MapGroup(prefix);
        group.RequireAuthorization();
        group.AddEndpointFilterFactory(BoundInput.Filter);
        group.AddEndpointFilter<UnitOfWork>();
        group.WithTags(prefix);
        // A service with consumers lists and redelivers its dead letters under its own prefix, as every service does.
        if (app.ServiceProvider.GetService<DeadLetters>() is not null)
            group.MapDeadLetters();
        return group;
    }
}
