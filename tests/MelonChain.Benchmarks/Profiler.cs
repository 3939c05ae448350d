using System.Diagnostics;

namespace MelonChain.Benchmarks;

/// <summary>
/// With <c>--trace DIR</c>: a CPU-sampling trace (dotnet-trace, from <c>$DOTNET_TRACE</c> or PATH) of the service
/// while a scenario loads it, then its top methods (<c>dotnet-trace report … topN</c>) beside it — the profile a
/// change is made from.
/// </summary>
public static class Profiler
{
    /// <summary>Runs the load and notes where the CPU went: the service's, PostgreSQL's (all its processes) and the whole machine's.</summary>
    public static async Task<Measurement> TraceAsync(BenchContext context, string service, string label, Func<Action<bool>, Task<Measurement>> load)
    {
        var cpu = new CpuWindow(context.System[service].ProcessId!.Value);
        var result = await Traced(context, service, label, () => load(cpu.Mark));
        return result with { Note = cpu.PerRequest(service, result.Count + result.Errors) + $"; warmed up {result.WarmupSeconds:F0} s" };
    }

    /// <summary>CPU of a process, PostgreSQL and the machine between the load's start and end of measuring.</summary>
    public sealed class CpuWindow(int pid)
    {
        private (double Service, double Postgres, double Busy, double Total) _start, _end;

        public void Mark(bool starting)
        {
            var (busy, total) = MachineBusy();
            var now = (CpuSeconds(pid), PostgresCpuSeconds(), busy, total);
            if (starting) _start = now; else _end = now;
        }

        public string PerRequest(string service, long requests) =>
            $"CPU per request: {service} {(_end.Service - _start.Service) * 1000 / requests:F3} ms, " +
            $"PostgreSQL {Math.Max(0, _end.Postgres - _start.Postgres) * 1000 / requests:F3} ms; " +
            $"machine busy {(_end.Busy - _start.Busy) / (_end.Total - _start.Total):P0}";
    }

    /// <summary>utime + stime of a process, in seconds.</summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
        }
        catch (IOException) { return 0; }
    }

    private static double PostgresCpuSeconds() =>
        Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(d => d!.All(char.IsAsciiDigit)).Select(d => int.Parse(d!))
            .Where(pid => { try { return File.ReadAllText($"/proc/{pid}/comm").Trim() == "postgres"; } catch (IOException) { return false; } })
            .Sum(CpuSeconds);

    private static (double Busy, double Total) MachineBusy()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(double.Parse).ToArray();
        var idle = cpu[3] + cpu[4];
        return (cpu.Sum() - idle, cpu.Sum());
    }

    private static async Task<Measurement> Traced(BenchContext context, string service, string label, Func<Task<Measurement>> load)
    {
        if (context.Options.TraceDir is not { } dir) return await load();
        Directory.CreateDirectory(dir);
        var tool = Environment.GetEnvironmentVariable("DOTNET_TRACE") ?? "dotnet-trace";
        var file = Path.Combine(dir, $"{label}-{service}.nettrace");
        var seconds = (int)Math.Ceiling((LoadClient.MaxWarmup + context.Options.Duration).TotalSeconds);
        var trace = Process.Start(new ProcessStartInfo(tool,
            ["collect", "-p", context.System[service].ProcessId!.ToString()!, "--profile", "dotnet-sampled-thread-time", "-o", file,
             "--duration", TimeSpan.FromSeconds(seconds).ToString(@"dd\:hh\:mm\:ss")])
        { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true })!;
        await Task.Delay(1000);
        var result = await load();
        await trace.StandardInput.WriteLineAsync();   // Enter ends the collection
        await trace.WaitForExitAsync();
        try
        {
            var report = await Cli.Run(tool, ["report", file, "topN", "-n", "40", "--inclusive"], timeout: TimeSpan.FromMinutes(3));
            await File.WriteAllTextAsync(Path.ChangeExtension(file, ".top.txt"), report);
            var exclusive = await Cli.Run(tool, ["report", file, "topN", "-n", "40"], timeout: TimeSpan.FromMinutes(3));
            await File.AppendAllTextAsync(Path.ChangeExtension(file, ".top.txt"), "\n\nEXCLUSIVE\n" + exclusive);
        }
        catch (Exception ex)
        {
            BenchContext.Log($"  trace report failed: {ex.Message}");
        }
        return result;
    }
}
