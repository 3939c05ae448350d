namespace MelonChain.Benchmarks;

/// <summary>
/// P6: each service's time from process start to <c>/health/ready</c> (database migrated, broker connected) —
/// at the system's first start (which also creates and migrates its database) and at a restart — and its resident
/// memory once idle.
/// </summary>
public static class Startup
{
    public static async Task MeasureAsync(BenchContext context, Bar bar)
    {
        var first = MelonSystem.Services.ToDictionary(s => s, s => context.System[s].StartupTime!.Value.TotalSeconds);
        var again = new Dictionary<string, double>();
        if (context.Options.RestartServices)
            foreach (var service in MelonSystem.Services)
            {
                await context.System[service].RestartAsync();
                again[service] = context.System[service].StartupTime!.Value.TotalSeconds;
            }
        await Task.Delay(context.Options.Smoke ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(10));
        var idle = MelonSystem.Services.ToDictionary(s => s, s => Machine.Memory(context.System[s].ProcessId!.Value).Rss);
        foreach (var service in MelonSystem.Services)
            bar.Measurements.Add(new Measurement(service, double.NaN, double.NaN, double.NaN, 1, 0,
                $"first start {first[service]:F2} s; restart {(again.TryGetValue(service, out var a) ? $"{a:F2} s" : "not run")}; idle RSS {idle[service]:F0} MB"));
        var slowestFirst = first.MaxBy(x => x.Value);
        bar.Checks.Add(new Check($"slowest first start ({slowestFirst.Key}, creates its database)", slowestFirst.Value, " s", "<", 1.5));
        if (again.Count > 0)
        {
            var slowest = again.MaxBy(x => x.Value);
            bar.Checks.Add(new Check($"slowest restart ({slowest.Key})", slowest.Value, " s", "<", 1.5));
        }
        var largest = idle.MaxBy(x => x.Value);
        bar.Checks.Add(new Check($"largest idle RSS ({largest.Key})", largest.Value, " MB", "<", 120));
        bar.Verify(MelonSystem.Services.All(s => context.System[s].IsRunning), "every service still running after the measurement");
    }
}
