using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Members.Members;

namespace MelonChain.Cooperative.Features.Members;

/// <summary>The member register: a page of growers by member number (phones masked), and one grower in full.</summary>
public static class ListGrowers
{
    public static void Map(RouteGroupBuilder growers)
    {
        growers.MapGet("/", List).WithName("ListGrowers");
        growers.MapGet("/{id:guid}", Get).WithName("GetGrower");
    }

    private const string Columns = "id, member_no, name, phone, village, kind, contract_id, registered_at, growing_grower_id";

    private static async Task<Ok<Page<Grower>>> List(int? limit, string? after, Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        var paging = Paging.From(limit, after);
        var rows = await db.QueryAsync<Grower>(
            $"""
            select {Columns} from growers
            where cooperative_id = @Coop and (@After::text is null or member_no > @After)
            order by member_no limit @Fetch
            """, new { Coop = user.CooperativeId(), paging.After, paging.Fetch }, ct);
        var page = paging.ToPage(rows, g => g.MemberNo);
        return TypedResults.Ok(page with { Items = page.Items.Select(g => g with { Phone = Privacy.MaskPhone(g.Phone) }).ToList() });
    }

    private static async Task<Ok<Grower>> Get(Guid id, Db db, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(await db.QuerySingleOrDefaultAsync<Grower>(
            $"select {Columns} from growers where id = @Id and cooperative_id = @Coop",
            new { Id = id, Coop = user.CooperativeId() }, ct) ?? throw Problem.NotFound("grower"));
}
