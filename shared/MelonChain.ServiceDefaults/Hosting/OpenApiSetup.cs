using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc;
using MelonChain.ServiceDefaults.Http;
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
            options.OperationFilter<ProblemResponsesOperationFilter>();
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

    /// <summary>The operation extension on each error response listing its problem types (<c>urn:melonchain:problem:CODE</c>).</summary>
    public const string ProblemTypesExtension = "x-problem-types";

    /// <summary>
    /// Every operation's error responses, as ProblemDetails (<c>application/problem+json</c>) with their problem types:
    /// those the platform answers for any such operation (a token is missing or lacks a role, an id names nothing, a
    /// request breaks a rule, an Idempotency-Key is reused, a write clashes with another, too many requests, a dependency
    /// is down) and those the endpoint declares with <see cref="ProblemTypes.Problems"/>.
    /// </summary>
    private sealed class ProblemResponsesOperationFilter : IOperationFilter
    {
        private static readonly Dictionary<int, string> Titles = new()
        {
            [400] = "Malformed request", [401] = "Not authenticated", [403] = "Forbidden", [404] = "Not found",
            [409] = "Conflict with the current state", [413] = "Body too large", [422] = "The request breaks a rule", [428] = "Idempotency-Key required",
            [429] = "Too many requests", [500] = "Internal error", [502] = "A dependency answered unexpectedly", [503] = "Unavailable",
        };

        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var description = context.ApiDescription;
            var metadata = description.ActionDescriptor.EndpointMetadata;
            var types = new SortedDictionary<int, SortedSet<string>>();
            void Add(int status, string code)
            {
                if (!types.TryGetValue(status, out var codes)) types[status] = codes = new SortedSet<string>(StringComparer.Ordinal);
                codes.Add(code);
            }

            if (!metadata.OfType<IAllowAnonymous>().Any())
            {
                Add(401, "unauthenticated");
                Add(403, "forbidden");
                Add(403, "no-cooperative");
            }
            if (description.RelativePath?.Contains('{') == true) Add(404, "not-found");
            var hasBody = description.ParameterDescriptions.Any(p => p.Source.Id == "Body");
            if (hasBody)
            {
                Add(400, "malformed-request");
                Add(413, "body-too-large");
            }
            if (hasBody || description.ParameterDescriptions.Any(p => p.Source.Id is "Query" or "Path")) Add(422, "validation");
            if (description.HttpMethod is not ("GET" or "HEAD"))
            {
                Add(409, ProblemExceptionHandler.AlreadyExists);
                Add(409, ProblemExceptionHandler.ConcurrentUpdate);
            }
            if (description.HttpMethod == "POST" && !metadata.OfType<IAllowAnonymous>().Any())
            {
                Add(409, "idempotency-key-in-flight");
                Add(422, "idempotency-key-reused");
            }
            foreach (var declared in metadata.OfType<ProblemTypesMetadata>())
                foreach (var code in declared.Codes) Add(declared.Status, code);
            Add(429, "rate-limited");
            Add(500, "internal");
            Add(503, "unavailable");

            var schema = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository);
            operation.Responses ??= new OpenApiResponses();
            foreach (var (status, codes) in types)
            {
                var urns = codes.Select(ProblemExceptionHandler.Types.For).ToList();
                operation.Responses[status.ToString()] = new OpenApiResponse
                {
                    Description = $"{Titles.GetValueOrDefault(status, "Error")}: ProblemDetails of type {string.Join(", ", urns)}",
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new OpenApiMediaType { Schema = schema } },
                    Extensions = new Dictionary<string, IOpenApiExtension>
                    {
                        [ProblemTypesExtension] = new JsonNodeExtension(new JsonArray([.. urns.Select(u => JsonValue.Create(u))])),
                    },
                };
            }
        }
    }
}
