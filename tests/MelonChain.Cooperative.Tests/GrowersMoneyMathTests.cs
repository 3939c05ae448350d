using MelonChain.Cooperative.Features.Settlement;
using MelonChain.Cooperative.Features.Surplus;
using static MelonChain.Cooperative.Features.Settlement.SettlementMath;

namespace MelonChain.Cooperative.Tests;

/// <summary>Growers' money as arithmetic: catalogue deductions, advances netted, the surplus return — every fen accounted for.</summary>
public class GrowersMoneyMathTests
{
    private static readonly Guid A = Guid.Parse("00000000-0000-0000-0000-0000000000a1"), B = Guid.Parse("00000000-0000-0000-0000-0000000000b2");

    // One order: grade 1 — 3 kg from A, 2 kg from B, two boxes at 10 yuan/kg; premium — 1 kg from A, one box at 20 yuan/kg.
    private static readonly DeliveredOrder Order = new(Guid.NewGuid(), FreightFen: 0, Boxes: 3,
        [new SoldLine("grade1", 5_000, 1_000), new SoldLine("premium", 1_000, 2_000)],
        [new Share("grade1", A, "SX-001", 3_000), new Share("grade1", B, "SX-002", 2_000), new Share("premium", A, "SX-001", 1_000)],
        new Dictionary<string, int> { ["grade1"] = 2, ["premium"] = 1 });

    [Theory]
    [InlineData("per_kg_sold", 20, null, 80, 40)]        // 4 kg and 2 kg at 0.20 yuan/kg
    [InlineData("per_kg_sold", 20, "grade1", 60, 40)]    // grade 1 only: 3 kg and 2 kg
    [InlineData("per_kg_sold", 15, "premium", 15, 0)]    // B sold no premium: no line for B
    [InlineData("per_box", 50, null, 100, 50)]           // 3 boxes × 0.50 = 150, split 4:2 by grams
    [InlineData("per_box", 50, "grade1", 60, 40)]        // 2 grade-1 boxes = 100, split 3:2
    [InlineData("revenue_bps", 100, null, 50, 20)]       // 1% of 5,000 (30/20) and of 2,000 (20 to A)
    [InlineData("per_statement", 300, null, 300, 300)]
    [InlineData("per_statement", 300, "premium", 300, 0)] // only growers who sold premium
    public void Each_deduction_basis_takes_what_its_rule_says_from_each_grower(string basis, long amount, string? grade, long fromA, long fromB)
    {
        var rule = new Deductions.Rule(Guid.NewGuid(), "规则", basis, amount, grade);

        var result = Settle([Order], new Rules(0, 0), [rule]);

        Assert.Equal(fromA, result.Deductions.Where(d => d.GrowerId == A).Sum(d => d.AmountFen));
        Assert.Equal(fromB, result.Deductions.Where(d => d.GrowerId == B).Sum(d => d.AmountFen));
        Assert.DoesNotContain(result.Deductions, d => d.AmountFen == 0);
        Assert.Equal(result.PoolSharesFen - fromA - fromB, result.PayoutFen);
        Assert.Equal(result.RevenueFen, result.PayoutFen + result.FreightFen + result.PackagingFen + result.CommissionFen + result.DeductionsFen);
    }

    [Theory]
    [InlineData(50_000, 80_000, 50_000, 0)]       // the whole advance netted
    [InlineData(50_000, 30_000, 30_000, 20_000)]  // never below zero: the rest carries forward
    [InlineData(50_000, 50_000, 50_000, 0)]
    [InlineData(50_000, -1_200, 0, 50_000)]       // a negative statement nets nothing
    [InlineData(0, 9_000, 0, 0)]
    public void An_advance_is_netted_against_what_the_statement_pays_and_the_rest_carries_forward(long outstanding, long due, long netted, long carried)
    {
        Assert.Equal((netted, carried), Deductions.NetAdvance(outstanding, due));
    }

    public static TheoryData<long, int, long[], long, long[]> SurplusSplits => new()
    {
        // distributable, volume share, grams of SX-003, SX-001, SX-002 → returned by volume, parts in the same order
        { 10_000, 6_000, [1_000, 1_000, 2_000], 6_000, [1_500, 1_500, 3_000] },
        { 10_001, 6_000, [1_000, 1_000, 1_000], 6_001, [2_000, 2_001, 2_000] },   // a three-way tie: the lowest member number takes the fen
        { 1, 6_000, [5, 5, 5], 1, [0, 1, 0] },                                    // 0.6 fen rounds up: never below the share asked
        { 100_000, 10_000, [1, 0, 3], 100_000, [25_000, 0, 75_000] },
    };

