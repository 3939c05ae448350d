using static MelonChain.Cooperative.Features.Settlement.SettlementMath;

namespace MelonChain.Cooperative.Features.Settlement;

/// <summary>
/// 扣款: deductions beyond freight, boxes and commission, from the catalogue the cooperative keeps. Pure arithmetic on
/// integer fen; a rule's <c>Amount</c> is read in its basis's unit. Each grower's deduction per rule is rounded or split
/// so that what the statements list adds up exactly to what the rule took.
/// </summary>
public static class Deductions
{
    /// <summary>The bases a rule may have, and the unit of its amount.</summary>
    public static class Bases
    {
        /// <summary>Fen per kg the grower sold (rounded half up per grower).</summary>
        public const string PerKgSold = "per_kg_sold";
        /// <summary>Fen per box packed; each order's boxes are split over its growers by the grams they put in.</summary>
        public const string PerBox = "per_box";
        /// <summary>Basis points of each pool's revenue, split over the pool's growers by grams.</summary>
        public const string RevenueBps = "revenue_bps";
        /// <summary>Fen on each grower's statement.</summary>
        public const string PerStatement = "per_statement";

        public static readonly IReadOnlyList<string> All = [PerKgSold, PerBox, RevenueBps, PerStatement];
    }

    /// <param name="Grade">Only what was sold in this grade counts (per statement: only growers who sold it); null for all.</param>
    public sealed record Rule(Guid Id, string Name, string Basis, long Amount, string? Grade);

    public sealed record Line(Guid GrowerId, string MemberNo, Guid RuleId, string Name, string Basis, long AmountFen);

    /// <summary>
    /// What each rule takes from each grower of a settlement (lines of zero are left out). <paramref name="result"/>
    /// gives the pools and each grower's grams per grade; <paramref name="orders"/> the boxes per order and grade.
    /// </summary>
    public static IReadOnlyList<Line> Apply(IReadOnlyList<Rule> rules, IReadOnlyList<DeliveredOrder> orders, Result result)
    {
        var lines = new List<Line>();
        var growers = result.Lines.GroupBy(l => l.GrowerId).Select(g => (GrowerId: g.Key, g.First().MemberNo))
            .OrderBy(g => g.MemberNo, StringComparer.Ordinal).ThenBy(g => g.GrowerId).ToList();
        foreach (var rule in rules)
        {
            var taken = new Dictionary<Guid, long>();
            bool Counts(string grade) => rule.Grade is null || rule.Grade == grade;
            switch (rule.Basis)
            {
                case Bases.PerKgSold:
                    foreach (var g in result.Lines.Where(l => Counts(l.Grade)).GroupBy(l => l.GrowerId))
                        Add(taken, g.Key, Amount(g.Sum(l => l.Grams), rule.Amount));
                    break;
                case Bases.PerBox:
                    foreach (var order in orders)
                    {
                        var boxes = rule.Grade is null ? order.Boxes : order.BoxesByGrade?.GetValueOrDefault(rule.Grade)
                            ?? throw new ArgumentException("A per-box rule of one grade needs each order's boxes per grade.", nameof(orders));
                        if (order.Shares.Count == 0 && order.PackedGrams is { Count: > 0 })
                            throw new ArgumentException("A per-box rule splits each order's boxes over its growers: it needs each order's shares.", nameof(orders));
                        SplitOver(taken, rule.Amount * boxes, order.Shares.Where(s => Counts(s.Grade)).Select(s => (s.GrowerId, s.MemberNo, s.Grams)));
                    }
                    break;
                case Bases.RevenueBps:
                    foreach (var pool in result.Pools.Where(p => Counts(p.Grade)))
                        SplitOver(taken, RoundHalfUp((Int128)pool.RevenueFen * rule.Amount, 10_000),
                            result.Lines.Where(l => l.Grade == pool.Grade).Select(l => (l.GrowerId, l.MemberNo, l.Grams)));
                    break;
                case Bases.PerStatement:
                    foreach (var g in result.Lines.Where(l => Counts(l.Grade)).Select(l => l.GrowerId).Distinct())
                        Add(taken, g, rule.Amount);
                    break;
                default:
                    throw new ArgumentException($"Unknown deduction basis {rule.Basis}", nameof(rules));
            }
            lines.AddRange(growers.Where(g => taken.GetValueOrDefault(g.GrowerId) != 0)
                .Select(g => new Line(g.GrowerId, g.MemberNo, rule.Id, rule.Name, rule.Basis, taken[g.GrowerId])));
        }
        return lines;
    }

    /// <summary>Splits <paramref name="total"/> over growers by grams (largest remainder, ties to the lower member number).</summary>
    private static void SplitOver(Dictionary<Guid, long> taken, long total, IEnumerable<(Guid GrowerId, string MemberNo, long Grams)> shares)
    {
        var byGrower = shares.GroupBy(s => (s.GrowerId, s.MemberNo)).Select(g => (g.Key.GrowerId, g.Key.MemberNo, Grams: g.Sum(s => s.Grams)))
            .Where(g => g.Grams > 0).OrderBy(g => g.MemberNo, StringComparer.Ordinal).ThenBy(g => g.GrowerId).ToList();
        if (byGrower.Count == 0 || total == 0) return;
        var parts = Split(total, byGrower.Select(g => g.Grams).ToList());
        for (var i = 0; i < byGrower.Count; i++) Add(taken, byGrower[i].GrowerId, parts[i]);
    }

    private static void Add(Dictionary<Guid, long> sums, Guid key, long value) => sums[key] = sums.GetValueOrDefault(key) + value;

    /// <summary>
    /// 预付款冲抵: an advance is netted against what the statement pays (its payout after deductions, plus top-up), never
    /// below zero; what is left of it carries forward to the next statement.
    /// </summary>
    public static (long NettedFen, long CarriedFen) NetAdvance(long outstandingFen, long dueFen)
    {
        var netted = Math.Clamp(dueFen, 0, Math.Max(0, outstandingFen));
        return (netted, Math.Max(0, outstandingFen) - netted);
    }

    /// <summary>Checks a rule as the catalogue keeps it; the problem, or null.</summary>
    public static string? Check(string basis, long amount) => basis switch
    {
        Bases.RevenueBps when amount is < 1 or > 10_000 => "basis points of revenue must be between 1 and 10,000",
        _ when amount is < 1 or > 100_000_000 => "must be between 1 and 100,000,000 fen",
        _ => null,
    };
}
