using MelonChain.Messages;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using Npgsql;

namespace MelonChain.Tracking.Features.Shipments;

/// <summary>A shipment as its buyer follows it: where it is, against the 2-day promise, and what is in it.</summary>
public static class Shipments
{

    /// <summary>A scan; <c>WaybillNo</c> is the waybill it was made under (a carrier order's, or a parcel's).</summary>
    public sealed record TimelineEntry(string Status, DateTimeOffset At, string Location, string Remark, string CarrierCode, string WaybillNo);

    /// <summary>
    /// A box; <c>WaybillNo</c> is its parcel's waybill, <c>CarrierWaybillNo</c> the waybill of the carrier order it travels in
    /// (its scans are the timeline entries under either); <c>Outcome</c>: in_transit until its carrier order ends, then
    /// delivered, returned (sent back) or lost.
    /// </summary>
    public sealed record Box(string TraceCode, string Grade, decimal NetKg, string? WaybillNo, DateOnly OldestHarvest, string Outcome, DateTimeOffset? OutcomeAt,
        string? CarrierOrderId, string? CarrierWaybillNo);

    /// <summary>A box whose carrier order has not ended yet (its outcome otherwise is one of PartOutcomes).</summary>
    public const string InTransit = "in_transit";

    public sealed record Summary(
        Guid OrderId, Guid? ShipmentId, string? WaybillNo, string? Carrier, string? Product, string? DestinationCity,
        string Status, DateTimeOffset? BookedAt, DateTimeOffset? PromisedBy, DateTimeOffset? DeliveredAt, bool? OnTime, bool Late);

    public sealed record Detail(
        Summary Shipment, long? ListFen, long? NegotiatedFen, int? HoursSinceHarvest,
        IReadOnlyList<TimelineEntry> Timeline, IReadOnlyList<Box> Boxes);

    /// <summary>
    /// The current status, derived when read so that late and repeated route events cannot move it: delivered
    /// once seen stays delivered; a cancelled order is cancelled; otherwise the latest event by carrier time; booked
    /// (or requested) with no route yet is pending.
    /// </summary>
    public const string SummarySql =
        """
        select s.order_id, s.shipment_id, s.master_waybill_no as waybill_no, s.carrier, s.product, s.destination_city,
               case when s.delivered_at is not null
                         or exists (select 1 from timeline d where d.order_id = s.order_id and d.status = 'delivered') then 'delivered'
                    when s.cancelled_at is not null then 'cancelled'
                    else coalesce((select t.status from timeline t where t.order_id = s.order_id
                                   order by t.status_at desc, t.event_id desc limit 1), 'pending') end as status,
               s.booked_at, s.promised_by, s.delivered_at, s.on_time,
               (s.promised_by is not null and coalesce(s.delivered_at, @Now) > s.promised_by) as late
        from shipments s
        """;

    private sealed record Extra(long? ListFen, long? NegotiatedFen, string CooperativeId, Guid? BuyerId);

    /// <summary>The order a waybill number belongs to: the shipment's first, any carrier order's, or any parcel's ($1).</summary>
    private const string OrderOf =
        """
        (select order_id from shipments where master_waybill_no = $1
         union all select order_id from carrier_orders where master_waybill_no = $1
         union all select order_id from waybills where waybill_no = $1 limit 1)
        """;

    // The four statements of one shipment GET, with positional parameters ($1 the waybill number, $2 now): Npgsql sends
    // them as written, one batch, one round trip.
    private static readonly string SummaryOf = SummarySql.Replace("@Now", "$2") + $" where s.order_id = {OrderOf}";
    private const string OwnerOf = $"select cooperative_id, buyer_id, phone_last4, list_fen, negotiated_fen from shipments where order_id = {OrderOf}";
    private const string TimelineOf =
        $"select status, status_at as at, location, remark, carrier_code, waybill_no from timeline where order_id = {OrderOf} order by status_at, event_id";
    private const string BoxesOf =
        $"""
        select b.trace_code, b.grade, b.net_grams / 1000.0 as net_kg, w.waybill_no,
               (select min((src ->> 'harvestedOn')::date) from jsonb_array_elements(b.sources) src) as oldest_harvest,
               coalesce(o.outcome, '{InTransit}') as outcome, o.ended_at as outcome_at,
               c.carrier_order_id, c.master_waybill_no as carrier_waybill_no
        from boxes b left join waybills w on w.trace_code = b.trace_code left join box_outcomes o on o.trace_code = b.trace_code
             left join carrier_orders c on c.carrier_order_id = coalesce(w.carrier_order_id, o.carrier_order_id)
        where b.order_id = {OrderOf} order by b.trace_code
        """;

    /// <summary>One shipment by a master or child waybill number, with who may see it: one round trip, four results.</summary>
    public static async Task<(Detail Detail, string CooperativeId, Guid? BuyerId, string? PhoneLast4)?> LoadAsync(
        Db db, string waybillNo, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var read = await db.BatchAsync([
            Db.Statement(SummaryOf, waybillNo, now), Db.Statement(OwnerOf, waybillNo), Db.Statement(TimelineOf, waybillNo), Db.Statement(BoxesOf, waybillNo),
        ], ct);
        if (!await read.ReadAsync(ct)) return null;
        var summary = new Summary(read.GetGuid(0), Value<Guid>(read, 1), Text(read, 2), Text(read, 3), Text(read, 4), Text(read, 5), read.GetString(6),
            Value<DateTimeOffset>(read, 7), Value<DateTimeOffset>(read, 8), Value<DateTimeOffset>(read, 9), Value<bool>(read, 10), read.GetBoolean(11));
        await read.NextResultAsync(ct);
        await read.ReadAsync(ct);
        var (cooperativeId, buyerId, phoneLast4, listFen, negotiatedFen) =
            (read.GetString(0), Value<Guid>(read, 1), Text(read, 2), Value<long>(read, 3), Value<long>(read, 4));
        await read.NextResultAsync(ct);
        var timeline = new List<TimelineEntry>();
        while (await read.ReadAsync(ct))
            timeline.Add(new TimelineEntry(read.GetString(0), read.GetFieldValue<DateTimeOffset>(1), Text(read, 2)!, Text(read, 3)!, Text(read, 4)!, Text(read, 5)!));
        await read.NextResultAsync(ct);
        var boxes = new List<Box>();
        while (await read.ReadAsync(ct))
            boxes.Add(new Box(read.GetString(0), read.GetString(1), read.GetDecimal(2), Text(read, 3), Value<DateOnly>(read, 4) ?? default,
                read.GetString(5), Value<DateTimeOffset>(read, 6), Text(read, 7), Text(read, 8)));
        int? hours = boxes.Count == 0 ? null : HoursSince(boxes.Min(b => b.OldestHarvest), summary.DeliveredAt ?? now);
        return (new Detail(summary, listFen, negotiatedFen, hours, timeline, boxes), cooperativeId, buyerId, phoneLast4);
    }

    private static string? Text(NpgsqlDataReader read, int column) => read.IsDBNull(column) ? null : read.GetString(column);

    private static T? Value<T>(NpgsqlDataReader read, int column) where T : struct =>
        read.IsDBNull(column) ? null : read.GetFieldValue<T>(column);

    /// <summary>Hours from the start of the harvest day (China time) to the given instant.</summary>
    public static int HoursSince(DateOnly harvestedOn, DateTimeOffset until)
    {
        var start = ChinaTime.StartOf(harvestedOn);
        return (int)Math.Max(0, Math.Floor((until - start).TotalHours));
    }
}
