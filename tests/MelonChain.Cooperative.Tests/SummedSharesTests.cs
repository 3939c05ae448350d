using MelonChain.Cooperative.Features.Settlement;
using static MelonChain.Cooperative.Features.Settlement.SettlementMath;

namespace MelonChain.Cooperative.Tests;

/// <summary>
/// Settlement reads the growers' shares summed by the database — per grade and grower, per receipt line only where a
/// contract may top it up, each order's packed grams per grade, each order's growers only for per-box deductions —
/// instead of a row per order, grower and receipt line (a million at a million receipts). The same seasons must settle
/// to the same fen: every largest-remainder split, top-up and deduction as from the rows.
/// </summary>
public class SummedSharesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    [InlineData(2026)]
    [InlineData(31337)]
    public void Shares_summed_per_grower_settle_to_the_fen_as_the_rows_of_each_order_do(int seed)
    {
        var random = new Random(seed);
        var grades = new[] { "premium", "grade1", "grade2", "offgrade" };
        var growers = Enumerable.Range(1, random.Next(5, 120)).Select(i => (Id: Guid.NewGuid(), MemberNo: $"SX-{i:D4}")).ToList();
        // Receipt lines (lots): a grade each; a contract grower's line carries its contract's minimum for that grade (two
        // contracts for some), and some lines of contract growers none (delivered outside the contract).
        var contracts = growers.Where(_ => random.Next(3) == 0)
            .ToDictionary(g => g.Id, _ => Enumerable.Range(0, random.Next(1, 3)).Select(_ => grades.ToDictionary(x => x, _ => (long)random.Next(100, 2_000))).ToList());
        var lots = growers.SelectMany(g => Enumerable.Range(0, random.Next(1, 7)).Select(_ =>
        {
            var grade = grades[random.Next(grades.Length)];
            long? min = contracts.TryGetValue(g.Id, out var terms) && random.Next(4) > 0 ? terms[random.Next(terms.Count)][grade] : null;
            return (Lot: Guid.NewGuid(), Grade: grade, g.Id, g.MemberNo, Min: min);
        })).ToList();
        var orders = Enumerable.Range(0, random.Next(1, 50)).Select(_ =>
        {
            var shares = new List<Share>();
            var lines = new List<SoldLine>();
            var boxes = new Dictionary<string, int>();
            foreach (var grade in grades.Where(_ => random.Next(2) == 0).DefaultIfEmpty("grade1"))
            {
                var ofGrade = lots.Where(l => l.Grade == grade).ToList();
                if (ofGrade.Count == 0) continue;
                // Small odd weights, some alike, so remainders tie and the fen left over goes by member number.
                var lineShares = ofGrade.OrderBy(_ => random.Next()).Take(random.Next(1, 9))
                    .Select(l => new Share(grade, l.Id, l.MemberNo, random.Next(2) == 0 ? 1_333 : random.Next(1, 9_999), l.Lot, l.Min)).ToList();
                shares.AddRange(lineShares);
                lines.Add(new SoldLine(grade, lineShares.Sum(s => s.Grams), random.Next(0, 3_000)));
                boxes[grade] = random.Next(1, 30);
            }
            return new DeliveredOrder(Guid.NewGuid(), random.Next(0, 500_001), boxes.Values.Sum(), lines, shares, boxes);
        }).ToList();
        var rules = Deductions.Bases.All.Select((basis, i) => new Deductions.Rule(Guid.NewGuid(), $"rule {i}", basis,
            basis == Deductions.Bases.RevenueBps ? random.Next(1, 1_000) : random.Next(1, 2_000), random.Next(3) == 0 ? grades[random.Next(grades.Length)] : null))
            .Where(_ => random.Next(4) > 0).ToList();
        var profile = new Rules(random.Next(0, 1_000), random.Next(0, 2_000));

        var fromRows = Settle(orders, profile, rules);

        // As the database sums them: a (grade, grower) with a minimum on any of its lines per receipt line, the others in one
        // row per delivery year (two years here at random), each order's packed grams and its growers' grams per grade.
        var underContract = orders.SelectMany(o => o.Shares).Where(s => s.MinFenPerKg is not null).Select(s => (s.Grade, s.GrowerId)).ToHashSet();
        var year = orders.ToDictionary(o => o.OrderId, _ => random.Next(2));
        var summed = orders.SelectMany(o => o.Shares.Select(s => (Share: s, Year: year[o.OrderId])))
            .GroupBy(x => underContract.Contains((x.Share.Grade, x.Share.GrowerId))
                ? (x.Share.Grade, x.Share.GrowerId, x.Share.MemberNo, x.Share.ReceiptLine, x.Share.MinFenPerKg, Year: -1)
                : (x.Share.Grade, x.Share.GrowerId, x.Share.MemberNo, ReceiptLine: (Guid?)null, MinFenPerKg: (long?)null, x.Year))
            .Select(g => new Share(g.Key.Grade, g.Key.GrowerId, g.Key.MemberNo, g.Sum(x => x.Share.Grams), g.Key.ReceiptLine, g.Key.MinFenPerKg))
            .OrderBy(_ => random.Next()).ToList();
        var summedOrders = orders.Select(o => o with
        {
            Shares = o.Shares.GroupBy(s => (s.Grade, s.GrowerId, s.MemberNo)).Select(g => new Share(g.Key.Grade, g.Key.GrowerId, g.Key.MemberNo, g.Sum(s => s.Grams))).ToList(),
            PackedGrams = o.Shares.GroupBy(s => s.Grade).ToDictionary(g => g.Key, g => g.Sum(s => s.Grams)),
        }).ToList();

        var fromSums = Settle(summedOrders, summed, profile, rules);

        Assert.Equal(fromRows.Pools, fromSums.Pools);
        Assert.Equal(fromRows.Lines, fromSums.Lines);
        Assert.Equal(fromRows.Deductions, fromSums.Deductions);
        Assert.Contains(fromRows.Lines, l => l.TopUpFen > 0);
    }

    [Fact]
    public void A_per_box_rule_without_each_orders_growers_is_refused_rather_than_taking_nothing()
    {
        var grower = Guid.NewGuid();
        var order = new DeliveredOrder(Guid.NewGuid(), 1_000, 2, [new SoldLine("grade1", 5_000, 700)], [], new Dictionary<string, int> { ["grade1"] = 2 },
            PackedGrams: new Dictionary<string, long> { ["grade1"] = 5_000 });
        var rule = new Deductions.Rule(Guid.NewGuid(), "周转箱租金", Deductions.Bases.PerBox, 50, null);

        Assert.Throws<ArgumentException>(() => Settle([order], [new Share("grade1", grower, "SX-001", 5_000)], new Rules(300, 500), [rule]));
    }
}
