using MelonChain.Messages;
using System.Text.RegularExpressions;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.ContractGrowing.Features.Contracts;

/// <summary>
/// Growing contracts: draft → signed → completed or terminated. Terms (expected kg, guaranteed minimum price
/// per grade, quality terms) are versioned: a draft's terms may be edited, a signed contract's only amended,
/// and every version is kept.
/// </summary>
public static partial class Contracts
{
    public sealed record MinPrices(long Premium, long Grade1, long Grade2, long Offgrade)
    {
        public IReadOnlyDictionary<string, long> ByGrade() =>
            new Dictionary<string, long> { [Grades.Premium] = Premium, [Grades.Grade1] = Grade1, [Grades.Grade2] = Grade2, [Grades.Offgrade] = Offgrade };
    }

    /// <param name="EffectiveFrom">The first harvest date these terms price (China date); null for the signed terms, which price from the start.</param>
    public sealed record Terms(int Version, decimal ExpectedKg, MinPrices MinPriceFenPerKg, string? QualityTerms, string? Reason, DateTimeOffset RecordedAt,
        DateOnly? EffectiveFrom);

    public sealed record TermsRow(int Version, long ExpectedGrams, long PremiumFen, long Grade1Fen, long Grade2Fen, long OffgradeFen,
        string? QualityTerms, string? Reason, DateTimeOffset RecordedAt, DateOnly? EffectiveFrom)
    {
        public Terms ToTerms() => new(Version, Weight.ToKg(ExpectedGrams), new MinPrices(PremiumFen, Grade1Fen, Grade2Fen, OffgradeFen), QualityTerms, Reason, RecordedAt,
            EffectiveFrom);
    }

    public sealed record ContractRow(Guid Id, Guid GrowerId, Guid PlotId, string Season, string Variety, int Seedlings, int? DensityPerMu,
        string Status, int Version, DateTimeOffset CreatedAt, DateTimeOffset? SignedAt, DateTimeOffset? ClosedAt);

    public const string ContractColumns = "id, grower_id, plot_id, season, variety, seedlings, density_per_mu, status, version, created_at, signed_at, closed_at";
    public const string TermsColumns = "version, expected_grams, premium_fen, grade1_fen, grade2_fen, offgrade_fen, quality_terms, reason, recorded_at, effective_from";

    public static RouteGroupBuilder MapContracts(this RouteGroupBuilder api)
    {
        var contracts = api.MapGroup("/contracts").RequireRoles(Roles.Officer).WithTags("Contracts");
        DraftContract.Map(contracts);
        ContractStatus.Map(contracts);
        AmendContract.Map(contracts);
        GetContract.Map(contracts);
        return api;
    }

    [GeneratedRegex("^20[0-9]{2}-(spring|autumn)$")]
    public static partial Regex SeasonPattern();

    public static void ValidateTerms(Validation v, decimal? expectedKg, MinPrices? prices, string? qualityTerms)
    {
        if (expectedKg is { } kg) v.Kg(kg, "expectedKg", 10_000_000m);
        if (prices is not null)
        {
            foreach (var (grade, fen) in prices.ByGrade())
                v.Range(fen, $"minPriceFenPerKg.{grade}", 0, 100_000);
        }
        v.Text(qualityTerms, "qualityTerms", 2000, required: false);
    }

    public static async Task<ContractRow> LoadForUpdate(Db db, Guid id, string coop, CancellationToken ct) =>
        await db.QuerySingleOrDefaultAsync<ContractRow>(
            $"select {ContractColumns} from contracts where id = @Id and cooperative_id = @Coop for update", new { Id = id, Coop = coop }, ct)
        ?? throw Problem.NotFound("contract");

    public static async Task<TermsRow> CurrentTerms(Db db, Guid id, CancellationToken ct) =>
        await db.QuerySingleAsync<TermsRow>(
            $"select {TermsColumns} from contract_terms where contract_id = @Id order by version desc limit 1", new { Id = id }, ct);

    public static Task InsertTerms(Db db, Guid contractId, int version, long expectedGrams, MinPrices p, string? qualityTerms, string? reason,
        DateTimeOffset at, string by, CancellationToken ct, DateOnly? effectiveFrom = null) => db.ExecuteAsync(
        """
        insert into contract_terms (contract_id, version, expected_grams, premium_fen, grade1_fen, grade2_fen, offgrade_fen, quality_terms, reason, recorded_at, recorded_by,
                                    effective_from)
        values (@ContractId, @Version, @ExpectedGrams, @Premium, @Grade1, @Grade2, @Offgrade, @QualityTerms, @Reason, @At, @By, @EffectiveFrom)
        on conflict (contract_id, version) do update set expected_grams = excluded.expected_grams, premium_fen = excluded.premium_fen,
            grade1_fen = excluded.grade1_fen, grade2_fen = excluded.grade2_fen, offgrade_fen = excluded.offgrade_fen,
            quality_terms = excluded.quality_terms, recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by
        """, new { ContractId = contractId, Version = version, ExpectedGrams = expectedGrams, p.Premium, p.Grade1, p.Grade2, p.Offgrade,
                   QualityTerms = qualityTerms, Reason = reason, At = at, By = by, EffectiveFrom = effectiveFrom }, ct);
}
