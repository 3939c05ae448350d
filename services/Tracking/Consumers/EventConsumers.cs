using MelonChain.Messages;
using MelonChain.Messages.ContractGrowing;
using MelonChain.Messages.Cooperative;
using MelonChain.Messages.Dispatch;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Messaging;
using MelonChain.Tracking.Projection;

namespace MelonChain.Tracking.Consumers;

/// <summary>Every event Tracking listens to goes to the event log and the read model, once.</summary>
public abstract class ReadModelConsumer<TEvent>(Db db) : InboxConsumer<TEvent>(db) where TEvent : class, IEvent
{
    protected override Task Handle(TEvent message, Db db, CancellationToken ct) => ReadModel.RecordAsync(db, message, ct);
}

public sealed class ShipmentRequestedConsumer(Db db) : ReadModelConsumer<ShipmentRequested>(db);
public sealed class ShipmentBookedConsumer(Db db) : ReadModelConsumer<ShipmentBooked>(db);
public sealed class ShipmentStatusChangedConsumer(Db db) : ReadModelConsumer<ShipmentStatusChanged>(db);
public sealed class ShipmentDeliveredConsumer(Db db) : ReadModelConsumer<ShipmentDelivered>(db);
public sealed class ShipmentPartEndedConsumer(Db db) : ReadModelConsumer<ShipmentPartEnded>(db);
public sealed class OrderCancelledConsumer(Db db) : ReadModelConsumer<OrderCancelled>(db);
public sealed class ContractSignedConsumer(Db db) : ReadModelConsumer<ContractSigned>(db);
public sealed class ContractAmendedConsumer(Db db) : ReadModelConsumer<ContractAmended>(db);
public sealed class SeedlingsIssuedConsumer(Db db) : ReadModelConsumer<SeedlingsIssued>(db);
public sealed class CooperativeProfileSavedConsumer(Db db) : ReadModelConsumer<CooperativeProfileSaved>(db);
