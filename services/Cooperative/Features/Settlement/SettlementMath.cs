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

    /// <param name="BoxesByGrade">The order's boxes per grade, for per-box deductions of one grade.</param>
    public sealed record DeliveredOrder(Guid OrderId, long FreightFen, int Boxes, IReadOnlyList<SoldLine> Lines, IReadOnlyList<Share> Shares,
        IReadOnlyDictionary<string, int>? BoxesByGrade = null);

    public sealed record Rules(long BoxFeeFen, int CommissionBps);

    public sealed record Pool(string Grade, long SoldGrams, long RevenueFen, long FreightFen, long PackagingFen, long CommissionFen, long NetFen, long PricePerKgFen);

    public sealed record GrowerLine(Guid GrowerId, string MemberNo, string Grade, long Grams, long PayoutFen, long TopUpFen);

    /// <summary>Pools, each grower's share of each pool (<see cref="GrowerLine.PayoutFen"/>, before deductions) and the catalogue deductions.</summary>
    public sealed record Result(IReadOnlyList<Pool> Pools, IReadOnlyList<GrowerLine> Lines, IReadOnlyList<Deductions.Line> Deductions)
    {
        public long RevenueFen => Pools.Sum(p => p.RevenueFen);
        public long FreightFen => Pools.Sum(p => p.FreightFen);
        public long PackagingFen => Pools.Sum(p => p.PackagingFen);
        public long CommissionFen => Pools.Sum(p => p.CommissionFen);
        public long PoolSharesFen => Lines.Sum(l => l.PayoutFen);
        public long DeductionsFen => Deductions.Sum(d => d.AmountFen);
        /// <summary>What the growers are credited from the pools: their shares less the catalogue deductions.</summary>
        public long PayoutFen => PoolSharesFen - DeductionsFen;
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
    /// Σ revenue = Σ payouts + freight + packaging + commission + catalogue deductions to the fen.
    /// </summary>
    public static Result Settle(IReadOnlyList<DeliveredOrder> orders, Rules rules, IReadOnlyList<Deductions.Rule>? deductions = null)
    {
        var revenue = new Dictionary<string, long>();
        var freight = new Dictionary<string, long>();
        var packaging = new Dictionary<string, long>();
        var sold = new Dictionary<string, long>();
        foreach (var order in orders)
        {
            foreach (var line in order.Lines)
                Add(revenue, line.Grade, Amount(line.Grams, line.PriceFenPerKg));
            var packed = order.Shares.GroupBy(s => s.Grade).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (Grade: g.Key, Grams: g.Sum(s => s.Grams))).ToList();
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
        foreach (var grade in revenue.Keys.Union(sold.Keys).Order(StringComparer.Ordinal))
        {
            var r = revenue.GetValueOrDefault(grade);
            var commission = RoundHalfUp((Int128)r * rules.CommissionBps, 10_000);
            var net = r - freight.GetValueOrDefault(grade) - packaging.GetValueOrDefault(grade) - commission;
            var soldGrams = sold.GetValueOrDefault(grade);
            pools.Add(new Pool(grade, soldGrams, r, freight.GetValueOrDefault(grade), packaging.GetValueOrDefault(grade), commission, net,
                soldGrams == 0 ? 0 : (long)Math.Round((decimal)net * 1000 / soldGrams, MidpointRounding.AwayFromZero)));

            var growers = orders.SelectMany(o => o.Shares).Where(s => s.Grade == grade)
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
        var result = shared with { Deductions = Settlement.Deductions.Apply(deductions ?? [], orders, shared) };
        var perGrower = result.Lines.GroupBy(l => l.GrowerId).Sum(g => g.Sum(l => l.PayoutFen) - result.Deductions.Where(d => d.GrowerId == g.Key).Sum(d => d.AmountFen));
        if (result.RevenueFen != perGrower + result.FreightFen + result.PackagingFen + result.CommissionFen + result.DeductionsFen
            || result.Deductions.Any(d => result.Lines.All(l => l.GrowerId != d.GrowerId)))
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
