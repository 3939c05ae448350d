using MelonChain.Messages;
using MelonChain.Dispatch.Features.Cancellation;
using MelonChain.Dispatch.Features.Carrier;
using MelonChain.Dispatch.Features.Pickups;
using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Messaging;

namespace MelonChain.Dispatch.Consumers;

/// <summary>
/// A packed order becomes an open pickup at the cooperative with a suggested window, keeping the boxes (trace
/// codes, dimensions), destination, buyer, and the carrier and product it goes by (<see cref="CarrierChoice"/>). The shipment id is decided here, once, because the
/// carrier order id derives from it. A repeated request or one for an order already cancelled opens nothing; the
/// order's lock makes this and a cancellation handled at the same moment on the other queue come out in one order.
/// </summary>
public sealed class ShipmentRequestedConsumer(Db db, CarrierRegistry carriers, TimeProvider clock) : InboxConsumer<ShipmentRequested>(db)
{
    protected override async Task Handle(ShipmentRequested m, Db db, CancellationToken ct)
    {
        await Cancellations.LockOrderAsync(db, m.OrderId, ct);
        var cancelled = await db.ExecuteScalarAsync<bool>(
            "select exists (select 1 from cancelled_orders where order_id = @OrderId)", new { m.OrderId }, ct);
        if (cancelled || m.Boxes.Count == 0) return;

        var now = clock.GetUtcNow();
        var (windowStart, windowEnd) = SuggestedWindow(now);
        var pickupId = Guid.CreateVersion7();
        var choice = await CarrierChoice.ForOrderAsync(db, carriers, m.CooperativeId,
            string.IsNullOrEmpty(m.Product) ? Products.Default : m.Product, m.Destination.City, ct);
        var opened = await db.ExecuteAsync(
            """
            insert into pickups (id, cooperative_id, order_id, shipment_id, buyer_id, carrier, product, destination_city, address,
                                 contact_name, phone, status, window_start, window_end, box_count, oldest_harvest, opened_at, updated_at)
            values (@Id, @Coop, @OrderId, @ShipmentId, @BuyerId, @Carrier, @Product, @City, @Address, @Contact, @Phone, 'open',
                    @WindowStart, @WindowEnd, @Boxes, @OldestHarvest, @Now, @Now)
            on conflict (order_id) do nothing
            """, new
            {
                Id = pickupId, Coop = m.CooperativeId, m.OrderId, ShipmentId = Guid.CreateVersion7(), m.BuyerId,
                choice.Carrier, choice.Product,
                m.Destination.City, m.Destination.Address, Contact = m.Destination.ContactName, m.Destination.Phone,
                WindowStart = windowStart, WindowEnd = windowEnd, Boxes = m.Boxes.Count,
                OldestHarvest = m.Boxes.SelectMany(b => b.Sources).Select(s => (DateOnly?)s.HarvestedOn).Min(), Now = now,
            }, ct);
        if (opened == 0) return;

        await db.ExecuteAsync(
            """
            insert into pickup_boxes (pickup_id, seq, trace_code, grade, net_grams, length_cm, width_cm, height_cm)
            select @PickupId, b.seq, b.trace_code, b.grade, b.net_grams, b.length_cm, b.width_cm, b.height_cm
            from unnest(@Seq, @TraceCodes, @Grades, @Grams, @L, @W, @H)
                 as b(seq, trace_code, grade, net_grams, length_cm, width_cm, height_cm)
            """, new
            {
                PickupId = pickupId,
                Seq = Enumerable.Range(1, m.Boxes.Count).ToArray(),
                TraceCodes = m.Boxes.Select(b => b.TraceCode).ToArray(),
                Grades = m.Boxes.Select(b => b.Grade).ToArray(),
                Grams = m.Boxes.Select(b => b.NetGrams).ToArray(),
                L = m.Boxes.Select(b => b.LengthCm).ToArray(),
                W = m.Boxes.Select(b => b.WidthCm).ToArray(),
                H = m.Boxes.Select(b => b.HeightCm).ToArray(),
            }, ct);
    }

    /// <summary>From the next full hour plus one, for three hours: time to reach the village.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) SuggestedWindow(DateTimeOffset now)
    {
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(2);
        return (hour, hour.AddHours(3));
    }
}
