using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.ContractGrowing.Features.Growers;

/// <summary>Enping contract growers and their plots. ID numbers and phones are shown masked.</summary>
public static class Growers
{
    /// <summary>A member a cooperative made from this grower's signed contract (its id there is the memberId).</summary>
    public sealed record Membership(string CooperativeId, Guid MemberId, string MemberNo, Guid? ContractId);

    /// <summary>A contract grower; one read alone (GET /growers/{id}) also lists the members cooperatives made of them.</summary>
    public sealed record Grower(Guid Id, string Name, string Phone, string? IdNumber, string Town, string Village, DateTimeOffset RegisteredAt)
    {
        public IReadOnlyList<Membership>? Members { get; init; }

        public Grower Masked() => this with { Phone = Privacy.MaskPhone(Phone), IdNumber = IdNumber is null ? null : Privacy.MaskIdNumber(IdNumber) };
    }

    public sealed record RegisterGrower(string? Name, string? Phone, string? IdNumber, string? Town, string? Village);

    public sealed record Plot(Guid Id, Guid GrowerId, decimal AreaM2, string Location, decimal? Latitude, decimal? Longitude);

    public sealed record RegisterPlot(Guid GrowerId, decimal AreaM2, string? Location, decimal? Latitude, decimal? Longitude);

    public static RouteGroupBuilder MapGrowers(this RouteGroupBuilder api)
    {
        var growers = api.MapGroup("/growers").RequireRoles(Roles.Officer).WithTags("Growers");
        growers.MapPost("/", Register).WithName("RegisterContractGrower");
        growers.MapGet("/", List).WithName("ListContractGrowers");
        growers.MapGet("/{id:guid}", Get).WithName("GetContractGrower");
        api.MapPost("/plots", AddPlot).RequireRoles(Roles.Officer).WithTags("Growers").WithName("RegisterPlot");
        return api;
    }

    private static async Task<Created<Grower>> Register(RegisterGrower r, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation().Text(r.Name, "name", 100).Phone(r.Phone, "phone").Text(r.Town, "town", 100).Text(r.Village, "village", 100);
        if (r.IdNumber is not null) v.Check(r.IdNumber.Length == 18 && r.IdNumber[..17].All(char.IsAsciiDigit) && (char.IsAsciiDigit(r.IdNumber[17]) || r.IdNumber[17] is 'X' or 'x'),
            "idNumber", "must be an 18-character resident ID number");
        v.ThrowIfInvalid();
        var grower = new Grower(Guid.CreateVersion7(), r.Name!.Trim(), r.Phone!.Trim(), r.IdNumber?.ToUpperInvariant(), r.Town!.Trim(), r.Village!.Trim(), clock.GetUtcNow());
        await db.ExecuteAsync(
            """
            insert into growers (id, cooperative_id, name, phone, id_number, town, village, registered_at)
            values (@Id, @Coop, @Name, @Phone, @IdNumber, @Town, @Village, @RegisteredAt)
            """, new { grower.Id, Coop = user.CooperativeId(), grower.Name, grower.Phone, grower.IdNumber, grower.Town, grower.Village, grower.RegisteredAt }, ct);
        return TypedResults.Created($"/api/v1/growing/growers/{grower.Id}", grower.Masked());
    }

    private static async Task<Ok<Page<Grower>>> List(int? limit, string? after, Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        var paging = Paging.From(limit, after);
        var rows = await db.QueryAsync<Grower>(
            """
            select id, name, phone, id_number, town, village, registered_at from growers
            where cooperative_id = @Coop and (@AfterId::uuid is null or id > @AfterId) order by id limit @Fetch
            """, new { Coop = user.CooperativeId(), paging.AfterId, paging.Fetch }, ct);
        var page = paging.ToPage(rows, g => g.Id);
        return TypedResults.Ok(page with { Items = page.Items.Select(g => g.Masked()).ToList() });
    }

    private static async Task<Ok<Grower>> Get(Guid id, Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        var coop = user.CooperativeId();
        var grower = await db.QuerySingleOrDefaultAsync<Grower>(
            "select id, name, phone, id_number, town, village, registered_at from growers where id = @Id and cooperative_id = @Coop",
            new { Id = id, Coop = coop }, ct) ?? throw Problem.NotFound("grower");
        var members = await db.QueryAsync<Membership>(
            """
            select cooperative_id, member_id, member_no, contract_id from memberships
            where cooperative_id = @Coop and growing_grower_id = @Id order by member_no
            """, new { Id = id, Coop = coop }, ct);
        return TypedResults.Ok(grower.Masked() with { Members = members });
    }

    private static async Task<Created<Plot>> AddPlot(RegisterPlot r, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation()
            .Check(r.AreaM2 is > 0 and <= 10_000_000, "areaM2", "must be between 0 and 10,000,000 m²")
            .Text(r.Location, "location", 200)
            .Check(r.Latitude is null or (>= -90 and <= 90), "latitude", "must be between -90 and 90")
            .Check(r.Longitude is null or (>= -180 and <= 180), "longitude", "must be between -180 and 180");
        v.ThrowIfInvalid();
        var coop = user.CooperativeId();
        _ = await db.QuerySingleOrDefaultAsync<Guid?>("select id from growers where id = @Id and cooperative_id = @Coop", new { Id = r.GrowerId, Coop = coop }, ct)
            ?? throw Problem.Invalid("growerId", "is not a contract grower of this cooperative");
        var plot = new Plot(Guid.CreateVersion7(), r.GrowerId, decimal.Round(r.AreaM2, 2), r.Location!.Trim(), r.Latitude, r.Longitude);
        await db.ExecuteAsync(
            """
            insert into plots (id, cooperative_id, grower_id, area_m2, location, latitude, longitude, created_at)
            values (@Id, @Coop, @GrowerId, @AreaM2, @Location, @Latitude, @Longitude, @Now)
            """, new { plot.Id, Coop = coop, plot.GrowerId, plot.AreaM2, plot.Location, plot.Latitude, plot.Longitude, Now = clock.GetUtcNow() }, ct);
        return TypedResults.Created($"/api/v1/growing/plots/{plot.Id}", plot);
    }
}
