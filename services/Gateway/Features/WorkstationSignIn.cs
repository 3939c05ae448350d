namespace MelonChain.Gateway.Features;

/// <summary>
/// How the workstation signs in here (<c>GET /api/v1/workstation/sign-in</c>, anonymous: the sign-in page asks before
/// anyone is signed in). In Production the OpenID Connect authority the services already trust (<c>Auth:Authority</c>)
/// and the app's public client id (<c>Workstation:ClientId</c>; the code flow with PKCE needs no client secret); in
/// Development whether the dev-token endpoint is on. Nothing secret: all of it is what a browser sees in the redirect.
/// </summary>
public static class WorkstationSignIn
{
    public sealed record Response(bool DevTokens, string? Authority, string? ClientId, IReadOnlyList<string> Scopes);

    public static void MapWorkstationSignIn(this WebApplication app)
    {
        var configuration = app.Configuration;
        var authority = configuration["Auth:Authority"] is { Length: > 0 } a ? a : null;
        var response = new Response(
            configuration.GetValue("DevTokens:Enabled", false),
            authority,
            authority is null ? null : configuration["Workstation:ClientId"] ?? "melonchain-workstation",
            (configuration["Workstation:Scopes"] ?? "openid profile").Split(' ', StringSplitOptions.RemoveEmptyEntries));
        app.MapGet("/api/v1/workstation/sign-in", () => TypedResults.Ok(response))
            .AllowAnonymous().WithTags("Workstation").WithName("WorkstationSignIn");
    }
}
