using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MelonChain.ServiceDefaults.Security;

/// <summary>What a development token says about its bearer.</summary>
public sealed record TokenRequest(string Role, string Subject, string CooperativeId, string? BuyerId = null, string? CourierId = null);

/// <summary>Signs development tokens with the configured key (Gateway's dev endpoint, and tests).</summary>
public sealed class TokenIssuer(AuthSettings settings, TimeProvider clock)
{
    public string Issue(TokenRequest request, TimeSpan? lifetime = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var expires = now + (lifetime ?? TimeSpan.FromHours(8));
        var claims = new List<Claim>
        {
            new(Claims.Subject, request.Subject),
            new(Claims.Role, request.Role),
            new(Claims.Cooperative, request.CooperativeId),
        };
        if (!string.IsNullOrEmpty(request.BuyerId)) claims.Add(new Claim(Claims.Buyer, request.BuyerId));
        if (!string.IsNullOrEmpty(request.CourierId)) claims.Add(new Claim(Claims.Courier, request.CourierId));

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = expires < now ? expires.AddMinutes(-5) : now,
            IssuedAt = expires < now ? expires.AddMinutes(-5) : now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(settings.Key(), SecurityAlgorithms.HmacSha256),
        });
    }
}
