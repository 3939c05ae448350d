namespace MelonChain.Cooperative.Features.Settlement;

/// <summary>
/// 统一结算 as pure arithmetic on integer fen (no floating point touches money). Every split uses the largest
/// remainder method, so the parts add up to the whole exactly; ties go to the earlier party in the given order
/// (callers order growers by member number).
/// </summary>
public static class SettlementMath
{
    public sealed record SoldLine(string Grade, long Grams, long PriceFenPerKg);

    /// <summary>
    /// Grams a grower contributed to one order's boxes of one grade, from one receipt line (<paramref name="ReceiptLine"/>,
    /// the lot graded from a receipt) whose contract guarantees <paramref name="MinFenPerKg"/> for the grade by the terms
    /// in force on its harvest date (null: no contract, or no minimum for the grade).
    /// </summary>
    public sealed record Share(string Grade, Guid GrowerId, string MemberNo, long Grams, Guid? ReceiptLine = null, long? MinFenPerKg = null);

    /// <param name="Shares">The growers' shares of its boxes. Settled from summed shares (<see cref="Settle(IReadOnlyList{DeliveredOrder}, IReadOnlyList{Share}, Rules, IReadOnlyList{Deductions.Rule}?, IReadOnlyList{Adjustment}?)"/>),
    /// only per-box deductions read them (each grower's grams per grade, no receipt lines needed); empty where no rule is per box.</param>
    /// <param name="BoxesByGrade">The order's boxes per grade, for per-box deductions of one grade.</param>
    /// <param name="CreditsByGrade">Buyers' credits accepted on its boxes, per grade sold from: they lower the pool's revenue.</param>
    /// <param name="CompensationByGrade">Carriers' compensation paid for its boxes, per grade: it raises the pool's revenue.</param>
    /// <param name="PackedGrams">The grams its growers put in its pooled boxes per grade, summed by the database; null: summed from
    /// <paramref name="Shares"/>.</param>
    public sealed record DeliveredOrder(Guid OrderId, long FreightFen, int Boxes, IReadOnlyList<SoldLine> Lines, IReadOnlyList<Share> Shares,
        IReadOnlyDictionary<string, int>? BoxesByGrade = null, IReadOnlyDictionary<string, long>? CreditsByGrade = null,
        IReadOnlyDictionary<string, long>? CompensationByGrade = null, IReadOnlyDictionary<string, long>? PackedGrams = null)
    {
        /// <summary>Grams packed per grade, grades in ordinal order: freight and packaging are split over them.</summary>
        public IReadOnlyList<(string Grade, long Grams)> Packed() => PackedGrams is { } packed
            ? packed.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)).ToList()
            : Shares.GroupBy(s => s.Grade).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(s => s.Grams))).ToList();
    }

    public sealed record Rules(long BoxFeeFen, int CommissionBps);

    /// <summary>A grade pool: <see cref="NetFen"/> = revenue − credits + compensation − freight − packaging − commission (on revenue).</summary>
    public sealed record Pool(string Grade, long SoldGrams, long RevenueFen, long FreightFen, long PackagingFen, long CommissionFen, long NetFen, long PricePerKgFen,
        long CreditsFen = 0, long CompensationFen = 0);

    /// <summary>
    /// Adjustment kinds: an accepted buyer's claim, a carrier's compensation paid, or freight the carrier billed beyond (or
    /// below) what an earlier settlement charged for a carrier order.
    /// </summary>
    public const string Credit = "credit", Compensation = "compensation", Freight = "freight";

    /// <summary>
    /// A credit (negative), compensation (positive) or freight billed (negative when the bill is higher) for an order
    /// settled earlier: one grower's part of it in one grade, naming the order and its source (a buyer's claim, the carrier
    /// claim compensated, or the carrier order's bill).
    /// </summary>
    public sealed record Adjustment(Guid GrowerId, string MemberNo, Guid OrderId, Guid SourceId, string Kind, string Grade, long AmountFen);

    /// <summary>One grower's line in the pool an earlier settlement settled an order in: the shares an adjustment is split by.</summary>
    public sealed record PoolShare(Guid GrowerId, string MemberNo, long Grams);

    public sealed record GrowerLine(Guid GrowerId, string MemberNo, string Grade, long Grams, long PayoutFen, long TopUpFen);

    /// <summary>Pools, each grower's share of each pool (<see cref="GrowerLine.PayoutFen"/>, before deductions) and the catalogue deductions.</summary>
    public sealed record Result(IReadOnlyList<Pool> Pools, IReadOnlyList<GrowerLine> Lines, IReadOnlyList<Deductions.Line> Deductions,
        IReadOnlyList<Adjustment>? Adjustments = null)
    {
        public IReadOnlyList<Adjustment> AdjustmentLines => Adjustments ?? [];
        /// <summary>Buyers' credits: in this settlement's pools, and as adjustments for orders settled earlier.</summary>
        public long CreditsFen => Pools.Sum(p => p.CreditsFen) - AdjustmentLines.Where(a => a.Kind == Credit).Sum(a => a.AmountFen);
        /// <summary>Carriers' compensation: in this settlement's pools, and as adjustments for orders settled earlier.</summary>
        public long CompensationFen => Pools.Sum(p => p.CompensationFen) + AdjustmentLines.Where(a => a.Kind == Compensation).Sum(a => a.AmountFen);
        public long AdjustmentsFen => AdjustmentLines.Sum(a => a.AmountFen);
        public long RevenueFen => Pools.Sum(p => p.RevenueFen);
        /// <summary>Freight: in this settlement's pools, and billed for orders settled earlier (adjustments).</summary>
        public long FreightFen => Pools.Sum(p => p.FreightFen) - AdjustmentLines.Where(a => a.Kind == Freight).Sum(a => a.AmountFen);
        public long PackagingFen => Pools.Sum(p => p.PackagingFen);
        public long CommissionFen => Pools.Sum(p => p.CommissionFen);
        public long PoolSharesFen => Lines.Sum(l => l.PayoutFen);
        public long DeductionsFen => Deductions.Sum(d => d.AmountFen);
        /// <summary>What the growers are credited: their pool shares less the catalogue deductions, plus adjustments.</summary>
        public long PayoutFen => PoolSharesFen - DeductionsFen + AdjustmentsFen;
        public long TopUpFen => Lines.Sum(l => l.TopUpFen);
    }

    /// <summary>Splits <paramref name="total"/> (may be negative) in proportion to non-negative weights; the parts sum to it exactly.</summary>
    public static long[] Split(long total, IReadOnlyList<long> weights)
    {
        var sum = weights.Sum();
        if (sum == 0)
            return total == 0 ? new long[weights.Count] : throw new ArgumentException("Nothing to split a non-zero amount over.", nameof(weights));
        var magnitude = Int128.Abs(total);
        var shares = new long[weights.Count];
        var remainders = new Int128[weights.Count];
        for (var i = 0; i < weights.Count; i++)
        {
            var product = magnitude * weights[i];
            shares[i] = (long)(product / sum);
            remainders[i] = product % sum;
        }
        var given = Int128.Zero;
        foreach (var share in shares) given += share;
        var left = (long)(magnitude - given);
        foreach (var i in Enumerable.Range(0, weights.Count).OrderByDescending(i => remainders[i]).ThenBy(i => i).Take((int)left))
            shares[i]++;
        return total < 0 ? shares.Select(s => -s).ToArray() : shares;
    }

    /// <summary>numerator / denominator rounded half up (both non-negative).</summary>
    public static long RoundHalfUp(Int128 numerator, long denominator) => (long)((numerator * 2 + denominator) / (2 * (Int128)denominator));

    /// <summary>kg × fen/kg from grams, rounded half up to the fen.</summary>
    public static long Amount(long grams, long fenPerKg) => RoundHalfUp((Int128)grams * fenPerKg, 1000);

    /// <summary>
    /// Pools per grade (revenue, freight and packaging split over each order's grades by packed grams,
    /// commission per pool), growers' payouts split from each pool's net by contributed grams, and top-ups
    /// where a receipt line's own guaranteed minimum price bites (<see cref="TopUp"/>, judged on the pool share, before
    /// catalogue deductions), then the catalogue's deductions per grower. Checks the invariant
    /// Σ revenue − Σ credits + Σ compensation = Σ payouts + freight + packaging + commission + catalogue deductions to the
    /// fen, <paramref name="adjustments"/> (for orders settled earlier) included in the credits, compensation and payouts.
    /// </summary>
    public static Result Settle(IReadOnlyList<DeliveredOrder> orders, Rules rules, IReadOnlyList<Deductions.Rule>? deductions = null,
        IReadOnlyList<Adjustment>? adjustments = null) =>
        Settle(orders, orders.SelectMany(o => o.Shares).ToList(), rules, deductions, adjustments);

    /// <summary>
    /// The same settlement from the growers' shares summed over the orders, as the database sums them (a season's million
    /// receipt lines read as a few thousand rows): each <paramref name="shares"/> row is a grower's grams in a grade, split by
    /// receipt line (<see cref="Share.ReceiptLine"/>, with its minimum) wherever a line may carry a guarantee, since a top-up is
    /// judged per receipt line; a grower none of whose lines has a minimum may come as one row per grade. Each order gives its
    /// packed grams per grade (<see cref="DeliveredOrder.PackedGrams"/>), and its own shares only where a rule is per box.
    /// Every split is the same as from the per-order shares, to the fen.
    /// </summary>
    public static Result Settle(IReadOnlyList<DeliveredOrder> orders, IReadOnlyList<Share> shares, Rules rules,
        IReadOnlyList<Deductions.Rule>? deductions = null, IReadOnlyList<Adjustment>? adjustments = null)
    {
        var revenue = new Dictionary<string, long>();
        var credits = new Dictionary<string, long>();
        var compensation = new Dictionary<string, long>();
        var freight = new Dictionary<string, long>();
        var packaging = new Dictionary<string, long>();
        var sold = new Dictionary<string, long>();
        foreach (var order in orders)
        {
            foreach (var line in order.Lines)
                Add(revenue, line.Grade, Amount(line.Grams, line.PriceFenPerKg));
            foreach (var (grade, fen) in order.CreditsByGrade ?? new Dictionary<string, long>()) Add(credits, grade, fen);
            foreach (var (grade, fen) in order.CompensationByGrade ?? new Dictionary<string, long>()) Add(compensation, grade, fen);
            var packed = order.Packed();
            if (packed.Count == 0) continue;
            var grams = packed.Select(p => p.Grams).ToList();
            var freightParts = Split(order.FreightFen, grams);
            var packagingParts = Split(rules.BoxFeeFen * order.Boxes, grams);
            for (var i = 0; i < packed.Count; i++)
            {
                Add(freight, packed[i].Grade, freightParts[i]);
                Add(packaging, packed[i].Grade, packagingParts[i]);
                Add(sold, packed[i].Grade, packed[i].Grams);
            }
        }

        var pools = new List<Pool>();
        var lines = new List<GrowerLine>();
        var sharesByGrade = shares.ToLookup(s => s.Grade);
        foreach (var grade in revenue.Keys.Union(sold.Keys).Order(StringComparer.Ordinal))
        {
            var r = revenue.GetValueOrDefault(grade);
            var commission = RoundHalfUp((Int128)r * rules.CommissionBps, 10_000);
            var net = r - credits.GetValueOrDefault(grade) + compensation.GetValueOrDefault(grade)
                      - freight.GetValueOrDefault(grade) - packaging.GetValueOrDefault(grade) - commission;
            var soldGrams = sold.GetValueOrDefault(grade);
            pools.Add(new Pool(grade, soldGrams, r, freight.GetValueOrDefault(grade), packaging.GetValueOrDefault(grade), commission, net,
                soldGrams == 0 ? 0 : (long)Math.Round((decimal)net * 1000 / soldGrams, MidpointRounding.AwayFromZero),
                credits.GetValueOrDefault(grade), compensation.GetValueOrDefault(grade)));

            var growers = sharesByGrade[grade]
                .GroupBy(s => (s.GrowerId, s.MemberNo)).Select(g => (g.Key.GrowerId, g.Key.MemberNo, Grams: g.Sum(s => s.Grams), Shares: g.ToList()))
                .OrderBy(g => g.MemberNo, StringComparer.Ordinal).ThenBy(g => g.GrowerId).ToList();
            var payouts = Split(net, growers.Select(g => g.Grams).ToList());
            for (var i = 0; i < growers.Count; i++)
            {
                var g = growers[i];
                lines.Add(new GrowerLine(g.GrowerId, g.MemberNo, grade, g.Grams, payouts[i], TopUp(g.Shares, payouts[i])));
            }
        }

        var shared = new Result(pools, lines, []);
        var result = shared with { Deductions = Settlement.Deductions.Apply(deductions ?? [], orders, shared), Adjustments = adjustments ?? [] };
        // Each grower's credit, summed grower by grower (lookups: 5,000 growers of a season, not 5,000 scans of their lines).
        var payoutsOf = result.Lines.ToLookup(l => l.GrowerId, l => l.PayoutFen);
        var deductedOf = result.Deductions.ToLookup(d => d.GrowerId, d => d.AmountFen);
        var adjustedOf = result.AdjustmentLines.ToLookup(a => a.GrowerId, a => a.AmountFen);
        var perGrower = result.Lines.Select(l => l.GrowerId).Concat(result.AdjustmentLines.Select(a => a.GrowerId)).Distinct()
            .Sum(g => payoutsOf[g].Sum() - deductedOf[g].Sum() + adjustedOf[g].Sum());
        if (result.RevenueFen - result.CreditsFen + result.CompensationFen
            != perGrower + result.FreightFen + result.PackagingFen + result.CommissionFen + result.DeductionsFen
            || result.Deductions.Any(d => !payoutsOf.Contains(d.GrowerId)))
            throw new InvalidOperationException("Settlement does not balance to the fen.");
        return result;
    }

    /// <summary>
    /// A grower's top-up in one grade pool: their pool payout split over their receipt lines by grams (largest
    /// remainder), each line topped up to its own minimum × its kg where that is more. A grower delivering under two
    /// contracts (two seasons, two minimums) is topped up from each receipt's own; one line below its minimum is never
    /// offset by another above its own.
    /// </summary>
    public static long TopUp(IReadOnlyList<Share> shares, long payoutFen)
    {
        var lines = shares.GroupBy(s => (s.ReceiptLine, s.MinFenPerKg)).OrderBy(l => l.Key.ReceiptLine).ThenBy(l => l.Key.MinFenPerKg)
            .Select(l => (Min: l.Key.MinFenPerKg, Grams: l.Sum(s => s.Grams))).ToList();
        if (lines.All(l => l.Min is null)) return 0;
        var parts = Split(payoutFen, lines.Select(l => l.Grams).ToList());
        return lines.Select((l, i) => l.Min is { } min ? Math.Max(0, Amount(l.Grams, min) - parts[i]) : 0).Sum();
    }

    /// <summary>
    /// A credit, compensation or freight difference for an order settled earlier, per grade, split over the growers of that
    /// grade's pool in that settlement by their grams (largest remainder, ties to the earlier member number): credits and
    /// freight billed beyond what was settled come off (negative lines; a bill below it is given back), compensation is added.
    /// </summary>
    public static IReadOnlyList<Adjustment> Adjust(Guid orderId, Guid sourceId, string kind, IReadOnlyDictionary<string, long> fenByGrade,
        Func<string, IReadOnlyList<PoolShare>> pool)
    {
        var sign = kind is Credit or Freight ? -1 : 1;
        return fenByGrade.OrderBy(g => g.Key, StringComparer.Ordinal).SelectMany(g =>
        {
            var growers = pool(g.Key).OrderBy(s => s.MemberNo, StringComparer.Ordinal).ThenBy(s => s.GrowerId).ToList();
            var parts = Split(sign * g.Value, growers.Select(s => s.Grams).ToList());
            return growers.Select((s, i) => new Adjustment(s.GrowerId, s.MemberNo, orderId, sourceId, kind, g.Key, parts[i]));
        }).Where(a => a.AmountFen != 0).ToList();
    }

    /// <summary>An amount split over grades by the grams of the boxes it concerns (largest remainder, grades in order).</summary>
    public static IReadOnlyDictionary<string, long> ByGrade(long fen, IReadOnlyList<(string Grade, long Grams)> boxes)
    {
        var grades = boxes.GroupBy(b => b.Grade).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (Grade: g.Key, Grams: g.Sum(b => b.Grams))).ToList();
        var parts = Split(fen, grades.Select(g => g.Grams).ToList());
        return grades.Select((g, i) => (g.Grade, Fen: parts[i])).Where(g => g.Fen != 0).ToDictionary(g => g.Grade, g => g.Fen);
    }

    /// <summary>
    /// 运费按账单: an order's freight is its quote with each carrier order the carrier has billed charged at its bill instead
    /// of its part of the quote; a carrier order not yet billed stays at its quote.
    /// </summary>
    public static long BilledFreight(long quotedFen, IEnumerable<(long QuotedFen, long BilledFen)> bills) =>
        quotedFen + bills.Sum(b => b.BilledFen - b.QuotedFen);

    private static void Add(Dictionary<string, long> sums, string key, long value) => sums[key] = sums.GetValueOrDefault(key) + value;

    public sealed record YearGrams(Guid GrowerId, int Year, long Grams);

    public sealed record YearVolume(Guid GrowerId, int Year, long Grams, long PayoutFen);

    /// <summary>
    /// Each grower's transaction volume per calendar year of delivery (the basis of the surplus return): the grams
    /// delivered in each year, and the grower's payout split over those years by grams (largest remainder), so a
    /// period across New Year books each order to its own year and the parts still add up to the payout.
    /// </summary>
    public static IReadOnlyList<YearVolume> VolumeByYear(IReadOnlyList<GrowerLine> lines, IReadOnlyList<YearGrams> gramsByYear)
    {
        var payout = lines.GroupBy(l => l.GrowerId).ToDictionary(g => g.Key, g => g.Sum(l => l.PayoutFen));
        return gramsByYear.GroupBy(y => y.GrowerId).OrderBy(g => g.Key).SelectMany(g =>
        {
            var years = g.OrderBy(y => y.Year).ToList();
            var parts = Split(payout.GetValueOrDefault(g.Key), years.Select(y => y.Grams).ToList());
            return years.Select((y, i) => new YearVolume(g.Key, y.Year, y.Grams, parts[i]));
        }).ToList();
    }
}
