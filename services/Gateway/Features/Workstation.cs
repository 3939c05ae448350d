namespace MelonChain.Gateway.Features;

/// <summary>
/// 合作社工作台 (services/Workstation, Blazor WebAssembly) at <c>/app/</c>: the same origin as the API, so the app calls
/// <c>/api/v1/...</c> with its token and no CORS. Its files are this project's static web assets (a project reference):
/// fingerprinted, compressed and cached by <c>MapStaticAssets</c>; any other path under <c>/app/</c> is one of the app's
/// own pages (a reload of /app/receiving) and gets its index.html, as does /app itself (its base href is /app/).
/// </summary>
public static class Workstation
{
    public const string Path = "/app";

    public static void MapWorkstation(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapFallbackToFile(Path + "/{*path:nonfile}", "app/index.html");
    }
}
