using MelonChain.ServiceDefaults.Data;
using static MelonChain.Cooperative.Features.Settlement.SettlementMath;

namespace MelonChain.Cooperative.Features.Settlement;

/// <summary>
/// What the growers put in the boxes a settlement pools, summed by the database: a season of a million receipt lines
/// (one box_sources row each) is read as the orders' packed grams per grade (30,000 rows at 1M) and the growers' grams
/// per grade (15,000), in one pass with the sums in hash tables, instead of a row per order, grower and receipt line
/// sorted on disk (1,000,000 rows, 5.4 s); each box source carries its lot's grower, so the sums join no lots (1.1M hashed,
/// about 0.6 s). Receipt lines are read only where they change the money: the lines of
/// growers delivering under a contract (a top-up is judged per receipt line, <see cref="SettlementMath.TopUp"/>), and each
/// order's growers only when a deduction is per box (split per order). The splits are the same to the fen
/// (<see cref="SettlementMath.Settle(IReadOnlyList{DeliveredOrder}, IReadOnlyList{Share}, Rules, IReadOnlyList{Deductions.Rule}?, IReadOnlyList{Adjustment}?)"/>).
/// </summary>
/// <param name="Packed">Each order's grams per grade in its pooled boxes.</param>
/// <param name="Growers">Each grower's grams per grade, per receipt line for growers under contract.</param>
/// <param name="OfOrder">Each order's growers' grams per grade, read only for a per-box deduction.</param>
/// <param name="GramsByYear">Each grower's grams per calendar year of its orders' delivery (China date).</param>
public sealed record SummedShares(IReadOnlyDictionary<Guid, IReadOnlyDictionary<string, long>> Packed, IReadOnlyList<Share> Growers,
    ILookup<Guid, Share> OfOrder, IReadOnlyList<YearGrams> GramsByYear)
{
    /// <summary>An order's packed grams in a grade (<paramref name="GrowerId"/> null), or a grower's grams in a grade over the orders.</summary>
    private sealed record SumRow(Guid? OrderId, string Grade, Guid? GrowerId, string? MemberNo, long Grams, bool UnderContract);

    private sealed record ReceiptLineRow(string Grade, Guid GrowerId, Guid LotId, long? MinFenPerKg, long Grams);

    private sealed record OrderShareRow(Guid OrderId, string Grade, Guid GrowerId, long Grams);

    /// <summary>Reads the sums for <paramref name="orders"/> (each with its delivery year), once per delivery year (usually once).</summary>
    public static async Task<SummedShares> ReadAsync(Db db, string coop, IReadOnlyList<(Guid Id, int Year)> orders, bool perBox, CancellationToken ct)
    {
        var packed = new Dictionary<Guid, IReadOnlyDictionary<string, long>>();
        var growers = new List<(SumRow Row, int Year)>();
        foreach (var year in orders.GroupBy(o => o.Year))
        {
            var rows = await db.QueryAsync<SumRow>(
                $"""
                select t.order_id, t.grade, t.grower_id, g.member_no, t.grams, t.under_contract
                from (select b.order_id, b.grade, s.grower_id, sum(s.grams)::bigint as grams, bool_or(s.under_contract) as under_contract
                      from boxes b join box_sources s on s.trace_code = b.trace_code
                      where b.order_id = any(@Ids) and {SettlePeriod.PooledBoxSql}
                      group by grouping sets ((b.order_id, b.grade), (b.grade, s.grower_id))) t
                left join growers g on g.id = t.grower_id
                """, new { Ids = year.Select(o => o.Id).ToArray() }, ct);
            foreach (var order in rows.Where(x => x.GrowerId is null).GroupBy(x => x.OrderId!.Value))
                packed[order.Key] = order.ToDictionary(x => x.Grade, x => x.Grams);
            growers.AddRange(rows.Where(x => x.GrowerId is not null).Select(x => (x, year.Key)));
        }
        var ids = orders.Select(o => o.Id).ToArray();
        var memberNo = growers.Select(g => g.Row).DistinctBy(x => x.GrowerId).ToDictionary(x => x.GrowerId!.Value, x => x.MemberNo!);
        var underContract = growers.Where(g => g.Row.UnderContract).Select(g => g.Row.GrowerId!.Value).ToHashSet();
        var receiptLines = underContract.Count == 0 ? [] : await ReceiptLinesAsync(db, coop, ids, underContract.ToArray(), ct);
        var shares = growers.Where(g => !underContract.Contains(g.Row.GrowerId!.Value))
            .Select(g => new Share(g.Row.Grade, g.Row.GrowerId!.Value, g.Row.MemberNo!, g.Row.Grams))
            .Concat(receiptLines.Select(l => new Share(l.Grade, l.GrowerId, memberNo[l.GrowerId], l.Grams, l.LotId, l.MinFenPerKg)))
            .ToList();
        var ofOrder = (perBox ? await OrderSharesAsync(db, ids, ct) : [])
            .ToLookup(x => x.OrderId, x => new Share(x.Grade, x.GrowerId, memberNo[x.GrowerId], x.Grams));
        var gramsByYear = growers.GroupBy(g => (GrowerId: g.Row.GrowerId!.Value, g.Year))
            .Select(g => new YearGrams(g.Key.GrowerId, g.Key.Year, g.Sum(x => x.Row.Grams))).ToList();
        return new SummedShares(packed, shares, ofOrder, gramsByYear);
    }

    /// <summary>
    /// The receipt lines (lots) of growers under contract, each with its own contract's minimum for the grade, by the newest
    /// version of the terms in force on its harvest date (an amendment prices harvests from its effective date; the signed
    /// terms from the start).
    /// </summary>
    private static Task<IReadOnlyList<ReceiptLineRow>> ReceiptLinesAsync(Db db, string coop, Guid[] ids, Guid[] growers, CancellationToken ct) =>
        db.QueryAsync<ReceiptLineRow>(
            $"""
            select b.grade, l.grower_id, l.id as lot_id,
                   (select (v.min_price ->> b.grade)::bigint from contract_term_versions v
                    where v.contract_id = l.contract_id and v.cooperative_id = @Coop
                      and (v.effective_from is null or v.effective_from <= l.harvested_on)
                    order by v.version desc limit 1) as min_fen_per_kg,
                   sum(s.grams)::bigint as grams
            from boxes b join box_sources s on s.trace_code = b.trace_code join lots l on l.id = s.lot_id
            where b.order_id = any(@Ids) and l.grower_id = any(@Growers) and {SettlePeriod.PooledBoxSql}
            group by b.grade, l.grower_id, l.id
            """, new { Ids = ids, Growers = growers, Coop = coop }, ct);

    /// <summary>Each order's growers' grams per grade: a per-box deduction splits each order's boxes over them.</summary>
    private static Task<IReadOnlyList<OrderShareRow>> OrderSharesAsync(Db db, Guid[] ids, CancellationToken ct) =>
        db.QueryAsync<OrderShareRow>(
            $"""
            select b.order_id, b.grade, l.grower_id, sum(s.grams)::bigint as grams
            from boxes b join box_sources s on s.trace_code = b.trace_code join lots l on l.id = s.lot_id
            where b.order_id = any(@Ids) and {SettlePeriod.PooledBoxSql}
            group by b.order_id, b.grade, l.grower_id
            """, new { Ids = ids }, ct);
}
