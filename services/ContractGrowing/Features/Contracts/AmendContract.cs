using MelonChain.Messages;
using MelonChain.Messages.ContractGrowing;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.ContractGrowing.Features.Contracts.Contracts;

namespace MelonChain.ContractGrowing.Features.Contracts;

/// <summary>
/// Signed terms change only by amendment: a new version with its reason, the old versions kept, and
/// ContractAmended published so the cooperative settles by the new guarantee. An amendment prices harvests on or after
/// its <c>effectiveFrom</c> (China date; today when omitted, at most a year ahead, never in the past): melons already
/// harvested keep the terms they were harvested under.
/// </summary>
public static class AmendContract
{
    /// <summary>How far ahead an amendment may be dated: the next season's terms, not the one after.</summary>
    public const int MaxDaysAhead = 366;

    public sealed record Request(decimal? ExpectedKg, MinPrices? MinPriceFenPerKg, string? QualityTerms, string? Reason, DateOnly? EffectiveFrom = null);

    public static void Map(RouteGroupBuilder contracts) => contracts.MapPost("/{id:guid}/amendments", Amend).WithName("AmendContract").Problems(409, "contract-not-signed");

    private static async Task<Created<GetContract.View>> Amend(Guid id, Request r, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation().Text(r.Reason, "reason", 500)
            .Check(r.ExpectedKg is not null || r.MinPriceFenPerKg is not null || r.QualityTerms is not null, "terms", "an amendment changes at least one term");
        ValidateTerms(v, r.ExpectedKg, r.MinPriceFenPerKg, r.QualityTerms);
        var today = ChinaTime.Today(clock);
        var effectiveFrom = r.EffectiveFrom ?? today;
        v.Check(effectiveFrom >= today, "effectiveFrom", "must not be in the past: melons already harvested keep the terms they were harvested under")
         .Check(effectiveFrom <= today.AddDays(MaxDaysAhead), "effectiveFrom", $"must be within {MaxDaysAhead} days from today");
        v.ThrowIfInvalid();

        var coop = user.CooperativeId();
        var contract = await LoadForUpdate(db, id, coop, ct);
        if (contract.Status != "signed")
            throw Problem.Conflict("contract-not-signed", $"Only a signed contract is amended; this one is {contract.Status}.");
        var current = (await CurrentTerms(db, id, ct)).ToTerms();
        var version = contract.Version + 1;
        var prices = r.MinPriceFenPerKg ?? current.MinPriceFenPerKg;
        var expectedGrams = Weight.ToGrams(r.ExpectedKg ?? current.ExpectedKg);
        var now = clock.GetUtcNow();
        await InsertTerms(db, id, version, expectedGrams, prices, r.QualityTerms ?? current.QualityTerms, r.Reason!.Trim(), now, user.Subject(), ct, effectiveFrom);
        await db.ExecuteAsync("update contracts set version = @Version where id = @Id", new { Id = id, Version = version }, ct);

        var (facts, _) = await ContractStatus.FactsAsync(db, id, ct);
        await db.Publish(new ContractAmended(Guid.NewGuid(), now, coop, id, facts.GrowerId, $"{facts.Town}{facts.Village}",
            (long)Math.Round(facts.AreaM2), facts.Season, expectedGrams, prices.ByGrade(), facts.BatchNo, version, facts.Grower, effectiveFrom), ct);
        return TypedResults.Created($"/api/v1/growing/contracts/{id}", await GetContract.Load(db, id, coop, ct));
    }
}
