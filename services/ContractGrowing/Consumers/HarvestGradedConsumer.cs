using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Messaging;

namespace MelonChain.ContractGrowing.Consumers;

/// <summary>A contract delivery's grades count towards fulfilment per grade, whether or not its receipt arrived yet.</summary>
public sealed class HarvestGradedConsumer(Db db) : InboxConsumer<HarvestGraded>(db)
{
    protected override async Task Handle(HarvestGraded message, Db db, CancellationToken ct)
    {
        if (message.ContractId is null) return;
        foreach (var line in message.Lines)
            await db.ExecuteAsync(
                """
                insert into graded_deliveries (receipt_id, grade, cooperative_id, contract_id, grams)
                values (@ReceiptId, @Grade, @CooperativeId, @ContractId, @Grams)
                on conflict (receipt_id, grade) do nothing
                """, new { message.ReceiptId, line.Grade, message.CooperativeId, message.ContractId, line.Grams }, ct);
    }
}
