using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using MelonChain.ServiceDefaults.Security;
using Npgsql;

namespace MelonChain.Benchmarks;

/// <summary>
/// P11, the town at once: fourteen cooperatives of one Cooperative service settle their seasons (70,000 receipts
/// each, seeded as P5 seeds a season) at the same moment, against one cooperative's season settled alone in the same
/// process just before. None may wait for another: all done within 2× one alone.
/// </summary>
public static class Town
{
    public const int Cooperatives = 14;
    private const string Settlements = "/api/v1/cooperative/settlements";

    private sealed record Season(string Coop, int Receipts, int Orders);

    private sealed record Settled(Season Season, HttpStatusCode Status, string Body, TimeSpan Sent, TimeSpan Done)
    {
        public double Seconds => (Done - Sent).TotalSeconds;
    }

    public static async Task RunAsync(BenchContext context, Bar bar)
    {
        var receipts = context.Options.TownReceipts;
        await using var database = TestDatabase.Create("bench_town");
        await using var cooperative = new ServiceProcess("Cooperative", new Dictionary<string, string>
        {
            ["ConnectionStrings:Db"] = database.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = context.VirtualHost.ConnectionString,
        });
        await cooperative.StartAsync();

        // One season to warm the settlement's code up (settled alone first, a first call would time the JIT and
        // flatter the ratio), one settled alone, fourteen settled at once; every one the same size.
        var seeding = Stopwatch.StartNew();
        var seasons = new List<Season>();
        foreach (var coop in new[] { "town-warm", "town-alone" }.Concat(Enumerable.Range(1, Cooperatives).Select(n => $"town-{n:D2}")))
        {
            var (_, _, orders) = await Settlement.SeedAsync(database.ConnectionString, coop, receipts);
            seasons.Add(new Season(coop, receipts, orders));
        }
        BenchContext.Log($"  P11 {seasons.Count} seasons of {receipts:N0} receipts seeded in {seeding.Elapsed.TotalSeconds:F1} s");

        var warm = await SettleAloneAsync(cooperative, seasons[0]);
        var alone = await SettleAloneAsync(cooperative, seasons[1]);
        BenchContext.Log($"  P11 one alone settled in {alone.Seconds:F2} s (warm-up {warm.Seconds:F2} s)");
        bar.Measurements.Add(Row("warm-up (not counted)", warm));
        bar.Measurements.Add(Row("one alone", alone));

        // The town: each cooperative's clerk with a connection already open, held at a gate, then all fourteen sent.
        var town = seasons.Skip(2).ToList();
        var clients = town.Select(s => Client(cooperative, s.Coop)).ToList();
        await Task.WhenAll(clients.Select(async c => (await c.GetAsync(Settlements)).EnsureSuccessStatusCode()));
        await using var perf = context.Options.PerfDir is { } perfDir
            ? new PerfRecording(cooperative.ProcessId!.Value, Path.Combine(perfDir, "P11-Cooperative")) : null;
        perf?.Start();
        using var stop = new CancellationTokenSource();
        var waits = WatchLockWaitsAsync(database, stop.Token);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new Stopwatch();
        var running = town.Select((season, i) => Task.Run(async () =>
        {
            await gate.Task;
            return await SettleAsync(clients[i], season, clock);
        })).ToList();
        clock.Start();
        gate.SetResult();
        var settled = await Task.WhenAll(running);
        var allDone = clock.Elapsed;
        await stop.CancelAsync();
        var lockWaits = await waits;
        if (perf is not null) await perf.ReportAsync();
        foreach (var client in clients) client.Dispose();
        var (rss, peak) = Machine.Memory(cooperative.ProcessId!.Value);

        foreach (var s in settled)
            bar.Measurements.Add(Row($"at once: {s.Season.Coop}", s, $"sent {s.Sent.TotalMilliseconds:F0} ms after the gate"));
        var slowest = allDone.TotalSeconds;
        var waited = lockWaits.Count == 0 ? "no backend seen waiting on a lock"
            : "backends seen waiting on a lock: " + string.Join(", ", lockWaits.Select(w => $"{w.Key} ×{w.Value}"));
        var times = settled.Select(s => s.Seconds * 1000).Order().ToArray();
        bar.Measurements.Add(new Measurement($"all {Cooperatives} at once", Cooperatives * (double)receipts / slowest, Measurement.Percentile(times, 0.5),
            Measurement.Percentile(times, 0.99), Cooperatives * (long)receipts, settled.Count(s => s.Status != HttpStatusCode.Created),
            $"the last done {slowest:F2} s after the gate = {slowest / alone.Seconds:F2}× one alone ({alone.Seconds:F2} s); each sent within " +
            $"{settled.Max(s => s.Sent.TotalMilliseconds):F0} ms of the gate; {waited} (sampled every 20 ms); process peak RSS {peak:F0} MB (now {rss:F0} MB)"));
        BenchContext.Log($"  P11 {Cooperatives} at once: the last done in {slowest:F2} s = {slowest / alone.Seconds:F2}× one alone");

        foreach (var s in new[] { warm, alone }.Concat(settled))
        {
            if (s.Status != HttpStatusCode.Created)
                bar.Verify(false, $"{s.Season.Coop}: {(int)s.Status} {s.Body[..Math.Min(300, s.Body.Length)]}");
            else
                await Settlement.VerifyAsync(bar, database.ConnectionString, s.Season.Coop, s.Season.Receipts, s.Season.Orders, JsonDocument.Parse(s.Body).RootElement,
                    $"{s.Season.Coop}, {s.Season.Receipts:N0} receipts");
        }
        await VerifySettledOnceAsync(bar, database.ConnectionString, seasons);
        bar.Checks.Add(new Check($"the last of {Cooperatives} at once / one alone", slowest / alone.Seconds, "×", "<=", 2));
        await cooperative.StopAsync();
    }

