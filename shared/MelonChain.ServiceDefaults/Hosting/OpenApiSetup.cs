using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace MelonChain.ServiceDefaults.Hosting;

public static class OpenApiSetup
{
    /// <summary>Swagger document <c>/swagger/v1/swagger.json</c> with a bearer-token button; UI at <c>/swagger</c>.</summary>
    public static IServiceCollection AddMelonOpenApi(this IServiceCollection services, string title)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo { Title = title, Version = "v1" });
            options.CustomSchemaIds(type => (type.FullName ?? type.Name).Replace('+', '.'));
            options.AddSecurityDefinition("bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A token from POST /api/v1/dev/tokens on the Gateway (development).",
            });
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference("bearer", document)] = [],
            });
        });
        return services;
    }
}
