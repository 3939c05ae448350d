using System.Security.Claims;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Security;
using MelonChain.Tracking.Projection;

namespace MelonChain.Tracking.Features.Shipments;

/// <summary>
/// An admin rebuilds their own cooperative's read model from its kept events (after a projection fix); other
/// cooperatives are untouched and nobody's reads wait.
/// </summary>
public static class RebuildReadModel
{
    public sealed record Response(int EventsReplayed);

    public static RouteGroupBuilder MapRebuild(this RouteGroupBuilder api)
    {
        api.MapPost("/admin/rebuild", async (ClaimsPrincipal user, Db db, CancellationToken ct) =>
                TypedResults.Ok(new Response(await ReadModel.RebuildAsync(db, user.CooperativeId(), ct))))
            .RequireRoles(Roles.Admin).WithTags("Admin").WithName("RebuildReadModel");
        return api;
    }
}
