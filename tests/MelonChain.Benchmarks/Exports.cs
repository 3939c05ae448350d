using System.Diagnostics;
using System.Net.Http.Headers;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Benchmarks;

/// <summary>
/// P12: the exports written as they are read, over the seasons P5 seeds (10k, 100k and 1M receipts): the EPCIS
/// document of the whole season (every receipt received and graded, every order packed and every box aggregated) and
/// the recall by harvest dates of all of it (every box), as JSON and CSV. Each answer is read as a stream and thrown
/// away; the Cooperative process's peak resident memory is reset before each export (<c>/proc/PID/clear_refs</c>) and
/// read after it. The process has just settled those seasons (P5), whose heap the runtime keeps, so two figures are
/// judged: what the export itself added to the resident memory (peak − resident before: streaming keeps it flat
/// whatever the season's size), and the process's peak against the pod's limit of 768 Mi.
/// </summary>
public static class Exports
{
    /// <summary>The Cooperative pod's memory limit (768 Mi in deploy/k8s/base/cooperative.yaml), in MiB as /proc reports it.</summary>
    public const double PodLimitMb = 768;

    /// <summary>What one export may add to the process's resident memory: a year's document built in memory would add gigabytes.</summary>
    public const double ExportGrowthLimitMb = 64;

    public static async Task RunAsync(ServiceProcess cooperative, IReadOnlyList<int> sizes, Bar bar)
    {
        BenchContext.Log($"P12: {bar.What}");
        var pid = cooperative.ProcessId!.Value;
        var peaks = new List<(string What, int Receipts, double PeakMb, double GrowthMb)>();
        foreach (var receipts in sizes)
        {
            using var http = new HttpClient { BaseAddress = cooperative.BaseAddress, Timeout = TimeSpan.FromMinutes(30) };
            http.DefaultRequestHeaders.Authorization = BenchContext.Bearer(BenchContext.Token(Roles.Clerk, "clerk-1", $"p5-{receipts}"));
            foreach (var (what, path, accept, marker) in new (string, string, string?, string)[]
            {
                ("EPCIS", "/api/v1/cooperative/epcis?from=2026-06-01&to=2026-06-10", null, "\"eventID\":"),
                ("recall JSON", "/api/v1/cooperative/recall?harvestedFrom=2026-06-01&harvestedTo=2026-06-10", null, "\"traceCode\":"),
                ("recall CSV", "/api/v1/cooperative/recall?harvestedFrom=2026-06-01&harvestedTo=2026-06-10", "text/csv", "\r\n"),
            })
            {
                await File.WriteAllTextAsync($"/proc/{pid}/clear_refs", "5");   // resets VmHWM to the resident size now
                var (before, _) = Machine.Memory(pid);
                var clock = Stopwatch.StartNew();
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                if (accept is not null) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                var (bytes, found) = await CountAsync(response, marker);
                var seconds = clock.Elapsed.TotalSeconds;
                var (_, peak) = Machine.Memory(pid);
                BenchContext.Log($"  P12 {what} of {receipts:N0} receipts: {bytes / 1048576.0:F0} MB in {seconds:F1} s, peak RSS {peak:F0} MB (before {before:F0} MB)");
                peaks.Add((what, receipts, peak, peak - before));
                bar.Measurements.Add(new Measurement($"{what}, {receipts:N0} receipts", found / Math.Max(seconds, 1e-9), seconds * 1000, seconds * 1000, found,
                    response.IsSuccessStatusCode ? 0 : 1,
                    $"{bytes / 1048576.0:N0} MB written in {seconds:F1} s; process peak RSS {peak:F0} MB (resident before {before:F0} MB)"));
                // What each answer must hold: the season's events (a receipt's receiving and grading, each order's packing and each box), or its boxes.
                var (boxes, orders) = (receipts / 5, (receipts / 5 + 19) / 20);
                long expected = what == "EPCIS" ? 2L * receipts + orders + boxes : what == "recall CSV" ? boxes + 1 : boxes;
                bar.Verify(response.IsSuccessStatusCode && found == expected, $"{what} of {receipts:N0} receipts: {(int)response.StatusCode}, {found:N0} of {expected:N0} expected");
            }
        }
        foreach (var what in peaks.Select(p => p.What).Distinct())
        {
            var of = peaks.Where(p => p.What == what).ToList();
            bar.Checks.Add(new Check($"{what}: resident memory the export added at {of[^1].Receipts:N0} receipts", of[^1].GrowthMb, " MB", "<", ExportGrowthLimitMb));
            bar.Checks.Add(new Check($"{what}: the process's peak resident memory at {of[^1].Receipts:N0} receipts", of[^1].PeakMb, " MB", "<", PodLimitMb));
        }
    }

    /// <summary>The answer's bytes and how often <paramref name="marker"/> occurs in it, read as it arrives.</summary>
    private static async Task<(long Bytes, long Found)> CountAsync(HttpResponseMessage response, string marker)
    {
        var pattern = System.Text.Encoding.UTF8.GetBytes(marker);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long bytes = 0, found = 0;
        var matched = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            bytes += read;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] == pattern[matched]) matched++;
                else matched = buffer[i] == pattern[0] ? 1 : 0;
                if (matched == pattern.Length) { found++; matched = 0; }
            }
        }
        return (bytes, found);
    }
}
