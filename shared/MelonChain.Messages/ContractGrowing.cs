// Events published by the ContractGrowing service (恩平订单种植).
namespace MelonChain.Messages.ContractGrowing;

/// <summary>
/// The contract grower as ContractGrowing registered them (typed in once, there): the cooperative makes its member
/// record from this, never from a second typing. Null in events kept from before it was sent.
/// </summary>
public sealed record ContractGrower(string Name, string Phone, string Town, string Village);

/// <summary>
/// Minimum guaranteed price per grade in fen per kg (premium, grade1, grade2, offgrade). <paramref name="GrowingGrowerId"/>
/// is ContractGrowing's id of the grower.
/// </summary>
public sealed record ContractSigned(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ContractId, Guid GrowingGrowerId, string Region, long PlotAreaM2, string Season, long ExpectedGrams,
    IReadOnlyDictionary<string, long> MinPriceFenPerKg, string? SeedlingBatchNo, ContractGrower? Grower = null) : IEvent;

/// <summary>
/// A new version of a signed contract's terms. It prices harvests on or after <paramref name="EffectiveFrom"/> (China
/// date); harvests before it keep the earlier version's terms. Null in events kept from before it was sent: then the
/// China date of <paramref name="OccurredAt"/>.
/// </summary>
public sealed record ContractAmended(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ContractId, Guid GrowingGrowerId, string Region, long PlotAreaM2, string Season, long ExpectedGrams,
    IReadOnlyDictionary<string, long> MinPriceFenPerKg, string? SeedlingBatchNo, int Version, ContractGrower? Grower = null,
    DateOnly? EffectiveFrom = null) : IEvent;

/// <summary>
/// The officer completed the contract (every delivery made) on <paramref name="EndedOn"/> (China date): no harvest
/// dated that day or later is received under it.
/// </summary>
public sealed record ContractCompleted(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId, Guid ContractId, Guid GrowingGrowerId, DateOnly EndedOn) : IEvent;

/// <summary>
/// The officer terminated the contract on <paramref name="EndedOn"/> (China date): no harvest dated that day or later
/// is received under it.
/// </summary>
public sealed record ContractTerminated(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId, Guid ContractId, Guid GrowingGrowerId, DateOnly EndedOn) : IEvent;

public sealed record SeedlingsIssued(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ContractId, string BatchNo, string Nursery, string MotherField, int Count, DateOnly IssuedOn) : IEvent;
