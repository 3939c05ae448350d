using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Surplus.SurplusReturns;

namespace MelonChain.Cooperative.Features.Surplus;

/// <summary>The cooperative's surplus returns, and one with each member's volume and part.</summary>
public static class GetSurplusReturn
{
    public sealed record Summary(Guid Id, int Year, long DistributableFen, int VolumeShareBps, long ByVolumeFen, long RetainedFen, int Members);

    public static void Map(RouteGroupBuilder returns)
    {
        returns.MapGet("/", List).RequireRoles(Roles.Clerk, Roles.Admin).WithName("ListSurplusReturns");
        returns.MapGet("/{id:guid}", async (Guid id, Db db, ClaimsPrincipal user, CancellationToken ct) =>
            TypedResults.Ok(await LoadAsync(db, id, user.CooperativeId(), ct))).RequireRoles(Roles.Clerk, Roles.Admin).WithName("GetSurplusReturn");
    }

    /// <summary>The cooperative's surplus returns in the order they were made, paged.</summary>
    private static async Task<Ok<Page<Summary>>> List(int? limit, string? after, Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        var paging = Paging.From(limit, after);
        var rows = await db.QueryAsync<Summary>(
            """
            select r.id, r.year, r.distributable_fen, r.volume_share_bps, r.by_volume_fen, r.retained_fen,
                   (select count(*)::int from surplus_return_shares s where s.surplus_return_id = r.id) as members
            from surplus_returns r where r.cooperative_id = @Coop and (@AfterId::uuid is null or r.id > @AfterId) order by r.id limit @Fetch
            """, new { Coop = user.CooperativeId(), paging.AfterId, paging.Fetch }, ct);
        return TypedResults.Ok(paging.ToPage(rows.ToList(), r => r.Id));
    }

    private sealed record Header(Guid Id, int Year, long DistributableFen, int VolumeShareBps, long ByVolumeFen, long RetainedFen, DateTimeOffset ReturnedAt, string ReturnedBy);

    private sealed record ShareRow(Guid GrowerId, string MemberNo, string Name, long VolumeGrams, long AmountFen);

    public static async Task<SurplusReturn> LoadAsync(Db db, Guid id, string coop, CancellationToken ct)
    {
        var h = await db.QuerySingleOrDefaultAsync<Header>(
            """
            select id, year, distributable_fen, volume_share_bps, by_volume_fen, retained_fen, returned_at, returned_by
            from surplus_returns where id = @Id and cooperative_id = @Coop
            """, new { Id = id, Coop = coop }, ct) ?? throw Problem.NotFound("surplus return");
        var shares = await db.QueryAsync<ShareRow>(
            """
            select s.grower_id, g.member_no, g.name, s.volume_grams, s.amount_fen
            from surplus_return_shares s join growers g on g.id = s.grower_id where s.surplus_return_id = @Id order by g.member_no
            """, new { Id = id }, ct);
        return new SurplusReturn(h.Id, h.Year, h.DistributableFen, h.VolumeShareBps, h.ByVolumeFen, h.RetainedFen, h.ReturnedAt, h.ReturnedBy,
            shares.Select(s => new MemberShare(s.GrowerId, s.MemberNo, s.Name, Weight.ToKg(s.VolumeGrams), s.AmountFen)).ToList());
    }
}
