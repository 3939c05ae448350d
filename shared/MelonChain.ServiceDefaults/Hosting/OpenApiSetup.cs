using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace MelonChain.ServiceDefaults.Hosting;

public static class OpenApiSetup
{
    /// <summary>The operation extension listing the roles that may call it (admin included), from its authorization.</summary>
    public const string RolesExtension = "x-roles";

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
            options.OperationFilter<RolesOperationFilter>();
        });
        return services;
    }

    /// <summary>
    /// Publishes what the endpoint's authorization says, so the document cannot drift from the code: an anonymous
    /// endpoint needs no token (<c>security: []</c>); any other lists in <see cref="RolesExtension"/> the roles every
    /// one of its role requirements admits (an endpoint and its groups may each require roles; a caller must pass all).
    /// An endpoint with no role requirement publishes no roles.
    /// </summary>
    private sealed class RolesOperationFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security = [];
                return;
            }
            var required = metadata.OfType<AuthorizationPolicy>().SelectMany(p => p.Requirements)
                .Concat(metadata.OfType<IAuthorizationRequirementData>().SelectMany(d => d.GetRequirements()))
                .OfType<RolesAuthorizationRequirement>().Select(r => r.AllowedRoles)
                .Concat(metadata.OfType<IAuthorizeData>().Where(a => !string.IsNullOrWhiteSpace(a.Roles))
                    .Select(a => a.Roles!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
                .ToList();
            if (required.Count == 0) return;
            var roles = required.Skip(1).Aggregate(required[0].ToHashSet(), (all, next) => { all.IntersectWith(next); return all; });
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions[RolesExtension] = new JsonNodeExtension(new JsonArray([.. roles.Order().Select(r => JsonValue.Create(r))]));
        }
    }
}
