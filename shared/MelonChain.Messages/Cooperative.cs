// Events published by the Cooperative service (统一收货 / 统一挑选 / 统一代销 / 统一结算).
namespace MelonChain.Messages.Cooperative;

public sealed record GrowerRegistered(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid GrowerId, string MemberNo, string Village, string Kind, Guid? ContractId) : IEvent;

public sealed record HarvestReceived(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ReceiptId, string ReceiptNo, Guid GrowerId, string MemberNo, Guid? ContractId, DateOnly HarvestedOn,
    long GrossGrams, int Crates, DateTimeOffset ReceivedAt) : IEvent;

public sealed record GradeLine(string Grade, long Grams, int? FruitCount);

public sealed record HarvestGraded(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ReceiptId, Guid GrowerId, Guid? ContractId, IReadOnlyList<GradeLine> Lines, long ShrinkGrams) : IEvent;

public sealed record Destination(string City, string Address, string ContactName, string Phone);

public sealed record BoxSource(
    Guid LotId, Guid ReceiptId, Guid GrowerId, string MemberNo, string Village, Guid? ContractId,
    DateOnly HarvestedOn, long Grams);

public sealed record RequestedBox(
    string TraceCode, string Grade, long NetGrams, int LengthCm, int WidthCm, int HeightCm,
    IReadOnlyList<BoxSource> Sources);

public sealed record ShipmentRequested(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid OrderId, Guid BuyerId, Destination Destination, string Product, IReadOnlyList<RequestedBox> Boxes) : IEvent;

/// <summary>The order is cancelled for good: placed and never packed, or packed and Dispatch confirmed the cancellation.</summary>
public sealed record OrderCancelled(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId, Guid OrderId, string Reason) : IEvent;

/// <summary>
/// The clerk asks to cancel a packed order. Dispatch answers with <see cref="Dispatch.CancellationAnswered"/>: the
/// pickup closed or the carrier order cancelled (the stock comes back), or the boxes were already collected.
/// </summary>
public sealed record CancellationRequested(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId, Guid OrderId, string Reason) : IEvent;

public sealed record SettlementTotals(
    long RevenueFen, long FreightFen, long PackagingFen, long CommissionFen, long PayoutFen, long TopUpFen);

public sealed record SettlementClosed(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid SettlementId, DateOnly From, DateOnly To, SettlementTotals Totals) : IEvent;
