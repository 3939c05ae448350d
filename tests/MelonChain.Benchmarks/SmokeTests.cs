using System.Text.Json;

namespace MelonChain.Benchmarks;

/// <summary>The benchmark in smoke mode (tiny sizes): it runs end to end and reports every bar, so it cannot silently break.</summary>
public sealed class SmokeTests
{
    [Fact]
    public async Task The_benchmark_runs_end_to_end_and_reports_every_bar()
    {
        var dir = Path.Combine(Path.GetTempPath(), "melon-bench-smoke-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var report = await Bench.RunAsync(new BenchOptions(Smoke: true, OutDir: dir));

            Assert.True(File.Exists(Path.Combine(dir, "bench-report.md")));
            var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "bench-report.json"))).RootElement;
            var bars = json.GetProperty("bars").EnumerateArray().ToDictionary(b => b.GetProperty("id").GetString()!);
            Assert.Equal(["P1", "P10", "P11", "P12", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9"], bars.Keys.Order(StringComparer.Ordinal));
            foreach (var (id, bar) in bars)
            {
                Assert.True(bar.GetProperty("error").ValueKind == JsonValueKind.Null, $"{id}: {bar.GetProperty("error")}");
                Assert.True(bar.GetProperty("checks").GetArrayLength() > 0, $"{id} has no checks");
                Assert.True(bar.GetProperty("verdict").GetString() is "met" or "missed", $"{id}: {bar.GetProperty("verdict")} — {string.Join("; ", report.Bars.First(b => b.Id == id).Correctness)}");
            }
            Assert.Equal(4, json.GetProperty("rawLimits").GetArrayLength());
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }
}
