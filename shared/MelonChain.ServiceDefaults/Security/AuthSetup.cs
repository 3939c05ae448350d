using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace MelonChain.ServiceDefaults.Security;

/// <summary>
/// <c>Auth:Authority</c> set: tokens are validated against that OpenID Connect authority (production).
/// Otherwise against the symmetric development key <c>Auth:SigningKey</c> (the Gateway's dev token endpoint signs with it).
/// </summary>
public sealed record AuthSettings(string Issuer, string Audience, string? SigningKey, string? Authority)
{
    public static AuthSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Auth");
        return new AuthSettings(
            section["Issuer"] ?? "melonchain-dev",
            section["Audience"] ?? "melonchain",
            section["SigningKey"],
            section["Authority"]);
    }

    public SymmetricSecurityKey Key()
    {
        if (string.IsNullOrEmpty(SigningKey) || SigningKey.Length < 32)
            throw new InvalidOperationException("Auth:SigningKey must be set (at least 32 characters) when no Auth:Authority is configured.");
        return new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SigningKey));
    }
}

public static class AuthSetup
{
    /// <summary>Policy names: one per role set that endpoints require (admin is allowed everywhere in its cooperative).</summary>
    public static string PolicyFor(params string[] roles) => "roles:" + string.Join(',', roles.Order());

    public static WebApplicationBuilder AddMelonAuth(this WebApplicationBuilder builder)
    {
        var settings = AuthSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = settings.Issuer,
                    ValidAudience = settings.Audience,
                    NameClaimType = Claims.Subject,
                    RoleClaimType = Claims.Role,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                if (!string.IsNullOrEmpty(settings.Authority))
                {
                    options.Authority = settings.Authority;
                }
                else
                {
                    options.TokenValidationParameters.IssuerSigningKey = settings.Key();
                }
            });
        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>Requires a token with one of the roles (admin always passes) and a cooperative claim.</summary>
    public static TBuilder RequireRoles<TBuilder>(this TBuilder endpoint, params string[] roles)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.RequireAuthorization(policy => policy
            .RequireAuthenticatedUser()
            .RequireClaim(Claims.Cooperative)
            .RequireRole([.. roles, Roles.Admin]));
}
