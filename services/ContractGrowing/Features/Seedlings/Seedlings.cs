using MelonChain.Messages;
using MelonChain.Messages.ContractGrowing;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.ContractGrowing.Features.Seedlings;

/// <summary>
/// Pure-lineage Duruan seedling batches (nursery, mother field, sowing) and their issue to contracts. An issue
/// never takes more than the batch has left, also when two officers issue from the same batch at once.
/// </summary>
public static class Seedlings
{
    public sealed record Batch(Guid Id, string BatchNo, string Nursery, string MotherField, DateOnly SownOn, int Count, int Remaining, decimal GerminationRate);

    public sealed record RegisterBatch(string? BatchNo, string? Nursery, string? MotherField, DateOnly? SownOn, int Count, decimal GerminationRate);

    public sealed record IssueRequest(Guid BatchId, int Count, DateOnly? IssuedOn);

    public sealed record Issue(Guid Id, Guid ContractId, Guid BatchId, string BatchNo, int Count, DateOnly IssuedOn, int BatchRemaining);

    public static RouteGroupBuilder MapSeedlings(this RouteGroupBuilder api)
    {
        var batches = api.MapGroup("/seedling-batches").RequireRoles(Roles.Officer).WithTags("Seedlings");
        batches.MapPost("/", Register).WithName("RegisterSeedlingBatch").Problems(409, "batch-no-taken");
        batches.MapGet("/", List).WithName("ListSeedlingBatches");
        api.MapPost("/contracts/{id:guid}/seedling-issues", IssueSeedlings).RequireRoles(Roles.Officer).WithTags("Seedlings").WithName("IssueSeedlings").Problems(409, "contract-closed").Problems(422, "not-enough-seedlings");
        return api;
    }

    private const string BatchColumns = "id, batch_no, nursery, mother_field, sown_on, count, remaining, germination_rate";

    private static async Task<Created<Batch>> Register(RegisterBatch r, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        new Validation().Code(r.BatchNo, "batchNo").Text(r.Nursery, "nursery", 100).Text(r.MotherField, "motherField", 100)
            .Check(r.SownOn is not null && r.SownOn <= ChinaTime.Today(clock), "sownOn", "is required and not in the future")
            .Date(r.SownOn, "sownOn")
            .Range(r.Count, "count", 1, 1_000_000)
            .Check(r.GerminationRate is > 0 and <= 1, "germinationRate", "must be a share between 0 and 1")
            .ThrowIfInvalid();
        var batch = new Batch(Guid.CreateVersion7(), r.BatchNo!, r.Nursery!.Trim(), r.MotherField!.Trim(), r.SownOn!.Value, r.Count, r.Count, r.GerminationRate);
        var inserted = await db.ExecuteAsync(
            $"""
            insert into seedling_batches (cooperative_id, created_at, {BatchColumns})
            values (@Coop, @Now, @Id, @BatchNo, @Nursery, @MotherField, @SownOn, @Count, @Remaining, @GerminationRate)
            on conflict (cooperative_id, batch_no) do nothing
            """, new { Coop = user.CooperativeId(), Now = clock.GetUtcNow(), batch.Id, batch.BatchNo, batch.Nursery, batch.MotherField,
                       batch.SownOn, batch.Count, batch.Remaining, batch.GerminationRate }, ct);
        if (inserted == 0) throw Problem.Conflict("batch-no-taken", $"Seedling batch {batch.BatchNo} is already registered.");
        return TypedResults.Created($"/api/v1/growing/seedling-batches/{batch.Id}", batch);
    }

    private static async Task<Ok<Page<Batch>>> List(int? limit, string? after, Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        var paging = Paging.From(limit, after);
        var rows = await db.QueryAsync<Batch>(
            $"""
            select {BatchColumns} from seedling_batches
            where cooperative_id = @Coop and (@After::text is null or batch_no > @After) order by batch_no limit @Fetch
            """, new { Coop = user.CooperativeId(), paging.After, paging.Fetch }, ct);
        return TypedResults.Ok(paging.ToPage(rows, b => b.BatchNo));
    }

    private static async Task<Created<Issue>> IssueSeedlings(Guid id, IssueRequest r, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var today = ChinaTime.Today(clock);
        new Validation().Range(r.Count, "count", 1, 1_000_000)
            .Check(r.IssuedOn is null || r.IssuedOn <= today, "issuedOn", "must not be in the future").Date(r.IssuedOn, "issuedOn").ThrowIfInvalid();
        var coop = user.CooperativeId();
        var status = await db.QuerySingleOrDefaultAsync<string>(
            "select status from contracts where id = @Id and cooperative_id = @Coop for update", new { Id = id, Coop = coop }, ct)
            ?? throw Problem.NotFound("contract");
        if (status is not ("draft" or "signed"))
            throw Problem.Conflict("contract-closed", $"Seedlings are not issued to a {status} contract.");

        // One conditional update: concurrent issues queue on the batch row and each sees what the other left.
        var batch = await db.QuerySingleOrDefaultAsync<Batch>(
            $"""
            update seedling_batches set remaining = remaining - @Count
            where id = @BatchId and cooperative_id = @Coop and remaining >= @Count
            returning {BatchColumns}
            """, new { r.BatchId, r.Count, Coop = coop }, ct);
        if (batch is null)
        {
            var left = await db.QuerySingleOrDefaultAsync<int?>("select remaining from seedling_batches where id = @BatchId and cooperative_id = @Coop",
                new { r.BatchId, Coop = coop }, ct) ?? throw Problem.Invalid("batchId", "is not a seedling batch of this cooperative");
            throw Problem.Unprocessable("not-enough-seedlings", $"The batch has {left} seedlings left; {r.Count} were asked for.",
                new Dictionary<string, object?> { ["remaining"] = left, ["requested"] = r.Count });
        }

        var issue = new Issue(Guid.CreateVersion7(), id, batch.Id, batch.BatchNo, r.Count, r.IssuedOn ?? today, batch.Remaining);
        var now = clock.GetUtcNow();
        await db.ExecuteAsync(
            """
            insert into seedling_issues (id, cooperative_id, contract_id, batch_id, count, issued_on, issued_at)
            values (@Id, @Coop, @ContractId, @BatchId, @Count, @IssuedOn, @Now)
            """, new { issue.Id, Coop = coop, issue.ContractId, issue.BatchId, issue.Count, issue.IssuedOn, Now = now }, ct);
        await db.Publish(new SeedlingsIssued(Guid.NewGuid(), now, coop, id, batch.BatchNo, batch.Nursery, batch.MotherField, r.Count, issue.IssuedOn), ct);
        return TypedResults.Created($"/api/v1/growing/contracts/{id}", issue);
    }
}
