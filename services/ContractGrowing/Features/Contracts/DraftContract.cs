using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.ContractGrowing.Features.Contracts.Contracts;

namespace MelonChain.ContractGrowing.Features.Contracts;

/// <summary>An officer drafts a contract for a grower's plot; while it is a draft its terms may still change.</summary>
public static class DraftContract
{
    public sealed record Request(Guid GrowerId, Guid PlotId, string? Season, string? Variety, int Seedlings, int? DensityPerMu,
        decimal ExpectedKg, MinPrices? MinPriceFenPerKg, string? QualityTerms);

    public static void Map(RouteGroupBuilder contracts)
    {
        contracts.MapPost("/", Create).WithName("DraftContract");
        contracts.MapPut("/{id:guid}", Update).WithName("UpdateDraftContract").Problems(409, "contract-not-draft");
    }

    private static void Validate(Request r)
    {
        var v = new Validation()
            .Check(r.Season is not null && SeasonPattern().IsMatch(r.Season), "season", "must look like 2026-spring or 2026-autumn")
            .Text(r.Variety, "variety", 50)
            .Range(r.Seedlings, "seedlings", 1, 1_000_000)
            .Check(r.DensityPerMu is null or (> 0 and <= 10_000), "densityPerMu", "must be between 1 and 10,000 plants per mu")
            .Check(r.MinPriceFenPerKg is not null, "minPriceFenPerKg", "is required");
        ValidateTerms(v, r.ExpectedKg, r.MinPriceFenPerKg, r.QualityTerms);
        v.ThrowIfInvalid();
    }

    private static async Task CheckGrowerAndPlot(Db db, Request r, string coop, CancellationToken ct)
    {
        var plotOwner = await db.QuerySingleOrDefaultAsync<Guid?>(
            "select p.grower_id from plots p join growers g on g.id = p.grower_id where p.id = @PlotId and p.cooperative_id = @Coop",
            new { r.PlotId, Coop = coop }, ct);
        if (plotOwner is null) throw Problem.Invalid("plotId", "is not a plot of this cooperative");
        if (plotOwner != r.GrowerId) throw Problem.Invalid("plotId", "belongs to another grower");
    }

    private static async Task<Created<GetContract.View>> Create(Request r, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        Validate(r);
        var coop = user.CooperativeId();
        await CheckGrowerAndPlot(db, r, coop, ct);
        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        await db.ExecuteAsync(
            """
            insert into contracts (id, cooperative_id, grower_id, plot_id, season, variety, seedlings, density_per_mu, status, version, created_at)
            values (@Id, @Coop, @GrowerId, @PlotId, @Season, @Variety, @Seedlings, @DensityPerMu, 'draft', 1, @Now)
            """, new { Id = id, Coop = coop, r.GrowerId, r.PlotId, r.Season, Variety = r.Variety!.Trim(), r.Seedlings, r.DensityPerMu, Now = now }, ct);
        await InsertTerms(db, id, 1, Weight.ToGrams(r.ExpectedKg), r.MinPriceFenPerKg!, r.QualityTerms, "drafted", now, user.Subject(), ct);
        return TypedResults.Created($"/api/v1/growing/contracts/{id}", await GetContract.Load(db, id, coop, ct));
    }

    private static async Task<Ok<GetContract.View>> Update(Guid id, Request r, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        Validate(r);
        var coop = user.CooperativeId();
        var contract = await LoadForUpdate(db, id, coop, ct);
        if (contract.Status != "draft")
            throw Problem.Conflict("contract-not-draft", $"The contract is {contract.Status}: its terms change only through an amendment.");
        await CheckGrowerAndPlot(db, r, coop, ct);
        await db.ExecuteAsync(
            """
            update contracts set grower_id = @GrowerId, plot_id = @PlotId, season = @Season, variety = @Variety,
                                 seedlings = @Seedlings, density_per_mu = @DensityPerMu where id = @Id
            """, new { Id = id, r.GrowerId, r.PlotId, r.Season, Variety = r.Variety!.Trim(), r.Seedlings, r.DensityPerMu }, ct);
        await InsertTerms(db, id, 1, Weight.ToGrams(r.ExpectedKg), r.MinPriceFenPerKg!, r.QualityTerms, "drafted", clock.GetUtcNow(), user.Subject(), ct);
        return TypedResults.Ok(await GetContract.Load(db, id, coop, ct));
    }
}
