using System.Diagnostics;

namespace MelonChain.Benchmarks;

/// <summary>
/// With <c>--perf DIR</c>: <c>perf record -g</c> of the service over the measured window only (after warm-up), the
/// services started with <c>DOTNET_PerfMapEnabled=1</c> so JIT-compiled frames have names, then <c>perf report</c>'s
/// hottest frames by own CPU and by library beside it — where the CPU goes, as opposed to where threads wait.
/// With <c>--trace DIR</c>: a CPU-sampling trace (dotnet-trace, from <c>$DOTNET_TRACE</c> or PATH) of the service
/// while a scenario loads it, then its top methods (<c>dotnet-trace report … topN</c>) beside it — the profile a
/// change is made from.
/// </summary>
public static class Profiler
{
    /// <summary>Runs the load and notes where the CPU went: the service's, PostgreSQL's (all its processes) and the whole machine's.</summary>
    public static async Task<Measurement> TraceAsync(BenchContext context, string service, string label, Func<Probe, Task<Measurement>> load)
    {
        var pid = context.System[service].ProcessId!.Value;
        var cpu = new CpuWindow(pid);
        var jit = context.Options.JitDir is { } jitDir ? new JitWindow(JitLog(jitDir, service), Path.Combine(jitDir, $"{label}-{service}.jit.txt")) : null;
        await using var perf = context.Options.PerfDir is { } dir ? new PerfRecording(pid, Path.Combine(dir, $"{label}-{service}")) : null;
        var tiering = new TieringWatch(pid);
        var result = await Traced(context, service, label, () => load(new Probe(starting =>
        {
            cpu.Mark(starting);
            jit?.Mark(starting);
            tiering.Mark(starting);
            if (starting) perf?.Start(); else perf?.Stop();
        }, tiering.Settled)));
        if (perf is not null) await perf.ReportAsync();
        return result with
        {
            Note = cpu.PerRequest(service, result.Count + result.Errors) + $"; JIT tiering thread {tiering.WindowMs:F0} ms while measuring; warmed up {result.WarmupSeconds:F0} s",
        };
    }

    /// <summary>What a load is given: <see cref="Mark"/> when measuring starts and ends; <see cref="Settled"/> once its JIT is done.</summary>
    public sealed record Probe(Action<bool> Mark, Func<bool> Settled);

    /// <summary>
    /// The CPU of the runtime's ".NET Tiered Compilation Worker" thread, which recompiles hot methods in the
    /// background. Under load on two cores it runs behind for tens of seconds: until it has finished, the request
    /// path still runs unoptimised and instrumented code and the worker competes for the cores, so a measurement then
    /// is of the JIT, not of the service. Settled: it used under 2% of a core in the last slice.
    /// </summary>
    public sealed class TieringWatch(int pid)
    {
        // Per thread id: the worker exits when idle and a new one starts when work comes, so deltas are kept per thread.
        private Dictionary<string, double>? _last;
        private Dictionary<string, double> _start = [];

        public double WindowMs { get; private set; }

        public bool Settled()
        {
            var now = Threads();
            var used = _last is null ? double.MaxValue : Used(_last, now);
            _last = now;
            return used < 0.02;
        }

        public void Mark(bool starting)
        {
            if (starting) _start = Threads(); else WindowMs = Used(_start, Threads()) * 1000;
        }

        private static double Used(Dictionary<string, double> before, Dictionary<string, double> after) =>
            after.Sum(t => t.Value - before.GetValueOrDefault(t.Key));

        /// <summary>utime + stime of each tiering thread, in seconds, by thread id.</summary>
        private Dictionary<string, double> Threads()
        {
            var threads = new Dictionary<string, double>();
            try
            {
                foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
                {
                    try
                    {
                        if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered Com", StringComparison.Ordinal)) continue;
                        threads[Path.GetFileName(task)] = StatCpuSeconds(Path.Combine(task, "stat"));
                    }
                    catch (IOException) { }   // the thread ended meanwhile
                }
            }
            catch (IOException) { }
            return threads;
        }
    }

    /// <summary>With <c>--jit DIR</c>: each service logs every method the JIT compiles (<c>DOTNET_JitStdOutFile</c>, <c>DOTNET_JitDisasmSummary</c>).</summary>
    public static IDictionary<string, IDictionary<string, string>>? JitLogSettings(BenchOptions options)
    {
        if (options.JitDir is not { } dir) return null;
        Directory.CreateDirectory(dir);
        return MelonSystem.Services.ToDictionary(s => s, s => (IDictionary<string, string>)new Dictionary<string, string>
        {
            ["DOTNET_JitStdOutFile"] = JitLog(dir, s),
            ["DOTNET_JitDisasmSummary"] = "1",
        });
    }

