// Events published by the ContractGrowing service (恩平订单种植).
namespace MelonChain.Messages.ContractGrowing;

/// <summary>Minimum guaranteed price per grade in fen per kg (premium, grade1, grade2, offgrade).</summary>
public sealed record ContractSigned(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ContractId, Guid GrowerId, string Region, long PlotAreaM2, string Season, long ExpectedGrams,
    IReadOnlyDictionary<string, long> MinPriceFenPerKg, string? SeedlingBatchNo) : IEvent;

public sealed record ContractAmended(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ContractId, Guid GrowerId, string Region, long PlotAreaM2, string Season, long ExpectedGrams,
    IReadOnlyDictionary<string, long> MinPriceFenPerKg, string? SeedlingBatchNo, int Version) : IEvent;

public sealed record SeedlingsIssued(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ContractId, string BatchNo, string Nursery, string MotherField, int Count, DateOnly IssuedOn) : IEvent;
