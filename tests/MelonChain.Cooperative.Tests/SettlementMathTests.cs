using MelonChain.Cooperative.Features.Settlement;
using static MelonChain.Cooperative.Features.Settlement.SettlementMath;

namespace MelonChain.Cooperative.Tests;

/// <summary>统一结算 arithmetic: every fen accounted for.</summary>
public class SettlementMathTests
{
    [Theory]
    [InlineData(100, new long[] { 1, 1, 1 }, new long[] { 34, 33, 33 })]
    [InlineData(-100, new long[] { 1, 1, 1 }, new long[] { -34, -33, -33 })]
    [InlineData(1, new long[] { 1, 1 }, new long[] { 1, 0 })]
    [InlineData(10, new long[] { 0, 5, 5 }, new long[] { 0, 5, 5 })]
    [InlineData(7, new long[] { 2, 3, 5 }, new long[] { 1, 2, 4 })]
    [InlineData(0, new long[] { 3, 4 }, new long[] { 0, 0 })]
    [InlineData(999_999_999_999, new long[] { 333, 333, 334 }, new long[] { 333_000_000_000, 333_000_000_000, 333_999_999_999 })]
    public void Largest_remainder_splits_add_up_exactly_with_ties_to_the_earlier_party(long total, long[] weights, long[] expected)
    {
        var parts = Split(total, weights);
        Assert.Equal(expected, parts);
        Assert.Equal(total, parts.Sum());
    }

    [Theory]
    [InlineData(1_500, 1_000, 1_500)]   // 1.5 kg × 10 yuan/kg = 15 yuan
    [InlineData(1, 1_999, 2)]           // 1.999 fen rounds up
    [InlineData(1, 1_500, 2)]           // half rounds up
    [InlineData(1, 1_499, 1)]
    public void Amounts_round_half_up_to_the_fen(long grams, long fenPerKg, long expected) => Assert.Equal(expected, Amount(grams, fenPerKg));

    [Fact]
    public void A_pool_whose_freight_exceeds_its_revenue_is_reported_negative_and_still_balances()
    {
        var grower = Guid.NewGuid();
        var order = new DeliveredOrder(Guid.NewGuid(), FreightFen: 50_000, Boxes: 2,
            [new SoldLine("offgrade", 10_000, 200)], [new Share("offgrade", grower, "SX-001", 10_000)]);

        var result = Settle([order], new Rules(300, 500));

        var pool = Assert.Single(result.Pools);
        Assert.Equal(2_000, pool.RevenueFen);
        Assert.Equal(100, pool.CommissionFen);
        Assert.Equal(2_000 - 50_000 - 600 - 100, pool.NetFen);
        Assert.Equal(pool.NetFen, Assert.Single(result.Lines).PayoutFen);
    }

    [Fact]
    public void Top_ups_appear_only_where_the_contract_minimum_bites()
    {
        var contractGrower = Guid.NewGuid();
        var memberGrower = Guid.NewGuid();
        var order = new DeliveredOrder(Guid.NewGuid(), 10_000, 4,
            [new SoldLine("grade1", 10_000, 800), new SoldLine("premium", 10_000, 1_600)],
            [new Share("grade1", contractGrower, "EP-001", 5_000, MinFenPerKg: 700), new Share("grade1", memberGrower, "SX-001", 5_000),
             new Share("premium", contractGrower, "EP-001", 10_000, MinFenPerKg: 900)]);

        var result = Settle([order], new Rules(300, 500));

        // grade1 pool: revenue 8,000, freight 5,000, packaging 600, commission 400 → net 2,000 → 1,000 each = 200 fen/kg.
        var grade1 = result.Lines.Single(l => l.GrowerId == contractGrower && l.Grade == "grade1");
        Assert.Equal(1_000, grade1.PayoutFen);
        Assert.Equal(3_500 - 1_000, grade1.TopUpFen);
        Assert.Equal(0, result.Lines.Single(l => l.GrowerId == memberGrower).TopUpFen);
        // premium pool: revenue 16,000 − 5,000 − 600 − 800 = 9,600 for 10 kg = 960 fen/kg, above the 900 minimum.
        Assert.Equal(0, result.Lines.Single(l => l.Grade == "premium").TopUpFen);
    }

