using MelonChain.Messages;
using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Grading.Grading;

namespace MelonChain.Cooperative.Features.Grading;

/// <summary>
/// 统一挑选: a receipt has at most one live grading, in kg per grade; each line becomes a lot in stock that remembers
/// its origin. Shrink (gross − graded: trimming, moisture) may be at most the cooperative's share of gross (its
/// profile's maxShrinkBps). After a reversal the receipt is graded again under the next grading number.
/// A grading captured offline carries <c>capturedAt</c> (<see cref="Receiving.CapturedAt"/>, and not before the receipt
/// was received): it is then the graded time of the grading and its lots (their FIFO order).
/// </summary>
public static class GradeReceipt
{
    public sealed record Line(string? Grade, decimal Kg, int? FruitCount);

    public sealed record Request(IReadOnlyList<Line>? Lines, string? CapturedAt = null);


    /// <summary>The shrink rule: graded never above gross, shrink at most <paramref name="maxShrinkBps"/> of gross.</summary>
    public static string? CheckShrink(long grossGrams, long gradedGrams, int maxShrinkBps)
    {
        if (gradedGrams > grossGrams) return $"Graded {Weight.ToKg(gradedGrams)} kg is more than the {Weight.ToKg(grossGrams)} kg received.";
        var shrink = grossGrams - gradedGrams;
        return shrink * 10_000 > grossGrams * (long)maxShrinkBps
            ? $"Shrink of {Weight.ToKg(shrink)} kg is over {maxShrinkBps / 100m}% of the {Weight.ToKg(grossGrams)} kg received."
            : null;
    }

    private sealed record ReceiptRow(Guid GrowerId, Guid? ContractId, DateOnly HarvestedOn, long GrossGrams, DateTimeOffset ReceivedAt);

    internal static async Task<Created<ReceiptGrading>> Grade(Guid id, Request request, Db db, ClaimsPrincipal user, TimeProvider clock,
        IConfiguration config, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var v = new Validation();
        var capturedAt = Receiving.CapturedAt.Check(request.CapturedAt, v, now, config.GetValue("Receiving:MaxHarvestAgeDays", 7));
        v.Check(request.Lines is { Count: > 0 and <= 4 }, "lines", "one to four grade lines are required");
        foreach (var (line, i) in (request.Lines ?? []).Select((l, i) => (l, i)))
        {
            v.OneOf(line.Grade, $"lines[{i}].grade", Grades.All).Kg(line.Kg, $"lines[{i}].kg", 2000m)
             .Check(line.FruitCount is null or (> 0 and <= 100_000), $"lines[{i}].fruitCount", "must be between 1 and 100,000");
        }
        v.Check(request.Lines is null || request.Lines.Select(l => l.Grade).Distinct().Count() == request.Lines.Count, "lines", "each grade at most once");
        v.ThrowIfInvalid();

        var coop = user.CooperativeId();
        var receipt = await db.QuerySingleOrDefaultAsync<ReceiptRow>(
            "select grower_id, contract_id, harvested_on, gross_grams, received_at from receipts where id = @Id and cooperative_id = @Coop for update",
            new { Id = id, Coop = coop }, ct) ?? throw Problem.NotFound("receipt");
        if (capturedAt < receipt.ReceivedAt)
            throw Problem.Invalid(Receiving.CapturedAt.Field, "must not be before the receipt was received");
        var numbers = await db.QuerySingleAsync<(int Last, bool Live)>(
            "select coalesce(max(grading_no), 0), coalesce(bool_or(reversed_at is null), false) from gradings where receipt_id = @Id",
            new { Id = id }, ct);
        if (numbers.Live)
            throw Problem.Conflict("already-graded", "This receipt is already graded; reverse that grading (with a reason) to grade it again.");

        var graded = request.Lines!.Sum(l => Weight.ToGrams(l.Kg));
        if (CheckShrink(receipt.GrossGrams, graded, (await Profile.Profile.RulesAsync(db, coop, ct)).MaxShrinkBps) is { } problem)
            throw Problem.Unprocessable("shrink-out-of-bounds", problem);

        var gradedAt = capturedAt ?? now;
        var gradingId = Guid.CreateVersion7();
        var gradingNo = numbers.Last + 1;
        await db.ExecuteAsync(
            """
            insert into gradings (id, receipt_id, grading_no, cooperative_id, graded_grams, shrink_grams, graded_at, graded_by, captured_at)
            values (@GradingId, @Id, @GradingNo, @Coop, @Graded, @Shrink, @GradedAt, @By, @CapturedAt)
            """, new { GradingId = gradingId, Id = id, GradingNo = gradingNo, Coop = coop, Graded = graded, Shrink = receipt.GrossGrams - graded,
                       GradedAt = gradedAt, By = user.Subject(), CapturedAt = capturedAt }, ct);
        var lots = request.Lines!.Select(l => new Lot(Guid.CreateVersion7(), l.Grade!, l.Kg, l.FruitCount)).ToList();
        foreach (var lot in lots)
            await db.ExecuteAsync(
                """
                insert into lots (id, cooperative_id, receipt_id, grading_id, grower_id, contract_id, harvested_on, graded_at, grade, grams, fruit_count)
                values (@Id, @Coop, @ReceiptId, @GradingId, @GrowerId, @ContractId, @HarvestedOn, @GradedAt, @Grade, @Grams, @FruitCount)
                """, new { lot.Id, Coop = coop, ReceiptId = id, GradingId = gradingId, receipt.GrowerId, receipt.ContractId, receipt.HarvestedOn, GradedAt = gradedAt,
                           lot.Grade, Grams = Weight.ToGrams(lot.Kg), lot.FruitCount }, ct);

        await db.Publish(new HarvestGraded(Guid.NewGuid(), now, coop, id, receipt.GrowerId, receipt.ContractId,
            lots.Select(l => new GradeLine(l.Grade, Weight.ToGrams(l.Kg), l.FruitCount)).ToList(), receipt.GrossGrams - graded, gradingNo), ct);
        return TypedResults.Created($"/api/v1/cooperative/receipts/{id}/gradings",
            new ReceiptGrading(gradingId, id, gradingNo, Weight.ToKg(receipt.GrossGrams), Weight.ToKg(graded), Weight.ToKg(receipt.GrossGrams - graded),
                lots, gradedAt, user.Subject(), null, capturedAt));
    }
}
