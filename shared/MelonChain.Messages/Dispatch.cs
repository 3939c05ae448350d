// Events published by the Dispatch service (揽收调度).
namespace MelonChain.Messages.Dispatch;

public sealed record PickupScheduled(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid PickupId, Guid OrderId, string CourierId, DateTimeOffset WindowStart, DateTimeOffset WindowEnd) : IEvent;

public sealed record BookedWaybill(string WaybillNo, string TraceCode);

/// <summary>One order at the carrier: a shipment of more than 300 boxes is booked as several.</summary>
public sealed record BookedCarrierOrder(string CarrierOrderId, string MasterWaybillNo, int Parcels);

/// <summary>
/// The courier collected the boxes and the carrier booked them. <paramref name="Waybills"/> lists every parcel's
/// waybill part by part, in the order of <paramref name="CarrierOrders"/>, each carrier order's
/// <see cref="BookedCarrierOrder.Parcels"/> in turn, so a consumer knows which carrier order each box travels in;
/// <paramref name="MasterWaybillNo"/> is the first carrier order's.
/// </summary>
public sealed record ShipmentBooked(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ShipmentId, Guid OrderId, Guid BuyerId, string Carrier, string Product, string MasterWaybillNo,
    IReadOnlyList<BookedWaybill> Waybills, long ChargeableGrams, long ListFen, long NegotiatedFen,
    DateTimeOffset PromisedBy, IReadOnlyList<BookedCarrierOrder>? CarrierOrders = null) : IEvent;

public sealed record ShipmentStatusChanged(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ShipmentId, Guid OrderId, string WaybillNo, string Status, DateTimeOffset StatusAt, string Location,
    string CarrierCode, string Remark) : IEvent;

public sealed record ShipmentDelivered(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ShipmentId, Guid OrderId, DateTimeOffset DeliveredAt, DateTimeOffset PromisedBy, bool OnTime) : IEvent;

/// <summary>How Dispatch answered a cancellation request (<see cref="CancellationOutcomes"/>).</summary>
public sealed record CancellationAnswered(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId, Guid OrderId, string Outcome, string Detail) : IEvent;

/// <summary>The answers to a cancellation request; the first two give the stock back, the last keeps the order going.</summary>
public static class CancellationOutcomes
{
    /// <summary>No box had been booked: the pickup was closed (or never opened).</summary>
    public const string PickupClosed = "pickup_closed";

    /// <summary>A booking had been started but not completed: the carrier order was cancelled at the carrier.</summary>
    public const string CarrierOrderCancelled = "carrier_order_cancelled";

    /// <summary>The courier had already collected the boxes: the shipment goes on.</summary>
    public const string AlreadyCollected = "already_collected";

    public static bool ReleasesStock(string outcome) => outcome is PickupClosed or CarrierOrderCancelled;
}

/// <summary>
/// One carrier order of a shipment has ended: every box in it was delivered, returned to the sender (退回) or lost
/// (丢失: declared by the carrier). Published once per carrier order (<see cref="PartOutcomes"/>); a shipment of
/// several carrier orders ends part by part, and the order's outcome is what its parts say.
/// </summary>
public sealed record ShipmentPartEnded(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ShipmentId, Guid OrderId, string CarrierOrderId, string MasterWaybillNo, string Outcome, DateTimeOffset EndedAt,
    IReadOnlyList<string> TraceCodes) : IEvent;

/// <summary>The carrier paid compensation for a carrier claim (lost or damaged in transit): it raises the pool's revenue.</summary>
public sealed record CarrierCompensationPaid(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ShipmentId, Guid OrderId, Guid CarrierClaimId, string WaybillNo, long AmountFen, IReadOnlyList<string> TraceCodes) : IEvent;

/// <summary>
/// What the carrier billed for one carrier order (SF's pushed 清单运费, JD's actual fee), all its fee types summed, in
/// fen, beside the quote it was booked at. <see cref="Version"/> rises each time the bill changes (a later push with a
/// higher versionNo); a consumer keeps the highest version per carrier order, so replays and stale versions change nothing.
/// </summary>
public sealed record CarrierFeeBilled(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ShipmentId, Guid OrderId, string Carrier, string CarrierOrderId, string MasterWaybillNo,
    long QuotedFen, long BilledFen, int Version, DateTimeOffset BilledAt) : IEvent;

/// <summary>How a carrier order ends; every box of an order ends in one of these.</summary>
public static class PartOutcomes
{
    public const string Delivered = "delivered";

    /// <summary>退回: refused by the consignee or undeliverable, carried back to the cooperative.</summary>
    public const string Returned = "returned";

    /// <summary>丢失: the carrier declared it lost.</summary>
    public const string Lost = "lost";

    public static readonly IReadOnlyList<string> All = [Delivered, Returned, Lost];
}
