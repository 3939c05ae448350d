using MelonChain.ContractGrowing.Features.Fulfilment;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.ContractGrowing.Features.Contracts.Contracts;

namespace MelonChain.ContractGrowing.Features.Contracts;

/// <summary>A contract with its current terms, every earlier version, seedlings issued, field work and fulfilment.</summary>
public static class GetContract
{
    public sealed record SeedlingIssue(Guid Id, string BatchNo, string Nursery, string MotherField, int Count, DateOnly IssuedOn);

    public sealed record View(
        Guid Id, Guid GrowerId, Guid PlotId, string Season, string Variety, int Seedlings, int? DensityPerMu, string Status,
        DateTimeOffset CreatedAt, DateTimeOffset? SignedAt, DateTimeOffset? ClosedAt, Terms Terms, IReadOnlyList<Terms> History,
        IReadOnlyList<SeedlingIssue> SeedlingIssues, IReadOnlyList<FieldWork.Visit> Visits, IReadOnlyList<FieldWork.FieldLog> FieldLogs,
        FulfilmentReport.Fulfilment Fulfilment);

    public sealed record Summary(Guid Id, Guid GrowerId, string Season, string Status, int Version);

    public static void Map(RouteGroupBuilder contracts)
    {
        contracts.MapGet("/{id:guid}", async (Guid id, Db db, ClaimsPrincipal user, CancellationToken ct) =>
            TypedResults.Ok(await Load(db, id, user.CooperativeId(), ct))).WithName("GetContract");
        contracts.MapGet("/", async (string? season, int? limit, string? after, Db db, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var paging = Paging.From(limit, after);
            var rows = await db.QueryAsync<Summary>(
                """
                select id, grower_id, season, status, version from contracts
                where cooperative_id = @Coop and (@Season::text is null or season = @Season) and (@AfterId::uuid is null or id > @AfterId)
                order by id limit @Fetch
                """, new { Coop = user.CooperativeId(), Season = season, paging.AfterId, paging.Fetch }, ct);
            return TypedResults.Ok(paging.ToPage(rows, c => c.Id));
        }).WithName("ListContracts");
    }

    public static async Task<View> Load(Db db, Guid id, string coop, CancellationToken ct)
    {
        var c = await db.QuerySingleOrDefaultAsync<ContractRow>(
            $"select {ContractColumns} from contracts where id = @Id and cooperative_id = @Coop", new { Id = id, Coop = coop }, ct)
            ?? throw Problem.NotFound("contract");
        var history = (await db.QueryAsync<TermsRow>(
            $"select {TermsColumns} from contract_terms where contract_id = @Id order by version", new { Id = id }, ct)).Select(t => t.ToTerms()).ToList();
        var issues = await db.QueryAsync<SeedlingIssue>(
            """
            select i.id, b.batch_no, b.nursery, b.mother_field, i.count, i.issued_on
            from seedling_issues i join seedling_batches b on b.id = i.batch_id where i.contract_id = @Id order by i.issued_at
            """, new { Id = id }, ct);
        var visits = await db.QueryAsync<FieldWork.Visit>($"select {FieldWork.VisitColumns} from visits where contract_id = @Id order by visited_on, recorded_at", new { Id = id }, ct);
        var logs = await db.QueryAsync<FieldWork.FieldLog>($"select {FieldWork.LogColumns} from field_logs where contract_id = @Id order by logged_on, recorded_at", new { Id = id }, ct);
        var fulfilment = (await FulfilmentReport.ForContracts(db, coop, [id], ct)).Single();
        return new View(c.Id, c.GrowerId, c.PlotId, c.Season, c.Variety, c.Seedlings, c.DensityPerMu, c.Status, c.CreatedAt, c.SignedAt, c.ClosedAt,
            history[^1], history, issues, visits, logs, fulfilment);
    }
}
