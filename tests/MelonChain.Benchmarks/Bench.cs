using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using MelonChain.ServiceDefaults.Security;
using Npgsql;

namespace MelonChain.Benchmarks;

/// <summary>Sizes of one run: the full benchmark, or the smoke run of the test suite.</summary>
public sealed record BenchOptions(bool Smoke, string OutDir)
{
    /// <summary>Only these bars (e.g. P3,P4), for profiling one; every bar when empty.</summary>
    public string[] Only { get; init; } = [];
    /// <summary>Where to write a CPU-sampling trace (dotnet-trace) of the service under load, per scenario.</summary>
    public string? TraceDir { get; init; }
    public string? PerfDir { get; init; }
    public string? JitDir { get; init; }
    public bool Runs(string bar) => Only.Length == 0 || Only.Contains(bar, StringComparer.OrdinalIgnoreCase);

    public string Mode => Smoke ? "smoke" : "full";
    public int Connections => Smoke ? 8 : 64;
    /// <summary>P3's connections: a buyer's GET is measured at 16 (BARS.md).</summary>
    public int ReadConnections => Smoke ? 4 : 16;
    public TimeSpan Warmup => Smoke ? TimeSpan.FromSeconds(0.3) : TimeSpan.FromSeconds(3);
    public TimeSpan Duration => Smoke ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(10);
    public int RelayBacklog => Smoke ? 400 : 20_000;
    public double EffectRate => 1000;
    public int EffectEvents => Smoke ? 300 : 10_000;
    public int RawMessages => Smoke ? 400 : 20_000;
    public int[] SettlementSizes => Smoke ? [500, 1_000, 2_000] : [10_000, 100_000, 1_000_000];
    /// <summary>P11: each of the town's cooperatives' seasons.</summary>
    public int TownReceipts => Smoke ? 50 : 70_000;
    public bool RestartServices => !Smoke && Only.Length == 0;
}

/// <summary>What the scenarios share: the running system, its databases, tokens, and where to write.</summary>
public sealed class BenchContext(BenchOptions options, MelonSystem system, TestVirtualHost vhost, string workDir)
{
    public BenchOptions Options { get; } = options;
    public MelonSystem System { get; } = system;
    public TestVirtualHost VirtualHost { get; } = vhost;
    public string WorkDir { get; } = workDir;
    public const string Coop = MelonSystem.Cooperative;

    private static readonly TokenIssuer Issuer = new(
        new AuthSettings("melonchain-dev", "melonchain", SigningKey(), null), TimeProvider.System);

    public static string Token(string role, string subject, string coop = Coop, Guid? buyerId = null, string? courierId = null) =>
        Issuer.Issue(new TokenRequest(role, subject, coop, buyerId?.ToString(), courierId));

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    public string Db(string service) => System.Databases[service].ConnectionString;

    public async Task<NpgsqlConnection> OpenAsync(string service)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Db(service)) { Pooling = false, CommandTimeout = 600 }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>The development signing key every service's appsettings.Development.json carries.</summary>
    public static string SigningKey()
    {
        var file = Path.Combine(Repository.Root, "services", "Cooperative", "appsettings.Development.json");
        return JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("Auth").GetProperty("SigningKey").GetString()!;
    }

    public static void Log(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
}

