using System.Diagnostics;
using System.Net;

namespace MelonChain.Benchmarks;

/// <summary>Throughput and latency of one measured run (a load test, a pgbench run, a publish loop).</summary>
public sealed record Measurement(string Name, double PerSecond, double P50Ms, double P99Ms, long Count, long Errors, string? Note = null)
{
    /// <summary>How long the load ran before measuring: until the throughput settled (the JIT has tiered the code up).</summary>
    public double WarmupSeconds { get; init; }

    public static Measurement From(string name, IReadOnlyList<double> latenciesMs, double seconds, long errors, string? note = null)
    {
        var sorted = latenciesMs.Order().ToArray();
        return new Measurement(name, sorted.Length / Math.Max(seconds, 1e-9), Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted.Length, errors, note);
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>
/// A small HTTP load client on loopback: <c>connections</c> workers, each with its own keep-alive connection,
/// sending one request after another (closed loop) for a fixed time after a warm-up; or requests started at a
/// fixed rate (open loop). Latency is measured per request from send to the end of the body.
/// </summary>
public static class LoadClient
{
    public sealed record Response(int Worker, long Sequence, HttpStatusCode Status, string Body, HttpResponseMessage Message);

    public static HttpClient NewClient(Uri baseAddress, int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    })
    { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// Closed loop: every worker sends its next request as soon as the previous answered. The measurement starts
    /// once the load has settled: after <paramref name="warmup"/>, when two consecutive one-second slices differ by
    /// less than 10% in completed requests (at most <see cref="MaxWarmup"/>; four warm-ups in the smoke run). A .NET process runs its first
    /// thousands of requests in unoptimised and instrumented code while the tiered JIT recompiles it in the
    /// background; measured then, a one-parcel quote cost 0.41 ms of CPU instead of the settled 0.075 ms.
    /// <paramref name="window"/> is told when measuring starts (true) and ends (false), for CPU counted over it;
    /// <paramref name="settled"/>, asked once a slice, must also agree (the service's JIT has finished tiering up).
    /// </summary>
    public static async Task<Measurement> RunAsync(string name, Uri baseAddress, int connections, TimeSpan warmup, TimeSpan duration,
        Func<int, long, HttpRequestMessage> request, Action<Response>? onResponse = null, Action<bool>? window = null, Func<bool>? settled = null)
    {
        using var http = NewClient(baseAddress, connections);
        var latencies = new List<double>[connections];
        long errors = 0, completed = 0;
        var clock = Stopwatch.StartNew();
        var measureFrom = TimeSpan.MaxValue.Ticks;
        var end = TimeSpan.MaxValue.Ticks;
        async Task Worker(int worker)
        {
            var mine = latencies[worker] = new List<double>(4096);
            for (long seq = 0; clock.Elapsed.Ticks < Volatile.Read(ref end); seq++)
            {
                using var message = request(worker, seq);
                var started = clock.Elapsed;
                HttpStatusCode status;
                try
                {
                    using var response = await http.SendAsync(message);
                    var body = await response.Content.ReadAsStringAsync();
                    status = response.StatusCode;
                    onResponse?.Invoke(new Response(worker, seq, status, body, response));
                }
                catch (Exception) when (clock.Elapsed.Ticks < Volatile.Read(ref end) + TimeSpan.FromSeconds(30).Ticks)
                {
                    status = 0;
                }
                var finished = clock.Elapsed;
                Interlocked.Increment(ref completed);
                if (started.Ticks < Volatile.Read(ref measureFrom) || finished.Ticks > Volatile.Read(ref end)) continue;
                if ((int)status is >= 200 and < 300) mine.Add((finished - started).TotalMilliseconds);
                else Interlocked.Increment(ref errors);
            }
        }
        var workers = Enumerable.Range(0, connections).Select(w => Task.Run(() => Worker(w))).ToArray();
        await Task.Delay(warmup);
        var settleSlice = warmup < TimeSpan.FromSeconds(1) ? warmup : TimeSpan.FromSeconds(1);
        var previous = -1L;
        var longest = warmup >= TimeSpan.FromSeconds(1) ? MaxWarmup : warmup * 4;   // the smoke run only checks the path
        while (clock.Elapsed < longest)
        {
            var before = Interlocked.Read(ref completed);
            await Task.Delay(settleSlice);
            var slice = Interlocked.Read(ref completed) - before;
            var quiet = settled?.Invoke() ?? true;   // asked every slice: it compares with the previous one
            if (previous > 0 && Math.Abs(slice - previous) < 0.10 * previous && quiet) break;
            previous = slice;
        }
        window?.Invoke(true);
        var from = clock.Elapsed;
        Volatile.Write(ref measureFrom, from.Ticks);
        Volatile.Write(ref end, (from + duration).Ticks);
        await Task.Delay(duration);
        window?.Invoke(false);
        await Task.WhenAll(workers);
        return Measurement.From(name, latencies.SelectMany(l => l).ToList(), duration.TotalSeconds, errors) with { WarmupSeconds = from.TotalSeconds };
    }

    /// <summary>The longest warm-up before measuring anyway.</summary>
    public static readonly TimeSpan MaxWarmup = TimeSpan.FromSeconds(90);

    /// <summary>Open loop: request i starts at i / rate seconds, whatever the earlier ones are doing (at most <c>connections</c> in flight).</summary>
    public static async Task<Measurement> RunAtRateAsync(string name, Uri baseAddress, int connections, double perSecond, int total,
        Func<long, HttpRequestMessage> request, Action<Response>? onResponse = null)
    {
        using var http = NewClient(baseAddress, connections);
        using var slots = new SemaphoreSlim(connections);
        var latencies = new double[total];
        long errors = 0;
        var clock = Stopwatch.StartNew();
        var tasks = new List<Task>(total);
        for (long i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
            await slots.WaitAsync();
            var seq = i;
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    using var message = request(seq);
                    var started = clock.Elapsed;
                    using var response = await http.SendAsync(message);
                    var body = await response.Content.ReadAsStringAsync();
                    latencies[seq] = (clock.Elapsed - started).TotalMilliseconds;
                    onResponse?.Invoke(new Response(0, seq, response.StatusCode, body, response));
                    if (!response.IsSuccessStatusCode) { Interlocked.Increment(ref errors); latencies[seq] = double.NaN; }
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref errors);
                    latencies[seq] = double.NaN;
                }
                finally { slots.Release(); }
            }));
        }
        await Task.WhenAll(tasks);
        return Measurement.From(name, latencies.Where(l => !double.IsNaN(l)).ToList(), clock.Elapsed.TotalSeconds, errors);
    }
}