    [Fact]
    public void A_grower_delivering_under_two_contracts_is_topped_up_per_receipt_line_from_each_lines_own_minimum()
    {
        var grower = Guid.NewGuid();
        var (spring, autumn) = (Guid.NewGuid(), Guid.NewGuid());
        var order = new DeliveredOrder(Guid.NewGuid(), 2_000, 4, [new SoldLine("grade1", 20_000, 1_000)],
            [new Share("grade1", grower, "EP-001", 12_000, spring, 1_500), new Share("grade1", grower, "EP-001", 8_000, autumn, 800)]);

        var line = Assert.Single(Settle([order], new Rules(300, 500)).Lines);

        // Net 20,000 − 2,000 − 1,200 − 1,000 = 15,800, split 12 : 8 kg = 9,480 and 6,320. Spring 18,000 − 9,480 = 8,520;
        // autumn 6,400 − 6,320 = 80. Judged together at either minimum it would be 14,200 or 0.
        Assert.Equal(15_800, line.PayoutFen);
        Assert.Equal(8_520 + 80, line.TopUpFen);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    [InlineData(2026)]
    public void Generated_seasons_balance_to_the_fen(int seed)
    {
        var random = new Random(seed);
        var grades = new[] { "premium", "grade1", "grade2", "offgrade" };
        var growers = Enumerable.Range(1, random.Next(5, 200)).Select(i => (Id: Guid.NewGuid(), MemberNo: $"SX-{i:D4}")).ToList();
        var guarantees = growers.Where(_ => random.Next(3) == 0).ToDictionary(g => g.Id,
            g => (IReadOnlyDictionary<string, long>)grades.ToDictionary(x => x, _ => (long)random.Next(100, 2_000)));
        var orders = Enumerable.Range(0, random.Next(1, 60)).Select(_ =>
        {
            var orderGrades = grades.Where(_ => random.Next(2) == 0).DefaultIfEmpty("grade1").ToList();
            var shares = new List<Share>();
            var lines = new List<SoldLine>();
            foreach (var grade in orderGrades)
            {
                var contributors = growers.OrderBy(_ => random.Next()).Take(random.Next(1, 8)).ToList();
                var lineShares = contributors.Select(c => new Share(grade, c.Id, c.MemberNo, random.Next(1, 90_000),
                    MinFenPerKg: guarantees.TryGetValue(c.Id, out var minimum) ? minimum[grade] : null)).ToList();
                shares.AddRange(lineShares);
                lines.Add(new SoldLine(grade, lineShares.Sum(s => s.Grams), random.Next(0, 3_000)));
            }
            return new DeliveredOrder(Guid.NewGuid(), random.Next(0, 500_000), random.Next(1, 80), lines, shares);
        }).ToList();

        var result = Settle(orders, new Rules(random.Next(0, 1_000), random.Next(0, 2_000)));

        Assert.Equal(result.RevenueFen, result.PayoutFen + result.FreightFen + result.PackagingFen + result.CommissionFen);
        Assert.Equal(orders.Sum(o => o.FreightFen), result.FreightFen);
        foreach (var pool in result.Pools)
        {
            Assert.Equal(pool.NetFen, result.Lines.Where(l => l.Grade == pool.Grade).Sum(l => l.PayoutFen));
            Assert.Equal(pool.RevenueFen - pool.FreightFen - pool.PackagingFen - pool.CommissionFen, pool.NetFen);
        }
        foreach (var line in result.Lines)
        {
            var minimum = guarantees.TryGetValue(line.GrowerId, out var g) ? g[line.Grade] : (long?)null;
            if (minimum is null) Assert.Equal(0, line.TopUpFen);
            else Assert.Equal(Math.Max(0, Amount(line.Grams, minimum.Value) - line.PayoutFen), line.TopUpFen);
        }
    }

    private static readonly Guid A = Guid.Parse("00000000-0000-0000-0000-00000000000a"), B = Guid.Parse("00000000-0000-0000-0000-00000000000b");

    public static TheoryData<long, long, long, long, long> YearSplits => new()
    {
        // payout, grams in 2033, grams in 2034 → payout booked to 2033, to 2034
        { 1_000, 1_000, 3_000, 250, 750 },
        { 1_001, 1_000, 1_000, 501, 500 },   // a tie: the earlier year takes the extra fen
        { -7, 2_000, 1_000, -5, -2 },        // a negative pool is split too, still to the fen
        { 999, 0, 5_000, 0, 999 },
    };

    [Theory]
    [MemberData(nameof(YearSplits))]
    public void Volume_is_booked_to_each_delivery_year_and_the_payout_split_by_grams_adds_up(long payout, long grams2033, long grams2034, long expect2033, long expect2034)
    {
        var lines = new List<GrowerLine> { new(A, "SX-001", "grade1", grams2033 + grams2034, payout, 0), new(B, "SX-002", "grade1", 500, 77, 0) };
        var volume = VolumeByYear(lines, [new YearGrams(A, 2033, grams2033), new YearGrams(A, 2034, grams2034), new YearGrams(B, 2034, 500)]);

        Assert.Equal((grams2033, expect2033), volume.Where(v => v.GrowerId == A && v.Year == 2033).Select(v => (v.Grams, v.PayoutFen)).Single());
        Assert.Equal((grams2034, expect2034), volume.Where(v => v.GrowerId == A && v.Year == 2034).Select(v => (v.Grams, v.PayoutFen)).Single());
        Assert.Equal(payout, volume.Where(v => v.GrowerId == A).Sum(v => v.PayoutFen));
        Assert.Equal((2034, 500L, 77L), volume.Where(v => v.GrowerId == B).Select(v => (v.Year, v.Grams, v.PayoutFen)).Single());
    }

    [Fact]
    public void A_credit_after_settlement_is_split_over_the_original_pools_growers_by_grams_to_the_fen_and_the_invariant_holds()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), c = Guid.NewGuid(), order = Guid.NewGuid(), claim = Guid.NewGuid();
        // grade1's pool had A 7 kg, B 2 kg, C 1 kg; premium's only A. 1,003 fen credited: 1,000 on grade1, 3 on premium.
        var pools = new Dictionary<string, IReadOnlyList<PoolShare>>
        {
            ["grade1"] = [new(b, "SX-002", 2_000), new(a, "SX-001", 7_000), new(c, "SX-003", 1_000)],
            ["premium"] = [new(a, "SX-001", 500)],
        };
        var lines = Adjust(order, claim, Credit, new Dictionary<string, long> { ["grade1"] = 1_001, ["premium"] = 3 }, g => pools[g]);
        // 1,001 × 0.7 / 0.2 / 0.1 = 700.7, 200.2, 100.1: 700, 200, 100 and the fen left to the largest remainder (A).
        Assert.Equal([(a, "grade1", -701L), (b, "grade1", -200L), (c, "grade1", -100L), (a, "premium", -3L)],
            lines.Select(l => (l.GrowerId, l.Grade, l.AmountFen)));
        Assert.All(lines, l => Assert.Equal((order, claim), (l.OrderId, l.SourceId)));

