namespace MelonChain.Gateway.Features;

/// <summary>
/// 合作社工作台 (services/Workstation, Blazor WebAssembly) at <c>/app/</c>: the same origin as the API, so the app calls
/// <c>/api/v1/...</c> with its token and no CORS. Its files are this project's static web assets (a project reference):
/// fingerprinted, compressed and cached by <c>MapStaticAssets</c>; any other path under <c>/app/</c> is one of the app's
/// own pages (a reload of /app/receiving) and gets its index.html, as does /app itself (its base href is /app/).
/// Everything under /app/ carries the app's Content-Security-Policy (S14).
/// </summary>
public static class Workstation
{
    public const string Path = "/app";

    public static void MapWorkstation(this WebApplication app)
    {
        var policy = ContentSecurityPolicy(app.Configuration["Auth:Authority"]);
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(Path)) context.Response.Headers.ContentSecurityPolicy = policy;
            return next(context);
        });
        app.MapWorkstationSignIn();
        app.MapStaticAssets();
        app.MapFallbackToFile(Path + "/{*path:nonfile}", "app/index.html");
    }

    /// <summary>
    /// What the workstation may load (S14): scripts only from its own origin and no inline script (index.html has none),
    /// WebAssembly compiled (<c>'wasm-unsafe-eval'</c>: the .NET runtime) but no JavaScript eval; API calls to its own
    /// origin; images from itself and <c>data:</c> (the slip's QR, made in the app); no plug-ins; never framed; no
    /// <c>&lt;base&gt;</c> elsewhere. Inline styles stay allowed: Blazor components may set a <c>style</c> attribute, and a
    /// style runs no code. In Production the OpenID Connect authority is reachable too: the app fetches its discovery
    /// document and exchanges the code at its token endpoint, and renews silently in a hidden frame.
    /// </summary>
    public static string ContentSecurityPolicy(string? authority)
    {
        var idp = Uri.TryCreate(authority, UriKind.Absolute, out var uri) ? " " + uri.GetLeftPart(UriPartial.Authority) : "";
        return string.Join("; ",
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "connect-src 'self'" + idp,
            "frame-src 'self'" + idp,
            "worker-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");
    }
}
