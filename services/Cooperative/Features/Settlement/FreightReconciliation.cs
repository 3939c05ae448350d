using System.Globalization;
using MelonChain.Messages;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Settlement;

/// <summary>
/// 运费对账: <c>GET /freight-reconciliation?month=YYYY-MM</c> — every carrier order (waybill) of the cooperative's shipments
/// booked that month (China time, this month by default): carrier, its quote, the carrier's bill (null until billed) and
/// the difference, the settlement that charged its order and those that adjusted it later; totals per carrier. A carrier
/// order not yet billed shows its part of the shipment's quote (what its billed siblings' quotes leave, split by parcels).
/// JSON, or CSV with <c>Accept: text/csv</c> as the statements, or <c>?format=csv</c> for a plain link. A malformed
/// month is 400, one outside 2000–2099 is 422, as query dates are everywhere.
/// </summary>
public static class FreightReconciliation
{
    /// <param name="SettlementId">The settlement that charged its order (at this bill, or at the quote if it was not known then).</param>
    /// <param name="SettledFen">What settlements have charged for it so far: its quote, plus what they charged of its bill beyond it.</param>
    /// <param name="AdjustmentSettlementIds">Later settlements that adjusted its order's pools to a bill that came or changed after.</param>
    public sealed record Waybill(string WaybillNo, string? CarrierOrderId, string Carrier, Guid OrderId, Guid? ShipmentId, int Parcels, DateTimeOffset BookedAt,
        long QuotedFen, long? BilledFen, long? DifferenceFen, int? Version, DateTimeOffset? BilledAt, Guid? SettlementId, long? SettledFen,
        IReadOnlyList<Guid> AdjustmentSettlementIds);

    /// <param name="BilledFen">The bills known; <paramref name="DifferenceFen"/> is theirs less their quotes.</param>
    public sealed record CarrierTotal(string Carrier, int Waybills, int Billed, long QuotedFen, long BilledFen, long DifferenceFen);

    public sealed record Result(string Month, IReadOnlyList<Waybill> Waybills, IReadOnlyList<CarrierTotal> Carriers);

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/freight-reconciliation", Get).RequireRoles(Roles.Clerk).WithTags("Settlement").WithName("FreightReconciliation")
            .Produces<Result>(200).Produces(200, contentType: "text/csv").Problems(400, "malformed-request");

    private sealed record OrderRow(Guid Id, Guid? ShipmentId, long FreightFen, DateTimeOffset BookedAt, Guid? SettlementId);

    private sealed record CarrierOrderRow(Guid OrderId, string MasterWaybillNo, string? CarrierOrderId, string Carrier, int Parcels);

    private sealed record FeeRow(Guid Id, Guid OrderId, string CarrierOrderId, string Carrier, string MasterWaybillNo, long QuotedFen, long BilledFen, int Version,
        DateTimeOffset BilledAt);

    private sealed record ChargeRow(Guid CarrierFeeId, Guid SettlementId, long Fen, bool InPool);

