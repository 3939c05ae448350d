// Events published by the Cooperative service (统一收货 / 统一挑选 / 统一代销 / 统一结算). A grower here is a member of
// the cooperative: its id is a MemberId (ContractGrowing's own grower id travels as GrowingGrowerId).
namespace MelonChain.Messages.Cooperative;

/// <summary>A member registered; a contract grower's carries the ContractGrowing grower it was made from.</summary>
public sealed record GrowerRegistered(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid MemberId, string MemberNo, string Village, string Kind, Guid? ContractId, Guid? GrowingGrowerId = null) : IEvent;

public sealed record HarvestReceived(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ReceiptId, string ReceiptNo, Guid MemberId, string MemberNo, Guid? ContractId, DateOnly HarvestedOn,
    long GrossGrams, int Crates, DateTimeOffset ReceivedAt) : IEvent;

public sealed record GradeLine(string Grade, long Grams, int? FruitCount);

/// <summary>
/// A receipt graded into lines per grade. <paramref name="GradingNo"/> counts the receipt's gradings (1, then 2 after a
/// correction): a later grading replaces an earlier one only once that one is reversed, whichever event comes first.
/// </summary>
public sealed record HarvestGraded(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ReceiptId, Guid MemberId, Guid? ContractId, IReadOnlyList<GradeLine> Lines, long ShrinkGrams, int GradingNo = 1) : IEvent;

/// <summary>A grading was reversed (a correction, with its reason); its lines no longer count. A new grading may follow.</summary>
public sealed record HarvestGradingReversed(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ReceiptId, Guid MemberId, Guid? ContractId, int GradingNo, string Reason, string ReversedBy) : IEvent;

public sealed record Destination(string City, string Address, string ContactName, string Phone);

public sealed record BoxSource(
    Guid LotId, Guid ReceiptId, Guid MemberId, string MemberNo, string Village, Guid? ContractId,
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

/// <summary>A settlement's totals: Σ revenue = payout + freight + packaging + commission + catalogue deductions, to the fen.</summary>
public sealed record SettlementTotals(
    long RevenueFen, long FreightFen, long PackagingFen, long CommissionFen, long PayoutFen, long TopUpFen, long DeductionsFen = 0);

public sealed record SettlementClosed(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid SettlementId, DateOnly From, DateOnly To, SettlementTotals Totals) : IEvent;

/// <summary>
/// A clerk decided a buyer's claim (理赔) on delivered boxes: <c>accepted</c> with a credit that lowers the pool's revenue
/// (no more than asked), or <c>rejected</c> with a reason; <paramref name="CarrierLiable"/> says whether the carrier is
/// asked to compensate.
/// </summary>
public sealed record ClaimDecided(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ClaimId, Guid OrderId, string Decision, long CreditFen, bool CarrierLiable, IReadOnlyList<string> TraceCodes) : IEvent;

public sealed record PostalAddress(string Province, string City, string County, string Street);

/// <summary>The texts a cooperative's 承诺达标合格证 carries: producer or collector, origin, contact, commitment basis.</summary>
public sealed record CertificateTexts(string Producer, string Origin, string Contact, string Basis);

/// <summary>
/// A cooperative's admin saved its profile (the first save onboards the cooperative). Services that need a profile
/// value keep their own copy; <paramref name="Version"/> rises with every save, so the newest wins whatever the order.
/// </summary>
public sealed record CooperativeProfileSaved(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    string Name, string ShortName, string Village, PostalAddress Address, string ContactName, string Phone,
    string ReceiptPrefix, int CommissionBps, long BoxFeeFen, int MaxShrinkBps, int MaxLotAgeDays,
    CertificateTexts Certificate, int Version) : IEvent;