        // Nothing sold this period, only the adjustment: Σ revenue − credits + compensation = Σ payouts + … holds.
        var result = Settle([], new Rules(300, 500), adjustments: lines);
        Assert.Equal(1_004, result.CreditsFen);
        Assert.Equal(-1_004, result.PayoutFen);
        Assert.Equal(result.RevenueFen - result.CreditsFen + result.CompensationFen,
            result.PayoutFen + result.FreightFen + result.PackagingFen + result.CommissionFen + result.DeductionsFen);
    }

    [Fact]
    public void Credits_lower_and_compensation_raises_the_pools_net_and_the_invariant_holds()
    {
        var grower = Guid.NewGuid();
        var order = new DeliveredOrder(Guid.NewGuid(), 1_000, 2, [new SoldLine("grade1", 5_000, 700)], [new Share("grade1", grower, "SX-001", 10_000)],
            CreditsByGrade: new Dictionary<string, long> { ["grade1"] = 250 }, CompensationByGrade: new Dictionary<string, long> { ["grade1"] = 2_345 });
        var result = Settle([order], new Rules(300, 500));
        var pool = Assert.Single(result.Pools);
        Assert.Equal(3_500 - 250 + 2_345 - 1_000 - 600 - 175, pool.NetFen);
        Assert.Equal(result.RevenueFen - result.CreditsFen + result.CompensationFen,
            result.PayoutFen + result.FreightFen + result.PackagingFen + result.CommissionFen + result.DeductionsFen);
    }
    [Theory]
    [InlineData(1_000, new long[] { }, new long[] { }, 1_000)]                     // nothing billed yet: the quote
    [InlineData(1_000, new long[] { 600 }, new long[] { 780 }, 1_180)]             // one of two carrier orders billed
    [InlineData(1_000, new long[] { 600, 400 }, new long[] { 580, 400 }, 980)]     // both billed: the bills
    [InlineData(1_000, new long[] { 1_000 }, new long[] { 0 }, 0)]                 // billed nothing
    public void An_orders_freight_is_its_quote_with_each_billed_carrier_order_at_its_bill(long quoted, long[] quotes, long[] bills, long expected) =>
        Assert.Equal(expected, BilledFreight(quoted, quotes.Zip(bills)));

    [Theory]
    [InlineData(333, -233, -100)]    // billed 333 more: 7:3 → −233.1, −99.9; the fen left to the larger remainder
    [InlineData(-83, 58, 25)]        // billed 83 less than settled: given back, 58.1 and 24.9
    [InlineData(1, -1, 0)]
    public void Freight_billed_after_settlement_is_taken_from_the_original_pools_growers_to_the_fen_and_counts_as_freight(long difference, long toA, long toB)
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), order = Guid.NewGuid(), bill = Guid.NewGuid();
        IReadOnlyList<PoolShare> pool = [new(b, "SX-002", 3_000), new(a, "SX-001", 7_000)];
        var lines = Adjust(order, bill, Freight, new Dictionary<string, long> { ["grade1"] = difference }, _ => pool);
        Assert.Equal(new[] { (a, toA), (b, toB) }.Where(x => x.Item2 != 0), lines.Select(l => (l.GrowerId, l.AmountFen)));

        var result = Settle([], new Rules(300, 500), adjustments: lines);
        Assert.Equal(difference, result.FreightFen);
        Assert.Equal(-difference, result.PayoutFen);
        Assert.Equal((0L, 0L), (result.CreditsFen, result.CompensationFen));
        Assert.Equal(result.RevenueFen - result.CreditsFen + result.CompensationFen,
            result.PayoutFen + result.FreightFen + result.PackagingFen + result.CommissionFen + result.DeductionsFen);
    }
}