/// <summary>
/// One benchmark run: machine, system start (P6), raw limits, every scenario, raw limits again, the reports.
/// </summary>
public static class Bench
{
    public static async Task<Report> RunAsync(BenchOptions options)
    {
        var clock = Stopwatch.StartNew();
        var report = new Report { Mode = options.Mode };
        _options = options;
        var workDir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "melon-bench-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        BenchContext.Log($"benchmark ({options.Mode}), reports to {options.OutDir}");
        // The build that precedes a run leaves the load average high for a minute or two: wait for it to fall.
        if (!options.Smoke) await Machine.WaitForQuietAsync(TimeSpan.FromMinutes(3));
        await Machine.RecordAsync(report, options);
        // A run on a busy machine measures the other load: its figures are kept, its verdicts refused.
        var load = Machine.LoadAverage();
        if (!options.Smoke && load > Machine.QuietLoad)
        {
            report.BusyBefore = $"the machine was busy before the run (load average {load:F2} > {Machine.QuietLoad}); run again when it is quiet";
            BenchContext.Log("warning: " + report.BusyBefore);
        }

        var p1 = new Bar("P1", "POST receipt with Idempotency-Key and outbox row", "≥ 60% of pgbench running the same statements in the same transaction shape; p99 < 50 ms");
        var p2 = new Bar("P2", "outbox relay → RabbitMQ → consumer effect", "relay ≥ 80% of raw confirmed publish; commit → effect p50 < 20 ms, p99 < 100 ms at 1,000 events/s");
        var p3 = new Bar("P3", "buyer GET shipment with timeline, 16 connections", "≥ 50% of pgbench running the same SELECTs with the same round trips; p99 < 20 ms");
        var p4 = new Bar("P4", "quote for 60 parcels", "≥ 50% of a bare Kestrel app that validates the same JWT and returns the same JSON");
        var p5 = new Bar("P5", "settlement of a season", "1,000,000 receipts, 5,000 growers, 200,000 boxes in < 3 s and < 512 MB; time grows linearly (10k, 100k, 1M)");
        var p6 = new Bar("P6", "each service: start-up and idle memory", "ready in < 1.5 s, < 120 MB resident when idle");
        var p7 = new Bar("P7", "the Gateway hop", "any request through the Gateway ≥ 70% of the same request sent to the service directly");
        var p8 = new Bar("P8", "recall", "trace-forward of one grower over a 1,000,000-receipt season: p99 < 50 ms");
        var p9 = new Bar("P9", "workstation: first visit and from cache", "first visit ≤ 3 MB transferred (compressed) and usable ≤ 3 s on a throttled 4G profile (10 Mbit/s, 40 ms); from cache ≤ 1 s");
        var p10 = new Bar("P10", "workstation: offline sync", "300 receipts captured offline are all recorded once within 30 s of the network's return");
        var p11 = new Bar("P11", "the town at once", $"{Town.Cooperatives} cooperatives settling their seasons at the same moment ({Town.Cooperatives} × 70,000 receipts): none waits for another, all done ≤ 2× one alone");
        var p12 = new Bar("P12", "exports that stream", $"EPCIS of a whole season and a year's recall (JSON and CSV) at 1,000,000 receipts: each adds < {Exports.ExportGrowthLimitMb} MB to the Cooperative's resident memory, whose peak stays < the pod's {Exports.PodLimitMb} Mi");
        report.Bars.AddRange([p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12]);

        await using var vhost = await TestVirtualHost.CreateAsync("bench");
        MelonSystem? system = null;
        try
        {
            BenchContext.Log("starting the system (six services as processes)");
            var started = Stopwatch.StartNew();
            system = await MelonSystem.StartAsync(TestServers.Postgres, vhost.ConnectionString, Profiler.JitLogSettings(options));
            BenchContext.Log($"system ready in {started.Elapsed.TotalSeconds:F1} s");
            var context = new BenchContext(options, system, vhost, workDir);
            await Guard(p6, () => Startup.MeasureAsync(context, p6));

            await using var scenarios = new Scenarios(context);
            await Guard(p1, scenarios.PrepareAsync);

            BenchContext.Log("raw limits (before)");
            var before = await scenarios.RawLimitsAsync();

            if (options.Runs("P1")) await Guard(p1, () => scenarios.ReceiptsAsync(p1, before));
            await Guard(p2, () => scenarios.RelayAsync(p2, before));
            await Guard(p3, () => scenarios.ShipmentAsync(p3, before));
            await Guard(p4, () => scenarios.QuoteAsync(p4, before));
            await Guard(p7, () => scenarios.GatewayHopAsync(p7));
            await Guard(p9, () => Workstation.FirstVisitAsync(context, p9));
            await Guard(p10, () => Workstation.OfflineSyncAsync(context, p10));
            await Guard(p5, () => Settlement.RunAsync(context, p5, p8, p12));
            await Guard(p11, () => Town.RunAsync(context, p11));

            BenchContext.Log("raw limits (after)");
            var after = await scenarios.RawLimitsAsync();
            foreach (var (name, unit, value) in before)
                report.RawLimits.Add(new RawLimit(name, unit, value, after.FirstOrDefault(a => a.Name == name).Value));
            scenarios.Rate(p1, p2, p3, p4, report.RawLimits);
        }
        catch (Exception ex)
        {
            BenchContext.Log($"run aborted: {ex}");
            foreach (var bar in report.Bars.Where(b => b.Error is null && b.Checks.Count == 0))
                bar.Error = "run aborted: " + ex.GetType().Name + ": " + ex.Message.Split('\n')[0];
        }
        finally
        {
            if (system is not null) await system.DisposeAsync();
            try { Directory.Delete(workDir, true); } catch (IOException) { }
        }
        if (report.BusyBefore is { } busy)
            foreach (var bar in report.Bars.Where(b => b.NotJudged is null)) bar.NotJudged = busy;
        Findings.Annotate(report);
        report.Seconds = clock.Elapsed.TotalSeconds;
        report.Write(options.OutDir);
        BenchContext.Log($"done in {report.Seconds:F0} s: {string.Join(", ", report.Bars.Select(b => $"{b.Id} {b.Verdict}"))}");
        return report;
    }

