using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MelonChain.Benchmarks;

/// <summary>One target of a bar: a measured value against its threshold (a ratio, a latency, a time, a size).</summary>
public sealed record Check(string What, double Value, string Unit, string Comparison, double Threshold)
{
    public bool Met => Comparison switch
    {
        ">=" => Value >= Threshold,
        "<" => Value < Threshold,
        "<=" => Value <= Threshold,
        _ => false,
    };

    public override string ToString() =>
        $"{What} {Fmt(Value)}{Unit} {Comparison} {Fmt(Threshold)}{Unit} {(Met ? "✓" : "✗")}";

    internal static string Fmt(double v) => double.IsNaN(v) ? "n/a" : v.ToString(Math.Abs(v) >= 100 ? "F0" : Math.Abs(v) >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture);
}

/// <summary>A speed bar (BARS.md beside this file) as measured in this run.</summary>
public sealed class Bar(string id, string what, string target)
{
    public string Id { get; } = id;
    public string What { get; } = what;
    public string Target { get; } = target;
    public List<Measurement> Measurements { get; } = [];
    public List<Check> Checks { get; } = [];
    /// <summary>What was verified after the load: rows and events for every 2xx, nothing doubled.</summary>
    public List<string> Correctness { get; } = [];
    public bool Correct { get; set; } = true;
    public string? Error { get; set; }
    /// <summary>For a missed bar: what limits it, the profile that shows it, and what was tried.</summary>
    public string? Notes { get; set; }

    /// <summary>Why this run gives the bar no verdict: the machine was busy before it, or what it measures does not exist yet.</summary>
    public string? NotJudged { get; set; }

    public string Verdict => Error is not null ? "error" : !Correct ? "incorrect" : NotJudged is not null ? "not judged"
        : Checks.Count > 0 && Checks.All(c => c.Met) ? "met" : "missed";

    public void Verify(bool ok, string what)
    {
        Correctness.Add((ok ? "✓ " : "✗ ") + what);
        if (!ok) Correct = false;
    }
}

public sealed record RawLimit(string Name, string Unit, double Before, double After)
{
    public double Drift => Before == 0 ? double.NaN : Math.Abs(After - Before) / Before;
    public double Mean => (Before + After) / 2;
}