    [Theory]
    [MemberData(nameof(SurplusSplits))]
    public void The_surplus_return_splits_by_volume_to_the_fen_with_ties_to_the_lower_member_number(long distributable, int bps, long[] grams, long byVolume, long[] parts)
    {
        var members = new[] { "SX-003", "SX-001", "SX-002" }.Select((no, i) => new SurplusReturns.Volume(Guid.NewGuid(), no, grams[i])).ToList();

        var (returned, shares) = SurplusReturns.Split(distributable, bps, members);

        Assert.Equal(byVolume, returned);
        Assert.Equal(parts, shares);
        Assert.Equal(returned, shares.Sum());
        Assert.True(returned * 10_000 >= distributable * bps, "at least the volume share asked");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(11)]
    [InlineData(99)]
    [InlineData(2027)]
    public void Generated_seasons_with_deductions_and_advances_balance_to_the_fen(int seed)
    {
        var random = new Random(seed);
        var grades = new[] { "premium", "grade1", "grade2", "offgrade" };
        var growers = Enumerable.Range(1, random.Next(5, 150)).Select(i => (Id: Guid.NewGuid(), MemberNo: $"SX-{i:D4}")).ToList();
        var guarantees = growers.Where(_ => random.Next(3) == 0).ToDictionary(g => g.Id,
            g => (IReadOnlyDictionary<string, long>)grades.ToDictionary(x => x, _ => (long)random.Next(100, 2_000)));
        var orders = Enumerable.Range(0, random.Next(1, 40)).Select(_ =>
        {
            var orderGrades = grades.Where(_ => random.Next(2) == 0).DefaultIfEmpty("grade1").ToList();
            var shares = new List<Share>();
            var lines = new List<SoldLine>();
            var boxes = new Dictionary<string, int>();
            foreach (var grade in orderGrades)
            {
                var lineShares = growers.OrderBy(_ => random.Next()).Take(random.Next(1, 8))
                    .Select(c => new Share(grade, c.Id, c.MemberNo, random.Next(1, 90_000),
                        MinFenPerKg: guarantees.TryGetValue(c.Id, out var minimum) ? minimum[grade] : null)).ToList();
                shares.AddRange(lineShares);
                lines.Add(new SoldLine(grade, lineShares.Sum(s => s.Grams), random.Next(0, 3_000)));
                boxes[grade] = random.Next(1, 30);
            }
            return new DeliveredOrder(Guid.NewGuid(), random.Next(0, 500_000), boxes.Values.Sum(), lines, shares, boxes);
        }).ToList();
        var rules = Enumerable.Range(0, random.Next(1, 6)).Select(i =>
        {
            var basis = Deductions.Bases.All[random.Next(Deductions.Bases.All.Count)];
            return new Deductions.Rule(Guid.NewGuid(), $"rule {i}", basis, basis == Deductions.Bases.RevenueBps ? random.Next(1, 1_000) : random.Next(1, 2_000),
                random.Next(3) == 0 ? grades[random.Next(grades.Length)] : null);
        }).ToList();

        var result = Settle(orders, new Rules(random.Next(0, 1_000), random.Next(0, 2_000)), rules);

        // Σ revenue = Σ payouts + freight + packaging + commission + catalogue deductions, every grower's payout its shares less its deductions.
        var payouts = result.Lines.GroupBy(l => l.GrowerId)
            .ToDictionary(g => g.Key, g => g.Sum(l => l.PayoutFen) - result.Deductions.Where(d => d.GrowerId == g.Key).Sum(d => d.AmountFen));
        Assert.Equal(result.RevenueFen, payouts.Values.Sum() + result.FreightFen + result.PackagingFen + result.CommissionFen + result.DeductionsFen);
        // Split rules take exactly their total: a per-box rule its boxes × amount, a revenue rule its share of each pool.
        foreach (var rule in rules)
        {
            var taken = result.Deductions.Where(d => d.RuleId == rule.Id).Sum(d => d.AmountFen);
            bool Counts(string grade) => rule.Grade is null || rule.Grade == grade;
            if (rule.Basis == Deductions.Bases.PerBox)
                Assert.Equal(orders.Sum(o => o.Shares.Any(s => Counts(s.Grade)) ? rule.Amount * o.BoxesByGrade!.Where(b => Counts(b.Key)).Sum(b => b.Value) : 0), taken);
            if (rule.Basis == Deductions.Bases.RevenueBps)
                Assert.Equal(result.Pools.Where(p => Counts(p.Grade)).Sum(p => RoundHalfUp((Int128)p.RevenueFen * rule.Amount, 10_000)), taken);
        }
        // Advances: what is netted plus what is paid is what the statement credits; nothing netted below zero.
        foreach (var (grower, payout) in payouts)
        {
            var due = payout + result.Lines.Where(l => l.GrowerId == grower).Sum(l => l.TopUpFen);
            var outstanding = (long)random.Next(0, 200_000);
            var (netted, carried) = Deductions.NetAdvance(outstanding, due);
            Assert.Equal(outstanding, netted + carried);
            Assert.InRange(netted, 0, Math.Max(0, due));
            Assert.True(due - netted >= Math.Min(0, due), "an advance never makes a statement pay less than nothing");
        }
    }
}