    private static BenchOptions? _options;

    private static async Task Guard(Bar bar, Func<Task> run)
    {
        // P1 and P6 prepare and start what the rest use; P8 recalls and P12 exports over the season P5 seeds.
        if (_options?.Runs(bar.Id) == false && bar.Id != "P1" && bar.Id != "P6" && !(bar.Id == "P5" && (_options.Runs("P8") || _options.Runs("P12")))) return;
        try
        {
            BenchContext.Log($"{bar.Id}: {bar.What}");
            await run();
        }
        catch (Exception ex)
        {
            bar.Error = ex.GetType().Name + ": " + ex.Message;
            BenchContext.Log($"{bar.Id} failed: {ex}");
        }
    }
}

/// <summary>What the run ran on: cores, load, fsync speed (pg_test_fsync), versions.</summary>
public static class Machine
{
    public static async Task RecordAsync(Report report, BenchOptions options)
    {
        report.Machine["cores"] = Environment.ProcessorCount.ToString();
        report.Machine["load average (1, 5, 15 min)"] = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        report.Machine["memory"] = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").First().Split(':')[1].Trim() : "n/a";
        report.Machine["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription;
        report.Machine[".NET"] = Environment.Version.ToString();
        if (options.Smoke) report.Machine["pg_test_fsync"] = "not run in smoke mode";
        else try
        {
            var output = await Cli.Run(Path.Combine(TestServers.PostgresBin, "pg_test_fsync"),
                ["-s", "1", "-f", Path.Combine(Path.GetTempPath(), "melon-bench-fsync.tmp")], timeout: TimeSpan.FromMinutes(3));
            var lines = output.Split('\n').Select(l => l.Trim())
                .Where(l => l.StartsWith("fdatasync") || l.StartsWith("open_datasync") || l.StartsWith("fsync ")).Take(3);
            report.Machine["pg_test_fsync (8 kB write, one at a time)"] = string.Join("; ", lines.Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"\s+", " ")));
        }
        catch (Exception ex)
        {
            report.Machine["pg_test_fsync"] = "not run: " + ex.Message;
        }
        await using var connection = new NpgsqlConnection(TestServers.Postgres + ";Database=postgres");
        await connection.OpenAsync();
        foreach (var setting in new[] { "server_version", "synchronous_commit", "fsync", "shared_buffers", "max_connections" })
        {
            await using var show = new NpgsqlCommand($"show {setting}", connection);
            report.Machine["postgres " + setting] = (string)(await show.ExecuteScalarAsync())!;
        }
    }

    /// <summary>A run starting above this one-minute load average gives no verdicts (BARS.md: a quiet machine).</summary>
    public const double QuietLoad = 2.0;

    public static async Task WaitForQuietAsync(TimeSpan longest)
    {
        var clock = Stopwatch.StartNew();
        if (LoadAverage() > QuietLoad) BenchContext.Log($"waiting up to {longest.TotalMinutes:F0} min for the load average ({LoadAverage():F2}) to fall below {QuietLoad}");
        while (LoadAverage() > QuietLoad && clock.Elapsed < longest) await Task.Delay(TimeSpan.FromSeconds(5));
    }

    public static double LoadAverage() =>
        File.Exists("/proc/loadavg") ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture) : 0;

    /// <summary>Resident and peak resident memory of a process (VmRSS, VmHWM) in MB.</summary>
    public static (double Rss, double Peak) Memory(int pid)
    {
        double Read(string key) => File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith(key))
            .Select(l => double.Parse(l.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024).FirstOrDefault();
        return (Read("VmRSS"), Read("VmHWM"));
    }
}
