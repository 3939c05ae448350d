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

public sealed record ContractAmended(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ContractId, Guid GrowingGrowerId, string Region, long PlotAreaM2, string Season, long ExpectedGrams,
    IReadOnlyDictionary<string, long> MinPriceFenPerKg, string? SeedlingBatchNo, int Version, ContractGrower? Grower = null) : IEvent;

public sealed record SeedlingsIssued(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ContractId, string BatchNo, string Nursery, string MotherField, int Count, DateOnly IssuedOn) : IEvent;
