using MelonChain.Messages;
using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Grading;

/// <summary>
/// 统一挑选: a receipt is graded once into kg per grade; each line becomes a lot in stock that remembers its
/// origin. Shrink (gross − graded: trimming, moisture) may be at most the cooperative's share of gross (its profile's maxShrinkBps).
/// </summary>
public static class GradeReceipt
{
    public sealed record Line(string? Grade, decimal Kg, int? FruitCount);

    public sealed record Request(IReadOnlyList<Line>? Lines);

    public sealed record Lot(Guid Id, string Grade, decimal Kg, int? FruitCount);

    public sealed record Grading(Guid ReceiptId, decimal GrossKg, decimal GradedKg, decimal ShrinkKg, IReadOnlyList<Lot> Lots, DateTimeOffset GradedAt);

    public static RouteGroupBuilder MapGrading(this RouteGroupBuilder api)
    {
        api.MapPost("/receipts/{id:guid}/grading", Grade).RequireRoles(Roles.Clerk).WithTags("Grading").WithName("GradeReceipt").Problems(409, "already-graded", ProblemTypes.ProfileRequired).Problems(422, "shrink-out-of-bounds");
        api.MapGet("/stock", Stock.Get).RequireRoles(Roles.Clerk).WithTags("Grading").WithName("GetStock").Problems(409, ProblemTypes.ProfileRequired);
        api.MapGet("/reports/intake", IntakeReport.Get).RequireRoles(Roles.Clerk).WithTags("Grading").WithName("IntakeReport");
        return api;
    }

    /// <summary>The shrink rule: graded never above gross, shrink at most <paramref name="maxShrinkBps"/> of gross.</summary>
    public static string? CheckShrink(long grossGrams, long gradedGrams, int maxShrinkBps)
    {
        if (gradedGrams > grossGrams) return $"Graded {Weight.ToKg(gradedGrams)} kg is more than the {Weight.ToKg(grossGrams)} kg received.";
        var shrink = grossGrams - gradedGrams;
        return shrink * 10_000 > grossGrams * (long)maxShrinkBps
            ? $"Shrink of {Weight.ToKg(shrink)} kg is over {maxShrinkBps / 100m}% of the {Weight.ToKg(grossGrams)} kg received."
            : null;
    }

    private sealed record ReceiptRow(Guid GrowerId, Guid? ContractId, DateOnly HarvestedOn, long GrossGrams);

    private static async Task<Created<Grading>> Grade(Guid id, Request request, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation().Check(request.Lines is { Count: > 0 and <= 4 }, "lines", "one to four grade lines are required");
        foreach (var (line, i) in (request.Lines ?? []).Select((l, i) => (l, i)))
        {
            v.OneOf(line.Grade, $"lines[{i}].grade", Grades.All).Kg(line.Kg, $"lines[{i}].kg", 2000m)
             .Check(line.FruitCount is null or (> 0 and <= 100_000), $"lines[{i}].fruitCount", "must be between 1 and 100,000");
        }
        v.Check(request.Lines is null || request.Lines.Select(l => l.Grade).Distinct().Count() == request.Lines.Count, "lines", "each grade at most once");
        v.ThrowIfInvalid();

        var coop = user.CooperativeId();
        var receipt = await db.QuerySingleOrDefaultAsync<ReceiptRow>(
            "select grower_id, contract_id, harvested_on, gross_grams from receipts where id = @Id and cooperative_id = @Coop for update",
            new { Id = id, Coop = coop }, ct) ?? throw Problem.NotFound("receipt");
        if (await db.ExecuteScalarAsync<bool>("select exists (select 1 from gradings where receipt_id = @Id)", new { Id = id }, ct))
            throw Problem.Conflict("already-graded", "This receipt is already graded.");

        var graded = request.Lines!.Sum(l => Weight.ToGrams(l.Kg));
        if (CheckShrink(receipt.GrossGrams, graded, (await Profile.Profile.RulesAsync(db, coop, ct)).MaxShrinkBps) is { } problem)
            throw Problem.Unprocessable("shrink-out-of-bounds", problem);

        var now = clock.GetUtcNow();
        await db.ExecuteAsync(
            """
            insert into gradings (receipt_id, cooperative_id, graded_grams, shrink_grams, graded_at, graded_by)
            values (@Id, @Coop, @Graded, @Shrink, @Now, @By)
            """, new { Id = id, Coop = coop, Graded = graded, Shrink = receipt.GrossGrams - graded, Now = now, By = user.Subject() }, ct);
        var lots = request.Lines!.Select(l => new Lot(Guid.CreateVersion7(), l.Grade!, l.Kg, l.FruitCount)).ToList();
        foreach (var lot in lots)
            await db.ExecuteAsync(
                """
                insert into lots (id, cooperative_id, receipt_id, grower_id, contract_id, harvested_on, graded_at, grade, grams, fruit_count)
                values (@Id, @Coop, @ReceiptId, @GrowerId, @ContractId, @HarvestedOn, @Now, @Grade, @Grams, @FruitCount)
                """, new { lot.Id, Coop = coop, ReceiptId = id, receipt.GrowerId, receipt.ContractId, receipt.HarvestedOn, Now = now,
                           lot.Grade, Grams = Weight.ToGrams(lot.Kg), lot.FruitCount }, ct);

        await db.Publish(new HarvestGraded(Guid.NewGuid(), now, coop, id, receipt.GrowerId, receipt.ContractId,
            lots.Select(l => new GradeLine(l.Grade, Weight.ToGrams(l.Kg), l.FruitCount)).ToList(), receipt.GrossGrams - graded), ct);
        return TypedResults.Created($"/api/v1/cooperative/receipts/{id}",
            new Grading(id, Weight.ToKg(receipt.GrossGrams), Weight.ToKg(graded), Weight.ToKg(receipt.GrossGrams - graded), lots, now));
    }
}
