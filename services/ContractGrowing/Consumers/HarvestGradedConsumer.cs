using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Messaging;

namespace MelonChain.ContractGrowing.Consumers;

/// <summary>
/// A contract delivery's grades count towards fulfilment per grade, whether or not its receipt arrived yet. Each
/// grading of a receipt is kept under its number; which one counts is decided when reading (the newest not reversed).
/// </summary>
public sealed class HarvestGradedConsumer(Db db) : InboxConsumer<HarvestGraded>(db)
{
    protected override async Task Handle(HarvestGraded message, Db db, CancellationToken ct)
    {
        if (message.ContractId is null) return;
        foreach (var line in message.Lines)
            await db.ExecuteAsync(
                """
                insert into graded_deliveries (receipt_id, grading_no, grade, cooperative_id, contract_id, grams)
                values (@ReceiptId, @GradingNo, @Grade, @CooperativeId, @ContractId, @Grams)
                on conflict (receipt_id, grading_no, grade) do nothing
                """, new { message.ReceiptId, message.GradingNo, line.Grade, message.CooperativeId, message.ContractId, line.Grams }, ct);
    }
}

/// <summary>
/// A reversed grading stops counting. The reversal is kept on its own, so it holds even when it arrives before the
/// grading it reverses.
/// </summary>
public sealed class HarvestGradingReversedConsumer(Db db) : InboxConsumer<HarvestGradingReversed>(db)
{
    protected override async Task Handle(HarvestGradingReversed message, Db db, CancellationToken ct)
    {
        if (message.ContractId is null) return;
        await db.ExecuteAsync(
            """
            insert into reversed_gradings (receipt_id, grading_no, cooperative_id, reason, reversed_at)
            values (@ReceiptId, @GradingNo, @CooperativeId, @Reason, @OccurredAt)
            on conflict (receipt_id, grading_no) do nothing
            """, message, ct);
    }
}
