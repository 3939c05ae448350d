using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Gateway.Features;

/// <summary>
/// Development only (<c>DevTokens:Enabled</c>): signs a token for any role so the API can be tried from
/// Swagger or curl. Off by default; production takes tokens from its OpenID Connect authority.
/// </summary>
public static class DevTokens
{
    public sealed record Request(string? Role, string? Subject, string? CooperativeId, string? BuyerId, string? CourierId);

    public sealed record Response(string Token, DateTimeOffset ExpiresAt);

    public static void MapDevTokens(this WebApplication app)
    {
        if (!app.Configuration.GetValue("DevTokens:Enabled", false)) return;
        app.MapPost("/api/v1/dev/tokens", (Request request, TokenIssuer issuer, TimeProvider clock) =>
        {
            var v = new Validation()
                .OneOf(request.Role, "role", Roles.All)
                .Code(request.Subject, "subject", 64)
                .Code(request.CooperativeId, "cooperativeId", 64)
                .Check(request.Role != Roles.Buyer || Guid.TryParse(request.BuyerId, out _), "buyerId", "a buyer token needs the buyer's id")
                .Check(request.Role != Roles.Courier || !string.IsNullOrWhiteSpace(request.CourierId), "courierId", "a courier token needs the courier's id");
            if (request.CourierId is not null) v.Code(request.CourierId, "courierId", 64);
            v.ThrowIfInvalid();
            var lifetime = TimeSpan.FromHours(8);
            var token = issuer.Issue(new TokenRequest(request.Role!, request.Subject!, request.CooperativeId!,
                request.Role == Roles.Buyer ? request.BuyerId : null, request.CourierId), lifetime);
            return TypedResults.Ok(new Response(token, clock.GetUtcNow() + lifetime));
        }).AllowAnonymous().WithTags("Development").WithName("IssueDevToken");
    }
}
