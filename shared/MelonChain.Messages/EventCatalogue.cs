using MelonChain.Messages.ContractGrowing;
using MelonChain.Messages.Cooperative;
using MelonChain.Messages.Dispatch;

namespace MelonChain.Messages;

/// <summary>
/// The event bus's durable vocabulary, declared once: each event's name and the queues that subscribe to it.
/// The name is the event's exchange, its <c>message_type</c> in every outbox and its type in Tracking's event log;
/// a subscriber's queue is also its consumer's name in the inbox. Renaming a class changes none of them, so
/// never rename an entry here: add a new event instead. Every service declares all of it on the broker before it
/// publishes anything, so an event never finds its subscribers missing (first deployment, a service started after
/// its producer, a subscriber added here).
/// </summary>
public static class EventCatalogue
{
    public sealed record Entry(Type Type, string Name, IReadOnlyList<string> Subscribers);

    public static readonly IReadOnlyList<Entry> Events =
    [
        // Cooperative
        new(typeof(GrowerRegistered), "grower-registered", ["growing-grower-registered"]),
        new(typeof(HarvestReceived), "harvest-received", ["growing-harvest-received"]),
        new(typeof(HarvestGraded), "harvest-graded", ["growing-harvest-graded"]),
        new(typeof(HarvestGradingReversed), "harvest-grading-reversed", ["growing-harvest-grading-reversed"]),
        new(typeof(ShipmentRequested), "shipment-requested", ["dispatch-shipment-requested", "tracking-shipment-requested"]),
        new(typeof(OrderCancelled), "order-cancelled", ["tracking-order-cancelled"]),
        new(typeof(CancellationRequested), "cancellation-requested", ["dispatch-cancellation-requested"]),
        new(typeof(SettlementClosed), "settlement-closed", []),
        new(typeof(CooperativeProfileSaved), "cooperative-profile-saved", ["dispatch-cooperative-profile-saved", "tracking-cooperative-profile-saved"]),
        new(typeof(ClaimDecided), "claim-decided", []),
        // ContractGrowing
        new(typeof(ContractSigned), "contract-signed", ["cooperative-contract-signed", "tracking-contract-signed"]),
        new(typeof(ContractAmended), "contract-amended", ["cooperative-contract-amended", "tracking-contract-amended"]),
        new(typeof(SeedlingsIssued), "seedlings-issued", ["cooperative-seedlings-issued", "tracking-seedlings-issued"]),
        new(typeof(ContractCompleted), "contract-completed", ["cooperative-contract-completed"]),
        new(typeof(ContractTerminated), "contract-terminated", ["cooperative-contract-terminated"]),
        // Dispatch
        new(typeof(PickupScheduled), "pickup-scheduled", []),
        new(typeof(ShipmentBooked), "shipment-booked", ["cooperative-shipment-booked", "tracking-shipment-booked"]),
        new(typeof(ShipmentStatusChanged), "shipment-status-changed", ["tracking-shipment-status-changed"]),
        new(typeof(ShipmentDelivered), "shipment-delivered", ["cooperative-shipment-delivered", "tracking-shipment-delivered"]),
        new(typeof(CancellationAnswered), "cancellation-answered", ["cooperative-cancellation-answered"]),
        new(typeof(ShipmentPartEnded), "shipment-part-ended", ["cooperative-shipment-part-ended", "tracking-shipment-part-ended"]),
        new(typeof(CarrierCompensationPaid), "carrier-compensation-paid", ["cooperative-carrier-compensation-paid"]),
        new(typeof(CarrierFeeBilled), "carrier-fee-billed", ["cooperative-carrier-fee-billed"]),
    ];

    private static readonly Dictionary<Type, Entry> ByType = Events.ToDictionary(e => e.Type);
    private static readonly Dictionary<string, Entry> ByName = Events.ToDictionary(e => e.Name);

    public static bool Contains(Type type) => ByType.ContainsKey(type);

    public static Entry Of(Type type) =>
        ByType.TryGetValue(type, out var entry) ? entry : throw new InvalidOperationException($"{type.Name} is not in the event catalogue");

    public static string NameOf(Type type) => Of(type).Name;

    public static Entry Named(string name) =>
        ByName.TryGetValue(name, out var entry) ? entry : throw new InvalidOperationException($"Unknown event {name}");

    /// <summary>The queue through which <paramref name="service"/> subscribes to <paramref name="eventType"/>.</summary>
    public static string SubscriberQueue(string service, Type eventType) =>
        Of(eventType).Subscribers.SingleOrDefault(q => q.StartsWith(service + "-", StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"{service} does not subscribe to {NameOf(eventType)} in the event catalogue");
}