    private static string JitLog(string dir, string service) => Path.Combine(dir, $"{service}.jit.log");

    /// <summary>The methods the JIT compiled between the start and the end of measuring, counted by tier, with the list itself.</summary>
    public sealed class JitWindow(string log, string output)
    {
        private int _startLine;

        public void Mark(bool starting)
        {
            var lines = File.Exists(log) ? File.ReadAllLines(log) : [];
            if (starting) { _startLine = lines.Length; return; }
            var window = lines.Skip(_startLine).ToList();
            var tiers = window.Select(l => System.Text.RegularExpressions.Regex.Match(l, @"\[([A-Za-z0-9 -]+?)(?: with [A-Za-z]+ PGO)?,"))
                .GroupBy(m => m.Success ? m.Groups[1].Value : "other").OrderByDescending(g => g.Count()).Select(g => $"{g.Key}: {g.Count()}");
            File.WriteAllText(output, $"# {window.Count} methods compiled while measuring ({string.Join(", ", tiers)})\n" + string.Join('\n', window) + "\n");
        }
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
        try { return StatCpuSeconds($"/proc/{pid}/stat"); }
        catch (IOException) { return 0; }
    }

    /// <summary>utime + stime from a <c>/proc/…/stat</c> file (a process's or a thread's), in seconds.</summary>
    public static double StatCpuSeconds(string statFile)
    {
        var stat = File.ReadAllText(statFile);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
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

/// <summary>One <c>perf record</c> of a process, started and stopped around the measured window.</summary>
public sealed class PerfRecording(int pid, string basePath) : IAsyncDisposable
{
    private Process? _perf;

    public string DataFile => basePath + ".perf.data";

    public void Start()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(basePath)!);
        try
        {
            _perf = Process.Start(new ProcessStartInfo("perf", ["record", "-F", "499", "-g", "-p", pid.ToString(), "-o", DataFile])
                { RedirectStandardOutput = true, RedirectStandardError = true });
        }
        catch (System.ComponentModel.Win32Exception)
        {
            BenchContext.Log("  perf is not installed (apt-get install linux-perf): no profile");
        }
    }

    public void Stop()
    {
        if (_perf is not { HasExited: false } perf) return;
        // SIGINT: perf writes its file out and exits (a kill would leave it unreadable).
        Process.Start("kill", ["-INT", perf.Id.ToString()])!.WaitForExit();
        perf.WaitForExit(30_000);
    }

    /// <summary>The hottest frames by their own CPU, and the CPU by library (JIT-compiled code, the runtime, the kernel).</summary>
    public async Task ReportAsync()
    {
        Stop();
        if (!File.Exists(DataFile)) return;
        try
        {
            var symbols = await Cli.Run("perf", ["report", "-i", DataFile, "--stdio", "--no-children", "--sort", "symbol", "-g", "none", "--percent-limit", "0.5"],
                timeout: TimeSpan.FromMinutes(3));
            var libraries = await Cli.Run("perf", ["report", "-i", DataFile, "--stdio", "--no-children", "--sort", "dso", "-g", "none", "--percent-limit", "1"],
                timeout: TimeSpan.FromMinutes(3));
            var callers = await Cli.Run("perf", ["report", "-i", DataFile, "--stdio", "--children", "--sort", "symbol", "-g", "none", "--percent-limit", "3"],
                timeout: TimeSpan.FromMinutes(3));
            // Who makes the JIT compile during the measured window (it should have nothing left to do by then).
            var jit = await Cli.Run("perf", ["report", "-i", DataFile, "--stdio", "--no-children", "--dsos", "libclrjit.so", "--sort", "dso",
                "-g", "caller,2,callee,function,percent", "--max-stack", "40", "--percent-limit", "1"], timeout: TimeSpan.FromMinutes(3));
            // perf pads each line to the terminal's width and lists unnamed native frames as bare addresses: neither says anything.
            static string Body(string report) => string.Join('\n', report.Split('\n')
                .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"(\s+-)*\s*$", ""))
                .Where(l => l.Length > 0 && !l.StartsWith('#') && !System.Text.RegularExpressions.Regex.IsMatch(l, @"\[\.\] 0x[0-9a-f]+$")));
            await File.WriteAllTextAsync(basePath + ".perf.txt",
                $"# own CPU by frame\n{Body(symbols)}\n\n# CPU by library\n{Body(libraries)}\n\n# CPU including callees (frames ≥ 3%)\n{Body(callers)}\n\n# what calls the JIT\n{Body(jit)}\n");
        }
        catch (Exception ex)
        {
            BenchContext.Log($"  perf report failed: {ex.Message}");
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        _perf?.Dispose();
        return ValueTask.CompletedTask;
    }
}
