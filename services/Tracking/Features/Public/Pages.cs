using MelonChain.ServiceDefaults.Hosting;
namespace MelonChain.Tracking.Features.Public;

/// <summary>The two pages people open on a phone: /track (waybill + last 4 digits) and /trace/{code} (a box's story).</summary>
public static class Pages
{
    public static void MapPages(this WebApplication app)
    {
        var web = app.Environment.WebRootFileProvider;
        IResult Page(string name) => TypedResults.Stream(web.GetFileInfo(name).CreateReadStream(), "text/html; charset=utf-8");
        app.MapGet("/track", () => Page("track.html")).ExcludeFromDescription().RequireRateLimiting(RateLimits.Public);
        app.MapGet("/track/site.css", () => TypedResults.Stream(web.GetFileInfo("site.css").CreateReadStream(), "text/css"))
            .ExcludeFromDescription();
        app.MapGet("/trace/{traceCode}", (string traceCode) => Page("trace.html")).ExcludeFromDescription().RequireRateLimiting(RateLimits.Public);
    }
}
