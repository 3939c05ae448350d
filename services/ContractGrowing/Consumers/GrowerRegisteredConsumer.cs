using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Messaging;

namespace MelonChain.ContractGrowing.Consumers;

/// <summary>
/// A cooperative made a member from one of our growers: keep the member's id and number, so the grower here shows the
/// member it is there (the cooperative's member shows our grower's id). Other members are none of our business.
/// </summary>
public sealed class GrowerRegisteredConsumer(Db db) : InboxConsumer<GrowerRegistered>(db)
{
    protected override async Task Handle(GrowerRegistered m, Db db, CancellationToken ct)
    {
        if (m.GrowingGrowerId is null) return;
        await db.ExecuteAsync(
            """
            insert into memberships (member_id, cooperative_id, growing_grower_id, member_no, contract_id, registered_at)
            values (@MemberId, @CooperativeId, @GrowingGrowerId, @MemberNo, @ContractId, @OccurredAt)
            on conflict (member_id) do nothing
            """, m, ct);
    }
}
