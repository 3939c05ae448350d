using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Members;

/// <summary>
/// The clerk rotates a grower's private link (a slip lost, a phone passed on): the version moves on and the kept digest
/// goes, so every link printed before answers 404 at once; the new link is in the answer. The clerk may, as the grower
/// stands at the counter; an admin always may.
/// </summary>
public static class RotateGrowerLink
{
    public static void Map(RouteGroupBuilder growers) => growers.MapPost("/{id:guid}/link/rotation", Handle).WithName("RotateGrowerLink");

    private static async Task<Ok<GetGrowerLink.Response>> Handle(Guid id, Db db, GrowerLinks links, ClaimsPrincipal user, CancellationToken ct)
    {
        var version = await db.QuerySingleOrDefaultAsync<int?>(
            """
            update growers set link_version = link_version + 1, link_digest = null
            where id = @id and cooperative_id = @coop returning link_version
            """, new { id, coop = user.CooperativeId() }, ct) ?? throw Problem.NotFound("grower");
        var token = links.Token(id, version);
        await db.ExecuteAsync("update growers set link_digest = @digest where id = @id",
            new { id, digest = GrowerLinks.Digest(token) }, ct);
        return TypedResults.Ok(new GetGrowerLink.Response(links.Url(token)));
    }
}
