using MelonChain.ServiceDefaults.Hosting;

namespace MelonChain.Cooperative.Features.GrowerPage;

/// <summary>
/// 农户自己的页面: the page a grower opens from the QR on a receipt slip, on a phone, without signing in. The token in
/// the link is the key (<see cref="Members.GrowerLinks"/>); the page is public through the Gateway and rate-limited like
/// the tracking pages.
/// </summary>
public static class GrowerPage
{
    public static void MapGrowerPage(this WebApplication app) =>
        app.MapGet("/grower/{token}", ShowGrowerPage.Handle).AllowAnonymous().RequireRateLimiting(RateLimits.Public).ExcludeFromDescription();
}
