using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Members;

/// <summary>
/// The clerk asks for a grower's private link, to print as the QR on a receipt slip (the workstation keeps its members'
/// links for slips printed offline). The same link every time until it is rotated; asking for it is what makes it
/// open the grower's page (its digest is kept then).
/// </summary>
public static class GetGrowerLink
{
    public sealed record Response(string Url);

    public static void Map(RouteGroupBuilder growers) => growers.MapGet("/{id:guid}/link", Handle).WithName("GetGrowerLink");

    private static async Task<Ok<Response>> Handle(Guid id, Db db, GrowerLinks links, ClaimsPrincipal user, CancellationToken ct)
    {
        var version = await db.QuerySingleOrDefaultAsync<int?>(
            "select link_version from growers where id = @id and cooperative_id = @coop", new { id, coop = user.CooperativeId() }, ct)
            ?? throw Problem.NotFound("grower");
        var token = links.Token(id, version);
        // Written only when the version moved since the last ask (a rotation cleared it); the version guard keeps a
        // rotation that lands meanwhile from being undone.
        await db.ExecuteAsync(
            """
            update growers set link_digest = @digest
            where id = @id and link_version = @version and link_digest is distinct from @digest
            """, new { id, version, digest = GrowerLinks.Digest(token) }, ct);
        return TypedResults.Ok(new Response(links.Url(token)));
    }
}
