using System.Diagnostics;
using System.Net;

namespace MelonChain.Benchmarks;

/// <summary>Throughput and latency of one measured run (a load test, a pgbench run, a publish loop).</summary>
public sealed record Measurement(string Name, double PerSecond, double P50Ms, double P99Ms, long Count, long Errors, string? Note = null)
{
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

    /// <summary>Closed loop: every worker sends its next request as soon as the previous answered.</summary>
    public static async Task<Measurement> RunAsync(string name, Uri baseAddress, int connections, TimeSpan warmup, TimeSpan duration,
        Func<int, long, HttpRequestMessage> request, Action<Response>? onResponse = null)
    {
        using var http = NewClient(baseAddress, connections);
        var latencies = new List<double>[connections];
        long errors = 0;
        var clock = Stopwatch.StartNew();
        var measureFrom = warmup;
        var end = warmup + duration;
        async Task Worker(int worker)
        {
            var mine = latencies[worker] = new List<double>(4096);
            for (long seq = 0; clock.Elapsed < end; seq++)
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
                catch (Exception) when (clock.Elapsed < end + TimeSpan.FromSeconds(30))
                {
                    status = 0;
                }
                var finished = clock.Elapsed;
                if (started < measureFrom) continue;
                if ((int)status is >= 200 and < 300) mine.Add((finished - started).TotalMilliseconds);
                else Interlocked.Increment(ref errors);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, connections).Select(w => Task.Run(() => Worker(w))));
        var seconds = (clock.Elapsed - measureFrom).TotalSeconds;
        return Measurement.From(name, latencies.SelectMany(l => l).ToList(), seconds, errors);
    }

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
