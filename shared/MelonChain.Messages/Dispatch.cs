// Events published by the Dispatch service (揽收调度).
namespace MelonChain.Messages.Dispatch;

public sealed record PickupScheduled(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid PickupId, Guid OrderId, string CourierId, DateTimeOffset WindowStart, DateTimeOffset WindowEnd) : IEvent;

public sealed record BookedWaybill(string WaybillNo, string TraceCode);

public sealed record ShipmentBooked(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ShipmentId, Guid OrderId, Guid BuyerId, string Carrier, string Product, string MasterWaybillNo,
    IReadOnlyList<BookedWaybill> Waybills, long ChargeableGrams, long ListFen, long NegotiatedFen,
    DateTimeOffset PromisedBy) : IEvent;

public sealed record ShipmentStatusChanged(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ShipmentId, Guid OrderId, string WaybillNo, string Status, DateTimeOffset StatusAt, string Location,
    string CarrierCode, string Remark) : IEvent;

public sealed record ShipmentDelivered(
    Guid EventId, DateTimeOffset OccurredAt, string CooperativeId,
    Guid ShipmentId, Guid OrderId, DateTimeOffset DeliveredAt, DateTimeOffset PromisedBy, bool OnTime) : IEvent;