    private static async Task<IResult> Get(string? month, string? format, HttpRequest http, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var first = FirstDay(month, ChinaTime.Today(clock));
        if (format is not (null or "json" or "csv"))
            throw new ProblemException(400, "malformed-request", "Malformed request", "format is json or csv.",
                new Dictionary<string, string[]> { ["format"] = ["must be json or csv"] });
        var coop = user.CooperativeId();
        var args = new { Coop = coop, Start = ChinaTime.StartOf(first), End = ChinaTime.StartOf(first.AddMonths(1)) };
        var orders = await db.QueryAsync<OrderRow>(
            """
            select id, shipment_id, freight_fen, booked_at, settlement_id from orders
            where cooperative_id = @Coop and booked_at >= @Start and booked_at < @End and freight_fen is not null order by booked_at, id
            """, args, ct);
        var ids = orders.Select(o => o.Id).ToArray();
        var booked = (await db.QueryAsync<CarrierOrderRow>(
            "select order_id, master_waybill_no, carrier_order_id, carrier, parcels from carrier_orders where order_id = any(@Ids) order by part",
            new { Ids = ids }, ct)).ToLookup(c => c.OrderId);
        var fees = (await db.QueryAsync<FeeRow>(
            """
            select id, order_id, carrier_order_id, carrier, master_waybill_no, quoted_fen, billed_fen, version, billed_at
            from carrier_fees where order_id = any(@Ids) and cooperative_id = @Coop order by carrier_order_id
            """, new { Ids = ids, Coop = coop }, ct)).ToList();
        var charges = (await db.QueryAsync<ChargeRow>(
            """
            select x.carrier_fee_id, x.settlement_id, x.fen, x.in_pool
            from settled_freight x join settlements t on t.id = x.settlement_id
            where x.carrier_fee_id = any(@Fees) and t.reversed_at is null order by t.settled_at
            """, new { Fees = fees.Select(f => f.Id).ToArray() }, ct)).ToLookup(c => c.CarrierFeeId);
        // A booking recorded before carrier orders were kept: its one waybill is the first of its boxes.
        var legacy = (await db.QueryAsync<(Guid OrderId, string WaybillNo)>(
            "select order_id, min(waybill_no) from boxes where order_id = any(@Ids) and waybill_no is not null group by 1",
            new { Ids = ids.Where(id => !booked[id].Any()).ToArray() }, ct)).ToDictionary(l => l.OrderId, l => l.WaybillNo);

        var waybills = orders.SelectMany(o =>
        {
            var parts = booked[o.Id].ToList();
            if (parts.Count == 0 && legacy.TryGetValue(o.Id, out var no)) parts.Add(new CarrierOrderRow(o.Id, no, null, "", 1));
            var mine = fees.Where(f => f.OrderId == o.Id).ToList();
            var rows = parts.Select(p => (Part: p, Fee: mine.FirstOrDefault(f => f.CarrierOrderId == p.CarrierOrderId || f.MasterWaybillNo == p.MasterWaybillNo)))
                .ToList();
            // A bill for a carrier order the booking did not name is listed too.
            rows.AddRange(mine.Where(f => rows.All(r => r.Fee != f))
                .Select(f => (new CarrierOrderRow(o.Id, f.MasterWaybillNo, f.CarrierOrderId, f.Carrier, 1), (FeeRow?)f)));
            var unbilled = rows.Where(r => r.Fee is null).ToList();
            var rest = unbilled.Count == 0 ? []
                : SettlementMath.Split(o.FreightFen - rows.Where(r => r.Fee is not null).Sum(r => r.Fee!.QuotedFen), unbilled.Select(r => (long)r.Part.Parcels).ToList());
            return rows.Select(r =>
            {
                var f = r.Fee;
                var quoted = f?.QuotedFen ?? rest[unbilled.IndexOf(r)];
                var charged = f is null ? new List<ChargeRow>() : charges[f.Id].ToList();
                return new Waybill(r.Part.MasterWaybillNo, f?.CarrierOrderId ?? r.Part.CarrierOrderId, f?.Carrier ?? r.Part.Carrier, o.Id, o.ShipmentId, r.Part.Parcels,
                    o.BookedAt, quoted, f?.BilledFen, f is null ? null : f.BilledFen - f.QuotedFen, f?.Version, f?.BilledAt, o.SettlementId,
                    o.SettlementId is null ? null : quoted + charged.Sum(c => c.Fen), charged.Where(c => !c.InPool).Select(c => c.SettlementId).ToList());
            });
        }).ToList();
        var carriers = waybills.GroupBy(w => w.Carrier).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new CarrierTotal(g.Key, g.Count(),
            g.Count(w => w.BilledFen is not null), g.Sum(w => w.QuotedFen), g.Sum(w => w.BilledFen ?? 0), g.Sum(w => w.DifferenceFen ?? 0))).ToList();
        var result = new Result($"{first:yyyy-MM}", waybills, carriers);
        return format == "csv" || (format is null && Csv.Wanted(http)) ? AsCsv(result) : TypedResults.Ok(result);
    }

    /// <summary>The first day of <paramref name="month"/> (YYYY-MM; this month when absent): malformed is 400, outside 2000–2099 is 422.</summary>
    private static DateOnly FirstDay(string? month, DateOnly today)
    {
        if (month is null) return new DateOnly(today.Year, today.Month, 1);
        if (!DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first) || month.Length != 7)
            throw new ProblemException(400, "malformed-request", "Malformed request", "month is a month, YYYY-MM.",
                new Dictionary<string, string[]> { ["month"] = ["must be a month, YYYY-MM"] });
        new Validation().Date(first, "month").ThrowIfInvalid();
        return first;
    }

    private static IResult AsCsv(Result r)
    {
        static string? China(DateTimeOffset? at) => at is { } t ? ChinaTime.ToChina(t).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : null;
        var csv = new Csv().Row("month", "carrier", "waybill_no", "carrier_order_id", "order_id", "shipment_id", "parcels", "booked_at", "quoted_fen", "billed_fen",
            "difference_fen", "version", "billed_at", "settlement_id", "settled_fen", "adjustment_settlement_ids");
        foreach (var w in r.Waybills)
            csv.Row(r.Month, w.Carrier, w.WaybillNo, w.CarrierOrderId, w.OrderId, w.ShipmentId, w.Parcels, China(w.BookedAt), w.QuotedFen, w.BilledFen,
                w.DifferenceFen, w.Version, China(w.BilledAt), w.SettlementId, w.SettledFen, string.Join(';', w.AdjustmentSettlementIds));
        foreach (var c in r.Carriers)
            csv.Row(r.Month, c.Carrier, "total", null, null, null, null, null, c.QuotedFen, c.BilledFen, c.DifferenceFen, null, null, null, null, null);
        return csv.ToResult();
    }
}
