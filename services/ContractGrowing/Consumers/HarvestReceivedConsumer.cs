using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Messaging;

namespace MelonChain.ContractGrowing.Consumers;

/// <summary>A contract grower's delivery at the cooperative counts towards the contract's fulfilment.</summary>
public sealed class HarvestReceivedConsumer(Db db) : InboxConsumer<HarvestReceived>(db)
{
    protected override async Task Handle(HarvestReceived message, Db db, CancellationToken ct)
    {
        if (message.ContractId is null) return;
        await db.ExecuteAsync(
            """
            insert into deliveries (receipt_id, cooperative_id, contract_id, member_id, receipt_no, harvested_on, gross_grams, received_at)
            values (@ReceiptId, @CooperativeId, @ContractId, @MemberId, @ReceiptNo, @HarvestedOn, @GrossGrams, @ReceivedAt)
            on conflict (receipt_id) do nothing
            """, message, ct);
    }
}
