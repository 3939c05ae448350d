using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Tests;

/// <summary>
/// R14 at the API: the workstation's queue replays each capture with the Idempotency-Key made when it was captured and
/// its capturedAt, one capture after another in capture order. An answer lost after the commit is replayed, never
/// recorded twice; two tablets syncing at once each get their receipts recorded once and in their own capture order.
/// </summary>
public class OfflineSyncTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{

    private sealed record Capture(string Key, DateTimeOffset CapturedAt, object Body);

    /// <summary>What the queue sends for one receipt: its own key, the body with capturedAt.</summary>
    private static async Task<HttpResponseMessage> Send(HttpClient http, Capture capture)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cooperative/receipts") { Content = JsonContent.Create(capture.Body) };
        request.Headers.Add("Idempotency-Key", capture.Key);
        return await http.SendAsync(request);
    }

    /// <summary>The China date of a moment: a capture half an hour before China's midnight was harvested that day, not "today".</summary>
    private static DateOnly ChinaDay(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime.AddHours(8));

    /// <summary>A tablet's queue: captures 2 s apart from <paramref name="first"/> (whole seconds, as sent).</summary>
    private static List<Capture> Captures(Guid grower, int count, DateTimeOffset first) =>
        Enumerable.Range(0, count).Select(i => new Capture(Guid.NewGuid().ToString(), first.AddSeconds(2 * i), new
        {
            growerId = grower, harvestedOn = ChinaDay(first.AddSeconds(2 * i)).ToString("yyyy-MM-dd"), grossKg = 10m + i, crates = 1,
            capturedAt = first.AddSeconds(2 * i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
        })).ToList();

    [Fact]
    public async Task An_answer_lost_after_the_commit_is_replayed_with_the_same_key_one_receipt_the_same_number()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        var capture = Captures(grower, 1, DateTimeOffset.UtcNow.AddMinutes(-20)).Single();

        // The server commits; the tablet never reads the answer (the network dropped), so the capture stays queued.
        (await Send(c.Http, capture)).Dispose();
        var replay = await Send(c.Http, capture);
        var again = await Send(c.Http, capture);

        Assert.True(replay.IsSuccessStatusCode, await replay.Content.ReadAsStringAsync());
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        var (first, second) = (await replay.Content.ReadFromJsonAsync<JsonElement>(), await again.Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal(first.GetProperty("receiptNo").GetString(), second.GetProperty("receiptNo").GetString());
        Assert.Equal(1, await f.CountAsync("select count(*) from receipts where cooperative_id = @Coop", new { Coop = c.CooperativeId }));
        Assert.Equal(first.GetProperty("receiptNo").GetString(),
            (await c.Http.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/receipts")).GetProperty("items")[0].GetProperty("receiptNo").GetString());
    }

    [Fact]
    public async Task Two_tablets_syncing_their_queues_at_once_each_have_every_receipt_recorded_once_in_their_own_capture_order()
    {
        const int queued = 25;
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero).AddMinutes(-30);
        // Two clerks on two tablets, their captures interleaved in time.
        var tablets = new[] { ("clerk-a", Captures(grower, queued, start)), ("clerk-b", Captures(grower, queued, start.AddSeconds(1))) };
        var gate = new TaskCompletionSource();

        var syncs = tablets.Select(t => Task.Run(async () =>
        {
            var http = f.Cooperative.As(Roles.Clerk, t.Item1, cooperative: c.CooperativeId);
            await gate.Task;
            foreach (var (capture, i) in t.Item2.Select((x, i) => (x, i)))
            {
                // Every fifth answer is lost after the commit: the queue sends that capture again before the next.
                if (i % 5 == 0) (await Send(http, capture)).Dispose();
                var response = await Send(http, capture);
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            }
        })).ToList();
        gate.SetResult();
        await Task.WhenAll(syncs);

        foreach (var (clerk, captures) in tablets)
        {
            var recorded = (await Rows(c.CooperativeId, clerk)).ToList();
            Assert.Equal(queued, recorded.Count);
            // In receipt-number order (the order the server recorded them) the capture times are the tablet's own order.
            Assert.Equal(captures.Select(x => x.CapturedAt), 
                recorded.Select(r => r.CapturedAt));
            Assert.Equal(Enumerable.Range(0, queued).Select(i => 10m + i), recorded.Select(r => r.GrossGrams / 1000m));
        }
        Assert.Equal(2 * queued, await f.CountAsync("select count(*) from receipts where cooperative_id = @Coop", new { Coop = c.CooperativeId }));
    }

    [Fact]
    public async Task A_capture_whose_answer_was_lost_is_still_recorded_once_when_the_tablet_replays_it_days_later()
    {
        // A tablet offline for most of a week: the server committed the receipt on its first try six days ago, the
        // answer never arrived, and the queue replays it now. Keys expiring after a day would record it twice.
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        var capturedAt = DateTimeOffset.UtcNow.AddDays(-6);
        var captureDay = DateOnly.FromDateTime(capturedAt.UtcDateTime.AddHours(8));
        var capture = new Capture(Guid.NewGuid().ToString(), capturedAt, new
        {
            growerId = grower, harvestedOn = captureDay.ToString("yyyy-MM-dd"), grossKg = 42m, crates = 2,
            capturedAt = capturedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
        });
        var first = await Send(c.Http, capture);
        Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());
        var receiptNo = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receiptNo").GetString();
        await using (var connection = f.Db.Open())
            await Dapper.SqlMapper.ExecuteAsync(connection,
                "update idempotency_keys set created_at = now() - interval '6 days' where key = @Key", new { capture.Key });
        await f.Cooperative.Services.GetRequiredService<MelonChain.ServiceDefaults.Data.Retention>().PruneAsync(CancellationToken.None);

        var replay = await Send(c.Http, capture);

        Assert.True(replay.IsSuccessStatusCode, await replay.Content.ReadAsStringAsync());
        Assert.Equal(receiptNo, (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receiptNo").GetString());
        Assert.Equal(1, await f.CountAsync("select count(*) from receipts where cooperative_id = @Coop", new { Coop = c.CooperativeId }));
    }

    private sealed record Row(string ReceiptNo, DateTimeOffset CapturedAt, long GrossGrams);

    private async Task<IEnumerable<Row>> Rows(string coop, string clerk)
    {
        await using var connection = f.Db.Open();
        return await Dapper.SqlMapper.QueryAsync<Row>(connection,
            "select receipt_no as ReceiptNo, captured_at as CapturedAt, gross_grams as GrossGrams from receipts where cooperative_id = @Coop and recorded_by = @Clerk order by receipt_no",
            new { Coop = coop, Clerk = clerk });
    }
}
