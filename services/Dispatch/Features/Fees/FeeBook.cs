using MelonChain.Dispatch.Features.Carrier;
using MelonChain.Messages.Dispatch;
using MelonChain.ServiceDefaults.Data;

namespace MelonChain.Dispatch.Features.Fees;

/// <summary>
/// The carriers' bills, kept one row per (carrier, waybill, fee type), the highest version winning: a replay or a lower
/// version changes nothing. A carrier order's bill is the sum of its waybills' fees; when a recorded fee changes that
/// sum (or it is the order's first bill), the order's bill version rises by one and carrier-fee-billed is published in
/// the same transaction (outbox), beside the order's share of the quote. A higher version of a fee at the same amount
/// keeps the row's version up to date but publishes nothing: the bill did not change. Fees of waybills not booked here
/// are kept, and count once their carrier order is booked and billed again. Runs inside the caller's transaction
/// (fee push request or fee worker).
/// </summary>
public static class FeeBook
{
    public const string Pushed = "push";
    public const string Queried = "query";

    private sealed record BilledPart(
        string CarrierOrderId, Guid ShipmentId, int Part, string MasterWaybillNo, long? BilledFen, int BillVersion,
        string CooperativeId, Guid OrderId, string Carrier, long NegotiatedFen);

    /// <summary>Records the fees; returns the carrier orders whose bill changed (each published once).</summary>
    /// <remarks>
    /// Locks the carrier orders the fees name first (in id order), so two pushes for one order queue up and the second
    /// sums what the first wrote; the fee rows are then written in key order.
    /// </remarks>
    public static async Task<IReadOnlyList<string>> RecordAsync(Db db, string carrier, IReadOnlyList<CarrierFee> fees, string source, TimeProvider clock,
        CancellationToken ct)
    {
        if (fees.Count == 0) return [];
        var now = clock.GetUtcNow();
        var waybillNos = fees.Select(f => f.WaybillNo).Distinct().Order(StringComparer.Ordinal).ToArray();
        var parts = await db.QueryAsync<BilledPart>(
            """
            select o.carrier_order_id, o.shipment_id, o.part, o.master_waybill_no, o.billed_fen, o.bill_version,
                   s.cooperative_id, s.order_id, s.carrier, s.negotiated_fen
            from carrier_orders o join shipments s on s.id = o.shipment_id
            where s.carrier = @Carrier
              and (o.master_waybill_no = any(@WaybillNos)
                   or exists (select 1 from waybills w where w.shipment_id = o.shipment_id and w.part = o.part and w.waybill_no = any(@WaybillNos)))
            order by o.carrier_order_id
            for update of o
            """, new { Carrier = carrier, WaybillNos = waybillNos }, ct);

        var written = 0;
        foreach (var fee in fees.OrderBy(f => f.WaybillNo, StringComparer.Ordinal).ThenBy(f => f.FeeTypeCode, StringComparer.Ordinal).ThenBy(f => f.VersionNo))
            written += await db.ExecuteAsync(
                """
                insert into carrier_fees (carrier, waybill_no, fee_type_code, fee_name, amount_fen, version_no, source, received_at)
                values (@Carrier, @WaybillNo, @FeeTypeCode, @FeeName, @AmountFen, @VersionNo, @Source, @Now)
                on conflict (carrier, waybill_no, fee_type_code) do update
                    set fee_name = excluded.fee_name, amount_fen = excluded.amount_fen, version_no = excluded.version_no,
                        source = excluded.source, received_at = excluded.received_at
                    where excluded.version_no > carrier_fees.version_no
                """, new { Carrier = carrier, fee.WaybillNo, fee.FeeTypeCode, fee.FeeName, fee.AmountFen, fee.VersionNo, Source = source, Now = now }, ct);
        if (written == 0) return [];

        var changed = new List<string>();
        foreach (var p in parts)
        {
            var billed = await db.ExecuteScalarAsync<long>(
                """
                select coalesce(sum(amount_fen), 0)::bigint from carrier_fees
                where carrier = @Carrier
                  and (waybill_no = @MasterWaybillNo
                       or waybill_no in (select waybill_no from waybills where shipment_id = @ShipmentId and part = @Part))
                """, new { Carrier = carrier, p.MasterWaybillNo, p.ShipmentId, p.Part }, ct);
            if (p.BilledFen == billed) continue;
            var version = p.BillVersion + 1;
            await db.ExecuteAsync(
                "update carrier_orders set billed_fen = @Billed, bill_version = @Version, billed_at = @Now where carrier_order_id = @CarrierOrderId",
                new { Billed = billed, Version = version, Now = now, p.CarrierOrderId }, ct);
            var parcels = await db.QueryAsync<int>("select parcels from carrier_orders where shipment_id = @ShipmentId order by part", new { p.ShipmentId }, ct);
            await db.Publish(new CarrierFeeBilled(Guid.NewGuid(), now, p.CooperativeId, p.ShipmentId, p.OrderId, p.Carrier, p.CarrierOrderId,
                p.MasterWaybillNo, QuotedFen(p.NegotiatedFen, parcels, p.Part), billed, version, now), ct);
            changed.Add(p.CarrierOrderId);
        }
        return changed;
    }

    /// <summary>
    /// A carrier order's share of the shipment's negotiated quote: by its parcels (every box of a shipment has the same
    /// size and product), the fen left over by the division given one each to the parts with the largest remainders (the
    /// earlier part first on a tie), so the parts add up to the shipment's quote exactly: a 301-box shipment quoted
    /// 3,150.00 yuan, in parts of 300 and 1 box, is 3,139.53 and 10.47 yuan.
    /// </summary>
    public static long QuotedFen(long negotiatedFen, IReadOnlyList<int> parcelsPerPart, int part)
    {
        var total = parcelsPerPart.Sum(p => (long)p);
        if (total == 0 || part < 1 || part > parcelsPerPart.Count) return 0;
        var shares = parcelsPerPart.Select((p, i) => (Part: i + 1, Floor: negotiatedFen * p / total, Remainder: negotiatedFen * p % total)).ToList();
        var left = negotiatedFen - shares.Sum(s => s.Floor);
        var extra = shares.OrderByDescending(s => s.Remainder).ThenBy(s => s.Part).Take((int)left).Select(s => s.Part).ToHashSet();
        return shares[part - 1].Floor + (extra.Contains(part) ? 1 : 0);
    }
}
