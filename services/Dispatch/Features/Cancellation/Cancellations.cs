using MelonChain.Messages.Dispatch;
using MelonChain.ServiceDefaults.Data;

namespace MelonChain.Dispatch.Features.Cancellation;

/// <summary>
/// A cancellation request from the Cooperative is answered once: the pickup closed (or never opened) while no
/// carrier order could exist; the carrier order(s) cancelled at the carrier when a collection had started booking
/// but did not complete; or already collected, when the courier has the boxes. The answer goes back as
/// CancellationAnswered; only the first two give the Cooperative its stock back.
/// </summary>
public static class Cancellations
{
    /// <summary>
    /// Serialises everything that happens to one order across Dispatch's consumers (ShipmentRequested and the
    /// cancellation arrive on separate queues and may be handled at the same moment).
    /// </summary>
    public static Task LockOrderAsync(Db db, Guid orderId, CancellationToken ct) =>
        db.ExecuteAsync("select pg_advisory_xact_lock(hashtext('dispatch-order:' || @OrderId::text))", new { OrderId = orderId }, ct);

    /// <summary><see cref="LeaseFrom"/>: when the collection booking it last said it was still talking to the carrier.</summary>
    public sealed record PickupState(Guid Id, Guid ShipmentId, string Status, int BoxCount, DateTimeOffset? BookingStartedAt, string Carrier,
        DateTimeOffset? BookingAliveAt)
    {
        public DateTimeOffset? LeaseFrom => BookingAliveAt > BookingStartedAt ? BookingAliveAt : BookingStartedAt;
    }

    /// <summary>What the request comes to now, inside the order's lock; null while only the carrier can tell.</summary>
    public sealed record Decision(string? Outcome, PickupState? Pickup);

    public static async Task<Decision> DecideAsync(Db db, Guid orderId, string coop, DateTimeOffset now, CancellationToken ct)
    {
        var pickup = await db.QuerySingleOrDefaultAsync<PickupState>(
            """
            select id, shipment_id, status, box_count, booking_started_at, carrier, booking_alive_at from pickups
            where order_id = @OrderId and cooperative_id = @Coop for update
            """, new { OrderId = orderId, Coop = coop }, ct);
        if (pickup is null)
        {
            // ShipmentRequested has not arrived (or never will): remembered, so it opens nothing when it comes.
            await db.ExecuteAsync(
                """
                insert into cancelled_orders (order_id, cooperative_id, reason, cancelled_at)
                select order_id, cooperative_id, reason, @Now from cancellation_requests where order_id = @OrderId
                on conflict do nothing
                """, new { OrderId = orderId, Now = now }, ct);
            return new Decision(CancellationOutcomes.PickupClosed, null);
        }
        if (pickup.Status == "collected") return new Decision(CancellationOutcomes.AlreadyCollected, pickup);
        if (pickup.Status == "cancelled") return new Decision(CancellationOutcomes.PickupClosed, pickup);
        if (pickup.BookingStartedAt is null)
        {
            await ClosePickupAsync(db, pickup.Id, now, ct);
            return new Decision(CancellationOutcomes.PickupClosed, pickup);
        }
        return new Decision(null, pickup);
    }

    public static Task ClosePickupAsync(Db db, Guid pickupId, DateTimeOffset now, CancellationToken ct) =>
        db.ExecuteAsync("update pickups set status = 'cancelled', updated_at = @Now where id = @Id", new { Id = pickupId, Now = now }, ct);

    /// <summary>Records the answer and publishes it, once.</summary>
    public static async Task AnswerAsync(Db db, Guid orderId, string coop, string outcome, string detail, DateTimeOffset now, CancellationToken ct)
    {
        var first = await db.ExecuteAsync(
            "update cancellation_requests set answered_at = @Now, outcome = @Outcome where order_id = @OrderId and answered_at is null",
            new { OrderId = orderId, Outcome = outcome, Now = now }, ct);
        if (first == 1)
            await db.Publish(new CancellationAnswered(Guid.NewGuid(), now, coop, orderId, outcome, detail), ct);
    }

    public static string Detail(string outcome) => outcome switch
    {
        CancellationOutcomes.PickupClosed => "The pickup was closed before any box was booked with the carrier.",
        CancellationOutcomes.CarrierOrderCancelled => "The carrier order was cancelled at the carrier before the courier collected the boxes.",
        _ => "The courier had already collected the boxes; the shipment goes on.",
    };
}
