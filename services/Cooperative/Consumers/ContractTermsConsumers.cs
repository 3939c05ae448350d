using System.Text.Json;
using MelonChain.Messages;
using MelonChain.Messages.ContractGrowing;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Messaging;

namespace MelonChain.Cooperative.Consumers;

/// <summary>
/// Keeps each contract's guaranteed minimum prices, the basis of settlement top-ups, and the grower it names (as
/// ContractGrowing registered them: a contract member is made from this). contract_terms holds the newest version
/// whatever order the signing and amendments arrive in; contract_term_versions holds every version with the first
/// harvest date it prices, and contract_ends the day a contract ended: each kept once, in any order.
/// </summary>
public static class ContractTerms
{
    /// <summary>A version of the terms: null <paramref name="effectiveFrom"/> prices from the contract's start (the signed terms).</summary>
    public static Task KeepVersion(Db db, string coop, Guid contractId, int version, IReadOnlyDictionary<string, long> minPrice, DateOnly? effectiveFrom,
        DateTimeOffset at, CancellationToken ct) => db.ExecuteAsync(
        """
        insert into contract_term_versions (contract_id, version, cooperative_id, min_price, effective_from, recorded_at)
        values (@ContractId, @Version, @Coop, @MinPrice::jsonb, @EffectiveFrom, @At)
        on conflict (contract_id, version) do nothing
        """, new { ContractId = contractId, Version = version, Coop = coop, MinPrice = JsonSerializer.Serialize(minPrice), EffectiveFrom = effectiveFrom, At = at }, ct);

    /// <summary>A contract completed or terminated on <paramref name="endedOn"/>; a contract ends once.</summary>
    public static Task KeepEnd(Db db, string coop, Guid contractId, string endedAs, DateOnly endedOn, DateTimeOffset at, CancellationToken ct) => db.ExecuteAsync(
        """
        insert into contract_ends (contract_id, cooperative_id, ended_as, ended_on, ended_at) values (@ContractId, @Coop, @EndedAs, @EndedOn, @At)
        on conflict (contract_id) do nothing
        """, new { ContractId = contractId, Coop = coop, EndedAs = endedAs, EndedOn = endedOn, At = at }, ct);

    public static Task Keep(Db db, string coop, Guid contractId, Guid growingGrowerId, ContractGrower? grower,
        IReadOnlyDictionary<string, long> minPrice, int version, DateTimeOffset at, CancellationToken ct) => db.ExecuteAsync(
        """
        insert into contract_terms (contract_id, cooperative_id, growing_grower_id, grower_name, grower_phone, grower_town, grower_village,
                                    min_price, version, changed_at)
        values (@ContractId, @Coop, @GrowingGrowerId, @Name, @Phone, @Town, @Village, @MinPrice::jsonb, @Version, @At)
        on conflict (contract_id) do update set
            min_price = case when contract_terms.version < excluded.version then excluded.min_price else contract_terms.min_price end,
            changed_at = case when contract_terms.version < excluded.version then excluded.changed_at else contract_terms.changed_at end,
            version = greatest(contract_terms.version, excluded.version),
            -- The newer event's grower details win; an older one (the signing after an amendment that named no grower) fills gaps.
            grower_name = case when contract_terms.version < excluded.version then coalesce(excluded.grower_name, contract_terms.grower_name)
                               else coalesce(contract_terms.grower_name, excluded.grower_name) end,
            grower_phone = case when contract_terms.version < excluded.version then coalesce(excluded.grower_phone, contract_terms.grower_phone)
                                else coalesce(contract_terms.grower_phone, excluded.grower_phone) end,
            grower_town = case when contract_terms.version < excluded.version then coalesce(excluded.grower_town, contract_terms.grower_town)
                               else coalesce(contract_terms.grower_town, excluded.grower_town) end,
            grower_village = case when contract_terms.version < excluded.version then coalesce(excluded.grower_village, contract_terms.grower_village)
                                  else coalesce(contract_terms.grower_village, excluded.grower_village) end
        """, new { ContractId = contractId, Coop = coop, GrowingGrowerId = growingGrowerId, Name = grower?.Name, Phone = grower?.Phone, Town = grower?.Town,
                   Village = grower?.Village, MinPrice = JsonSerializer.Serialize(minPrice), Version = version, At = at }, ct);

    /// <summary>A seedling batch the contract was planted from, for recall by batch (kept once, whichever event names it).</summary>
    public static Task KeepSeedlings(Db db, string coop, Guid contractId, string? batchNo, CancellationToken ct) =>
        batchNo is null ? Task.CompletedTask : db.ExecuteAsync(
            """
            insert into contract_seedlings (contract_id, batch_no, cooperative_id) values (@ContractId, @BatchNo, @Coop)
            on conflict do nothing
            """, new { ContractId = contractId, BatchNo = batchNo, Coop = coop }, ct);
}

public sealed class ContractSignedConsumer(Db db) : InboxConsumer<ContractSigned>(db)
{
    protected override async Task Handle(ContractSigned m, Db db, CancellationToken ct)
    {
        await ContractTerms.Keep(db, m.CooperativeId, m.ContractId, m.GrowingGrowerId, m.Grower, m.MinPriceFenPerKg, 1, m.OccurredAt, ct);
        await ContractTerms.KeepVersion(db, m.CooperativeId, m.ContractId, 1, m.MinPriceFenPerKg, null, m.OccurredAt, ct);
        await ContractTerms.KeepSeedlings(db, m.CooperativeId, m.ContractId, m.SeedlingBatchNo, ct);
    }
}

public sealed class ContractAmendedConsumer(Db db) : InboxConsumer<ContractAmended>(db)
{
    protected override async Task Handle(ContractAmended m, Db db, CancellationToken ct)
    {
        await ContractTerms.Keep(db, m.CooperativeId, m.ContractId, m.GrowingGrowerId, m.Grower, m.MinPriceFenPerKg, m.Version, m.OccurredAt, ct);
        // Amendments sent before they carried a date took effect when they were made.
        await ContractTerms.KeepVersion(db, m.CooperativeId, m.ContractId, m.Version, m.MinPriceFenPerKg,
            m.EffectiveFrom ?? ChinaTime.DateOf(m.OccurredAt), m.OccurredAt, ct);
        await ContractTerms.KeepSeedlings(db, m.CooperativeId, m.ContractId, m.SeedlingBatchNo, ct);
    }
}

public sealed class ContractCompletedConsumer(Db db) : InboxConsumer<ContractCompleted>(db)
{
    protected override Task Handle(ContractCompleted m, Db db, CancellationToken ct) =>
        ContractTerms.KeepEnd(db, m.CooperativeId, m.ContractId, "completed", m.EndedOn, m.OccurredAt, ct);
}

public sealed class ContractTerminatedConsumer(Db db) : InboxConsumer<ContractTerminated>(db)
{
    protected override Task Handle(ContractTerminated m, Db db, CancellationToken ct) =>
        ContractTerms.KeepEnd(db, m.CooperativeId, m.ContractId, "terminated", m.EndedOn, m.OccurredAt, ct);
}

/// <summary>Seedlings issued to a contract: the batch its melons can be recalled by.</summary>
public sealed class SeedlingsIssuedConsumer(Db db) : InboxConsumer<SeedlingsIssued>(db)
{
    protected override Task Handle(SeedlingsIssued m, Db db, CancellationToken ct) =>
        ContractTerms.KeepSeedlings(db, m.CooperativeId, m.ContractId, m.BatchNo, ct);
}
