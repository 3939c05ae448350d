using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Security;
using MelonChain.Tracking.Projection;

namespace MelonChain.Tracking.Features.Shipments;

/// <summary>An admin empties the read model and replays every kept event into it (after a projection fix).</summary>
public static class RebuildReadModel
{
    public sealed record Response(int EventsReplayed);

    public static RouteGroupBuilder MapRebuild(this RouteGroupBuilder api)
    {
        api.MapPost("/admin/rebuild", async (Db db, CancellationToken ct) => TypedResults.Ok(new Response(await ReadModel.RebuildAsync(db, ct))))
            .RequireRoles(Roles.Admin).WithTags("Admin").WithName("RebuildReadModel");
        return api;
    }
}
