using MelonChain.Cooperative.Features.Sales;
using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Grading;

/// <summary>
/// A grading mistake is corrected by reversing the live grading — who, when and why are kept — and then grading the
/// receipt again. The reversed grading stays on record; its lots leave stock. A grading whose lots are packed into an
/// order cannot be reversed (409 naming the orders): the boxes already carry those grades. Reversal and packing take
/// the cooperative's stock lock, so of a reversal and a packing that race for the same lots exactly one wins.
/// </summary>
public static class ReverseGrading
{
    public sealed record Request(string? Reason);

    public sealed record AllocatedOrder(Guid OrderId, string Status);

    private sealed record ReceiptRow(Guid GrowerId, Guid? ContractId);

    internal static async Task<Ok<Grading.ReceiptGrading>> Reverse(
        Guid id, Request request, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        new Validation().Text(request.Reason, "reason", maxLength: 500).ThrowIfInvalid();

        var coop = user.CooperativeId();
        var receipt = await db.QuerySingleOrDefaultAsync<ReceiptRow>(
            "select grower_id, contract_id from receipts where id = @Id and cooperative_id = @Coop for update",
            new { Id = id, Coop = coop }, ct) ?? throw Problem.NotFound("receipt");
        await PackOrder.LockStockAsync(db, coop, ct);
        var (gradingId, gradingNo) = await db.QuerySingleOrDefaultAsync<(Guid, int)>(
            "select id, grading_no from gradings where receipt_id = @Id and reversed_at is null", new { Id = id }, ct);
        if (gradingId == Guid.Empty) throw Problem.Conflict("not-graded", "This receipt has no grading to reverse.");

        var allocated = (await db.QueryAsync<AllocatedOrder>(
            $"""
            select distinct o.id as order_id, {Orders.StatusSql} as status
            from lots l join box_sources s on s.lot_id = l.id join boxes b on b.trace_code = s.trace_code join orders o on o.id = b.order_id
            where l.grading_id = @GradingId and l.allocated_grams > 0 and o.cancelled_at is null
            order by 1
            """, new { GradingId = gradingId }, ct)).ToList();
        if (allocated.Count > 0)
            throw Problem.Conflict("grading-allocated",
                $"Lots of this grading are packed into {string.Join(", ", allocated.Select(o => $"order {o.OrderId} ({o.Status})"))}; " +
                "a packed grading cannot be reversed. Cancel those orders first.",
                new Dictionary<string, object?> { ["orders"] = allocated });

        var reason = request.Reason!.Trim();
        var now = clock.GetUtcNow();
        await db.ExecuteAsync(
            "update gradings set reversed_at = @Now, reversed_by = @By, reversal_reason = @Reason where id = @GradingId",
            new { GradingId = gradingId, Now = now, By = user.Subject(), Reason = reason }, ct);
        await db.ExecuteAsync("update lots set withdrawn_at = @Now where grading_id = @GradingId", new { GradingId = gradingId, Now = now }, ct);
        await db.Publish(new HarvestGradingReversed(Guid.NewGuid(), now, coop, id, receipt.GrowerId, receipt.ContractId, gradingNo, reason, user.Subject()), ct);

        return TypedResults.Ok((await ListGradings.LoadAsync(db, id, ct)).Single(g => g.Id == gradingId));
    }
}