public sealed class Report
{
    public string Mode { get; set; } = "full";
    public DateTimeOffset StartedAt { get; set; } = DateTimeOffset.UtcNow;
    public double Seconds { get; set; }
    public Dictionary<string, string> Machine { get; } = [];
    public List<RawLimit> RawLimits { get; } = [];
    public List<Bar> Bars { get; } = [];
    public bool Reliable => BusyBefore is null && RawLimits.All(r => double.IsNaN(r.Drift) || r.Drift <= FigureTrust.MaxDrift);
    /// <summary>Whether a bar's figure can be trusted in this run: soft when its ratio rests on a raw limit that drifted (BARS.md).</summary>
    public Trust TrustOf(Bar bar) => FigureTrust.Of(bar.Id, RawLimits);
    private static bool HasFigures(Bar bar) => bar.Checks.Count > 0 || bar.Measurements.Count > 0;
    /// <summary>Set when the machine was busy before the run: then no bar gets a verdict.</summary>
    public string? BusyBefore { get; set; }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "bench-report.json"), JsonSerializer.Serialize(new
        {
            Mode, StartedAt, Seconds, Reliable, BusyBefore, Machine,
            RawLimits = RawLimits.Select(r => new { r.Name, r.Unit, r.Before, r.After, r.Drift }),
            Bars = Bars.Select(b => new
            {
                b.Id, b.What, b.Target, b.Verdict, Trust = TrustOf(b),
                Checks = b.Checks.Select(c => new { c.What, c.Value, c.Unit, c.Comparison, c.Threshold, c.Met }),
                b.Measurements, b.Correctness, b.Error, b.NotJudged, b.Notes,
            }),
        }, Json));
        File.WriteAllText(Path.Combine(directory, "bench-report.md"), Markdown());
    }

    public string Markdown()
    {
        var md = new StringBuilder();
        md.AppendLine($"# MelonChain benchmark report ({Mode})");
        md.AppendLine();
        md.AppendLine($"Run {StartedAt:yyyy-MM-dd HH:mm} UTC, {Seconds:F0} s. Bars and method: tests/MelonChain.Benchmarks/BARS.md. Figures are ratios to raw limits measured in this same run.");
        if (BusyBefore is not null) md.AppendLine($"**No verdicts**: {BusyBefore}.");
        else md.AppendLine(Reliable ? "Raw limits moved less than 20% between the start and the end of the run: **reliable**."
            : "**Unreliable run**: a raw limit moved more than 20% between the start and the end (the machine was busy).");
        if (!Reliable && Bars.Count > 0)
        {
            // Only bars with figures (a run of some bars with --only leaves the others empty).
            var measured = Bars.Where(HasFigures).ToList();
            var (firm, soft) = (measured.Where(b => TrustOf(b).Firm).ToList(), measured.Where(b => !TrustOf(b).Firm).ToList());
            md.AppendLine($"Figures to trust: {(firm.Count > 0 ? string.Join(", ", firm.Select(b => b.Id)) : "none")}" +
                (soft.Count > 0 ? $"; soft: {string.Join("; ", soft.Select(b => $"{b.Id} ({TrustOf(b).Why})"))}." : "."));
        }
        if (Mode != "full") md.AppendLine("\n> Smoke mode: tiny sizes and durations, run by the test suite to prove the benchmark works. Its figures mean nothing.");
        md.AppendLine();
        md.AppendLine("| bar | what | target | result | verdict | figure |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var b in Bars)
            md.AppendLine($"| {b.Id} | {b.What} | {b.Target} | {string.Join("; ", b.Checks)} | **{b.Verdict}** | {(HasFigures(b) ? TrustOf(b) : "—")} |");
        md.AppendLine();
        md.AppendLine("## Machine");
        foreach (var (k, v) in Machine) md.AppendLine($"- {k}: {v}");
        md.AppendLine();
        md.AppendLine("## Raw limits (before / after)");
        md.AppendLine("| limit | before | after | drift |");
        md.AppendLine("|---|---|---|---|");
        foreach (var r in RawLimits)
            md.AppendLine($"| {r.Name} | {Check.Fmt(r.Before)} {r.Unit} | {Check.Fmt(r.After)} {r.Unit} | {r.Drift:P0} |");
        foreach (var b in Bars)
        {
            md.AppendLine();
            md.AppendLine($"## {b.Id} — {b.What}: {b.Verdict}");
            md.AppendLine($"Target: {b.Target}.");
            if (b.Error is not null) md.AppendLine($"\nError: `{b.Error}`");
            if (b.NotJudged is not null) md.AppendLine($"\nNo verdict: {b.NotJudged}");
            if (b.Measurements.Count > 0)
            {
                md.AppendLine();
                md.AppendLine("| run | throughput /s | p50 ms | p99 ms | count | errors | note |");
                md.AppendLine("|---|---|---|---|---|---|---|");
                foreach (var m in b.Measurements)
                    md.AppendLine($"| {m.Name} | {Check.Fmt(m.PerSecond)} | {Check.Fmt(m.P50Ms)} | {Check.Fmt(m.P99Ms)} | {m.Count} | {m.Errors} | {m.Note} |");
            }
            if (b.Checks.Count > 0)
            {
                md.AppendLine();
                foreach (var c in b.Checks) md.AppendLine($"- {c}");
            }
            if (b.Correctness.Count > 0)
            {
                md.AppendLine();
                md.AppendLine("Correctness after the load:");
                foreach (var c in b.Correctness) md.AppendLine($"- {c}");
            }
            if (b.Notes is not null)
            {
                md.AppendLine();
                md.AppendLine(b.Notes);
            }
        }
        return md.ToString();
    }
}
