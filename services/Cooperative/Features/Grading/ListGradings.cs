using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Grading.Grading;

namespace MelonChain.Cooperative.Features.Grading;

/// <summary>Every grading of a receipt, the reversed ones with who reversed them, when and why; oldest first.</summary>
public static class ListGradings
{
    private sealed record Row(
        Guid Id, Guid ReceiptId, int GradingNo, long GrossGrams, long GradedGrams, long ShrinkGrams, DateTimeOffset GradedAt, string GradedBy,
        DateTimeOffset? ReversedAt, string? ReversedBy, string? ReversalReason, DateTimeOffset? CapturedAt);

    private sealed record LotRow(Guid GradingId, Guid Id, string Grade, long Grams, int? FruitCount);

    internal static async Task<Ok<IReadOnlyList<ReceiptGrading>>> List(Guid id, Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!await db.ExecuteScalarAsync<bool>("select exists (select 1 from receipts where id = @Id and cooperative_id = @Coop)",
                new { Id = id, Coop = user.CooperativeId() }, ct))
            throw Problem.NotFound("receipt");
        return TypedResults.Ok(await LoadAsync(db, id, ct));
    }

    internal static async Task<IReadOnlyList<ReceiptGrading>> LoadAsync(Db db, Guid receiptId, CancellationToken ct)
    {
        var gradings = await db.QueryAsync<Row>(
            """
            select g.id, g.receipt_id, g.grading_no, r.gross_grams, g.graded_grams, g.shrink_grams, g.graded_at, g.graded_by,
                   g.reversed_at, g.reversed_by, g.reversal_reason, g.captured_at
            from gradings g join receipts r on r.id = g.receipt_id
            where g.receipt_id = @Id order by g.grading_no
            """, new { Id = receiptId }, ct);
        var lots = (await db.QueryAsync<LotRow>(
            "select grading_id, id, grade, grams, fruit_count from lots where receipt_id = @Id order by id", new { Id = receiptId }, ct))
            .ToLookup(l => l.GradingId);
        return gradings.Select(g => new ReceiptGrading(g.Id, g.ReceiptId, g.GradingNo, Weight.ToKg(g.GrossGrams), Weight.ToKg(g.GradedGrams),
            Weight.ToKg(g.ShrinkGrams), lots[g.Id].Select(l => new Lot(l.Id, l.Grade, Weight.ToKg(l.Grams), l.FruitCount)).ToList(),
            g.GradedAt, g.GradedBy, g.ReversedAt is { } at ? new Reversal(at, g.ReversedBy!, g.ReversalReason!) : null, g.CapturedAt)).ToList();
    }
}
