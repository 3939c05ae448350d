using System.Text.Json;

namespace MelonChain.Benchmarks;

/// <summary>An unreliable run says which figures to trust: a pure judgement over the raw limits' drift, no bar run.</summary>
public sealed class TrustTests
{
    private static readonly RawLimit[] Held =
    [
        new(RawLimitNames.ReceiptTransaction, "tx/s", 1500, 1400),
        new(RawLimitNames.ShipmentSelects, "tx/s", 4000, 4300),
        new(RawLimitNames.BareKestrelQuote, "req/s", 9000, 9100),
        new(RawLimitNames.ConfirmedPublish, "msg/s", 6000, 5500),
    ];

    /// <summary>The last fresh-clone run: pgbench's SELECT limit drifted 194%.</summary>
    private static RawLimit[] SelectsDrifted => [.. Held.Select(r => r.Name == RawLimitNames.ShipmentSelects ? r with { After = r.Before * 2.94 } : r)];

    [Fact]
    public void In_a_run_whose_limits_held_every_figure_is_firm()
    {
        foreach (var bar in new[] { "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P11", "P12" })
            Assert.True(FigureTrust.Of(bar, Held).Firm, bar);
    }

    [Fact]
    public void A_ratio_to_a_limit_that_drifted_over_20_percent_is_soft_and_says_which_limit_moved_how_much()
    {
        var p3 = FigureTrust.Of("P3", SelectsDrifted);

        Assert.False(p3.Firm);
        Assert.Contains(RawLimitNames.ShipmentSelects, p3.Why);
        Assert.Contains("194%", p3.Why);
        foreach (var bar in new[] { "P1", "P2", "P4" })
            Assert.True(FigureTrust.Of(bar, SelectsDrifted).Firm, bar);
    }

    [Fact]
    public void Absolute_figures_and_side_by_side_ratios_stand_whatever_the_limits_did()
    {
        RawLimit[] allMoved = [.. Held.Select(r => r with { After = r.Before * 0.3 })];

        foreach (var bar in new[] { "P5", "P6", "P7", "P8", "P9", "P10", "P11", "P12" })
            Assert.True(FigureTrust.Of(bar, allMoved).Firm, bar);
        foreach (var bar in new[] { "P1", "P2", "P3", "P4" })
            Assert.False(FigureTrust.Of(bar, allMoved).Firm, bar);
    }

    [Fact]
    public void Twenty_percent_is_still_firm_and_a_limit_not_measured_twice_is_soft()
    {
        RawLimit[] edge = [.. Held.Select(r => r.Name switch
        {
            RawLimitNames.ReceiptTransaction => r with { After = r.Before * 1.2 },
            RawLimitNames.ShipmentSelects => r with { After = 0 },
            RawLimitNames.BareKestrelQuote => r with { Before = 0 },
            _ => r,
        })];

        Assert.True(FigureTrust.Of("P1", edge).Firm);
        Assert.False(FigureTrust.Of("P3", edge).Firm);
        Assert.False(FigureTrust.Of("P4", edge).Firm);
        Assert.False(FigureTrust.Of("P2", []).Firm);
    }

    [Fact]
    public void An_unreliable_report_says_per_bar_which_figures_to_trust_in_markdown_and_json()
    {
        var report = new Report { Mode = "full" };
        report.RawLimits.AddRange(SelectsDrifted);
        report.Bars.AddRange([new Bar("P1", "POST receipt", "≥ 0.6"), new Bar("P3", "buyer GET shipment", "≥ 0.5"), new Bar("P5", "settlement of a season", "< 3 s"),
            new Bar("P11", "the town at once", "≤ 2×")]);
        report.Bars[0].Checks.Add(new Check("POST / pgbench", 0.62, "", ">=", 0.6));
        report.Bars[1].Checks.Add(new Check("GET / pgbench", 0.41, "", ">=", 0.5));
        report.Bars[2].Checks.Add(new Check("time at 1,000,000 receipts", 2.8, " s", "<", 3));
        var dir = Path.Combine(Path.GetTempPath(), "melon-bench-trust-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            report.Write(dir);

            Assert.False(report.Reliable);
            var bars = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "bench-report.json"))).RootElement.GetProperty("bars")
                .EnumerateArray().ToDictionary(b => b.GetProperty("id").GetString()!, b => b.GetProperty("trust"));
            Assert.False(bars["P3"].GetProperty("firm").GetBoolean());
            Assert.Contains("194%", bars["P3"].GetProperty("why").GetString());
            Assert.True(bars["P5"].GetProperty("firm").GetBoolean());
            Assert.True(bars["P1"].GetProperty("firm").GetBoolean());
            var md = File.ReadAllText(Path.Combine(dir, "bench-report.md"));
            Assert.Contains("Figures to trust: P1, P5", md);
            Assert.Contains("soft: P3", md);
            Assert.Contains("| P3 | buyer GET shipment | ≥ 0.5 | GET / pgbench 0.41 >= 0.50 ✗ | **missed** | soft: pgbench shipment SELECTs moved 194%", md);
            Assert.Contains("| P11 | the town at once | ≤ 2× |  | **missed** | — |", md); // not run (--only): no figure to trust or doubt
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }
}
