using Dapper;
using MelonChain.Messages;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;

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

    /// <summary>The order a waybill number belongs to: the shipment's first, any carrier order's, or any parcel's.</summary>
    private const string OrderOf =
        """
        (select order_id from shipments where master_waybill_no = @WaybillNo
         union all select order_id from carrier_orders where master_waybill_no = @WaybillNo
         union all select order_id from waybills where waybill_no = @WaybillNo limit 1)
        """;

    /// <summary>One shipment by a master or child waybill number, with who may see it: one round trip, four results.</summary>
    public static async Task<(Detail Detail, string CooperativeId, Guid? BuyerId, string? PhoneLast4)?> LoadAsync(
        Db db, string waybillNo, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        using var results = await db.QueryMultipleAsync(
            $"""
            {SummarySql} where s.order_id = {OrderOf};
            select cooperative_id, buyer_id, phone_last4, list_fen, negotiated_fen from shipments where order_id = {OrderOf};
            select status, status_at as at, location, remark, carrier_code, waybill_no from timeline where order_id = {OrderOf} order by status_at, event_id;
            select b.trace_code, b.grade, b.net_grams / 1000.0 as net_kg, w.waybill_no,
                   (select min((src ->> 'harvestedOn')::date) from jsonb_array_elements(b.sources) src) as oldest_harvest,
                   coalesce(o.outcome, '{InTransit}') as outcome, o.ended_at as outcome_at,
                   c.carrier_order_id, c.master_waybill_no as carrier_waybill_no
            from boxes b left join waybills w on w.trace_code = b.trace_code left join box_outcomes o on o.trace_code = b.trace_code
                 left join carrier_orders c on c.carrier_order_id = coalesce(w.carrier_order_id, o.carrier_order_id)
            where b.order_id = {OrderOf} order by b.trace_code;
            """, new { WaybillNo = waybillNo, Now = now }, ct);
        var summary = await results.ReadSingleOrDefaultAsync<Summary>();
        if (summary is null) return null;
        var owner = await results.ReadSingleAsync<(string CooperativeId, Guid? BuyerId, string? PhoneLast4, long? ListFen, long? NegotiatedFen)>();
        var timeline = (await results.ReadAsync<TimelineEntry>()).AsList();
        var boxes = (await results.ReadAsync<Box>()).AsList();
        int? hours = boxes.Count == 0 ? null : HoursSince(boxes.Min(b => b.OldestHarvest), summary.DeliveredAt ?? now);
        return (new Detail(summary, owner.ListFen, owner.NegotiatedFen, hours, timeline, boxes), owner.CooperativeId, owner.BuyerId, owner.PhoneLast4);
    }

    /// <summary>Hours from the start of the harvest day (China time) to the given instant.</summary>
    public static int HoursSince(DateOnly harvestedOn, DateTimeOffset until)
    {
        var start = ChinaTime.StartOf(harvestedOn);
        return (int)Math.Max(0, Math.Floor((until - start).TotalHours));
    }
}