    private static Measurement Row(string name, Settled s, string? more = null) =>
        new(name, s.Season.Receipts / s.Seconds, s.Seconds * 1000, s.Seconds * 1000, s.Season.Receipts, s.Status == HttpStatusCode.Created ? 0 : 1,
            $"{s.Season.Coop}: {s.Season.Receipts:N0} receipts, {s.Season.Orders:N0} orders in {s.Seconds:F2} s" + (more is null ? "" : "; " + more));

    private static HttpClient Client(ServiceProcess cooperative, string coop)
    {
        var http = new HttpClient { BaseAddress = cooperative.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = BenchContext.Bearer(BenchContext.Token(Roles.Clerk, "clerk-1", coop));
        return http;
    }

    private static async Task<Settled> SettleAloneAsync(ServiceProcess cooperative, Season season)
    {
        using var http = Client(cooperative, season.Coop);
        return await SettleAsync(http, season, Stopwatch.StartNew());
    }

    /// <summary>The clerk settles the season's period, as P5 does.</summary>
    private static async Task<Settled> SettleAsync(HttpClient http, Season season, Stopwatch clock)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Settlements)
        {
            Content = new StringContent("""{"from":"2026-06-01","to":"2026-06-10"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", $"p11-{season.Coop}-{Guid.NewGuid()}");
        var sent = clock.Elapsed;
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new Settled(season, response.StatusCode, body, sent, clock.Elapsed);
    }

    /// <summary>
    /// Samples the town's database every 20 ms while the fourteen run: which lock any of its backends waits on
    /// (<c>pg_stat_activity</c>), so the report shows whether one cooperative's settlement waited for another's.
    /// </summary>
    private static async Task<Dictionary<string, int>> WatchLockWaitsAsync(TestDatabase database, CancellationToken stop)
    {
        var seen = new Dictionary<string, int>();
        await using var db = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false, Database = "postgres" }.ConnectionString);
        await db.OpenAsync(CancellationToken.None);
        while (!stop.IsCancellationRequested)
        {
            foreach (var wait in await db.QueryAsync<string>(
                "select wait_event from pg_stat_activity where datname = @Db and wait_event_type = 'Lock'", new { Db = database.Name }))
                seen[wait] = seen.GetValueOrDefault(wait) + 1;
            try { await Task.Delay(20, stop); } catch (OperationCanceledException) { }
        }
        return seen;
    }

    /// <summary>Every season settled once: one settlement per cooperative, every order in its own cooperative's.</summary>
    private static async Task VerifySettledOnceAsync(Bar bar, string connectionString, List<Season> seasons)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        var coops = seasons.Select(s => s.Coop).ToArray();
        var perCoop = (await db.QueryAsync<(string Coop, long Settlements)>(
            "select cooperative_id, count(*) from settlements where cooperative_id = any(@Coops) group by 1", new { Coops = coops })).ToDictionary(r => r.Coop, r => r.Settlements);
        var orders = await db.QuerySingleAsync<(long Unsettled, long Crossed)>(
            """
            select count(*) filter (where o.settlement_id is null), count(*) filter (where s.cooperative_id <> o.cooperative_id)
            from orders o left join settlements s on s.id = o.settlement_id where o.cooperative_id = any(@Coops)
            """, new { Coops = coops });
        var once = coops.Count(c => perCoop.GetValueOrDefault(c) == 1);
        bar.Verify(once == coops.Length && orders.Unsettled == 0 && orders.Crossed == 0,
            $"{once} of {coops.Length} cooperatives settled exactly once ({perCoop.Values.Sum()} settlements); {orders.Unsettled} orders left unsettled, " +
            $"{orders.Crossed} in another cooperative's settlement");
    }
}
