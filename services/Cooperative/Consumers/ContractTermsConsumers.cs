using System.Text.Json;
using MelonChain.Messages.ContractGrowing;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Messaging;

namespace MelonChain.Cooperative.Consumers;

/// <summary>
/// Keeps each contract's guaranteed minimum prices, the basis of settlement top-ups. The newest version wins
/// whatever order the signing and amendments arrive in.
/// </summary>
public static class ContractTerms
{
    public static Task Keep(Db db, string coop, Guid contractId, Guid growerId, IReadOnlyDictionary<string, long> minPrice, int version,
        DateTimeOffset at, CancellationToken ct) => db.ExecuteAsync(
        """
        insert into contract_terms (contract_id, cooperative_id, grower_id, min_price, version, changed_at)
        values (@ContractId, @Coop, @GrowerId, @MinPrice::jsonb, @Version, @At)
        on conflict (contract_id) do update set min_price = excluded.min_price, version = excluded.version, changed_at = excluded.changed_at
            where contract_terms.version < excluded.version
        """, new { ContractId = contractId, Coop = coop, GrowerId = growerId, MinPrice = JsonSerializer.Serialize(minPrice), Version = version, At = at }, ct);
}

public sealed class ContractSignedConsumer(Db db) : InboxConsumer<ContractSigned>(db)
{
    protected override Task Handle(ContractSigned m, Db db, CancellationToken ct) =>
        ContractTerms.Keep(db, m.CooperativeId, m.ContractId, m.GrowerId, m.MinPriceFenPerKg, 1, m.OccurredAt, ct);
}

public sealed class ContractAmendedConsumer(Db db) : InboxConsumer<ContractAmended>(db)
{
    protected override Task Handle(ContractAmended m, Db db, CancellationToken ct) =>
        ContractTerms.Keep(db, m.CooperativeId, m.ContractId, m.GrowerId, m.MinPriceFenPerKg, m.Version, m.OccurredAt, ct);
}
