using System.Net;
using System.Net.Http;
using System.Text.Json;
using MelonChain.Workstation.Api;
using MelonChain.Workstation.Auth;
using MelonChain.Workstation.Offline;
using MelonChain.Workstation.Pages.Queue;
using MelonChain.Workstation.Pages.Receiving;
using Microsoft.Extensions.DependencyInjection;

namespace MelonChain.Workstation.Tests;

/// <summary>The offline queue: what is kept on the device, what is sent when, and what the clerk sees of it.</summary>
public sealed class OfflineQueueTests : WorkstationContext
{
    private OfflineQueue Queue => Services.GetRequiredService<OfflineQueue>();

    private IRenderedComponent<Receiving> Receiving()
    {
        SignedInAs("clerk");
        var screen = Render<Receiving>();
        screen.WaitForElement("#growerSearch:not([disabled])");
        return screen;
    }

    private static void Record(IRenderedComponent<Receiving> screen, string kg)
    {
        screen.Find("#growerSearch").Input("SX-001");
        screen.Find("ul.choices button").Click();
        screen.Find("#grossKg").Change(kg);
        screen.Find("form.receipt").Submit();
    }

    /// <summary>A server that records each Idempotency-Key once (numbers in the order recorded) and replays it after.</summary>
    private readonly Dictionary<string, string> _recorded = [];

    private HttpResponseMessage Idempotent(SentRequest request)
    {
        lock (_recorded)
        {
            if (!_recorded.TryGetValue(request.IdempotencyKey!, out var no))
                _recorded[request.IdempotencyKey!] = no = $"SX-20260612-{_recorded.Count + 1:D4}";
            return StubApi.Created(request, no);
        }
    }

    [Fact]
    public void Offline_a_receipt_goes_to_the_queue_with_its_key_capture_time_and_a_provisional_number_and_no_token()
    {
        Store.Online = false;
        var screen = Receiving();

        Record(screen, "88.5");

        screen.WaitForAssertion(() => Assert.Equal("K7M2-0001", screen.Find("#provisionalNo").TextContent));
        Assert.Empty(Api.Receipts);
        var capture = Assert.Single(Store.Captures);
        Assert.Equal((CaptureKind.Receipt, CaptureState.Queued, "clerk-1", "shangxiang"), (capture.Kind, capture.State, capture.Subject, capture.Cooperative));
        Assert.True(Guid.TryParse(capture.Id, out _));
        using var body = JsonDocument.Parse(capture.Body);
        Assert.Equal(88.5m, body.RootElement.GetProperty("grossKg").GetDecimal());
        Assert.Equal(capture.CapturedAt, body.RootElement.GetProperty("capturedAt").GetDateTimeOffset());
        var stored = JsonSerializer.Serialize(capture);
        Assert.DoesNotContain("eyJ", stored); // no JWT (base64 of {")
        Assert.DoesNotContain("Bearer", stored);
        // Ready for the next grower.
        Assert.Equal("", screen.Find("#grossKg").GetAttribute("value"));
    }

    [Fact]
    public void A_device_opened_without_a_network_finds_its_members_in_the_register_it_kept_and_queues_the_receipt()
    {
        Store.Growers["shangxiang"] = [StubApi.Member];
        Store.Growers["another-coop"] = [StubApi.ContractGrower];
        Store.Online = false;
        Api.Routes.Add(r => r.PathAndQuery.StartsWith("/api/v1/cooperative/growers", StringComparison.Ordinal) ? throw new HttpRequestException("offline") : null);
        var screen = Receiving();
        Assert.Empty(screen.FindAll("#problem"));

        Record(screen, "30");

        screen.WaitForElement("#provisionalNo");
        Assert.Equal(StubApi.Member.Id, JsonDocument.Parse(Assert.Single(Store.Captures).Body).RootElement.GetProperty("growerId").GetGuid());
    }

    [Fact]
    public void The_register_read_online_is_kept_for_the_clerks_cooperative_only_and_without_one_the_network_failure_is_said()
    {
        Receiving();
        Assert.Equal([StubApi.Member, StubApi.ContractGrower], Store.Growers["shangxiang"]);
        Assert.Single(Store.Growers);

        Store.Growers.Clear();
        Api.Routes.Add(r => r.PathAndQuery.StartsWith("/api/v1/cooperative/growers", StringComparison.Ordinal) ? throw new HttpRequestException("offline") : null);
        var offline = Render<Receiving>();
        offline.WaitForAssertion(() => Assert.Equal(Text.NetworkDown, offline.Find("#problem li").TextContent));
    }

    [Fact]
    public void The_layout_shows_the_count_of_captures_waiting_and_that_the_device_is_offline()
    {
        Store.Online = false;
        SignedInAs("clerk");
        var indicator = Render<QueueIndicator>();
        Assert.Equal("0", indicator.Find("#queueCount").TextContent);
        var screen = Receiving();

        Record(screen, "10");
        screen.WaitForElement("#provisionalNo");
        Record(screen, "12");

        indicator.WaitForAssertion(() => Assert.Equal("2", indicator.Find("#queueCount").TextContent));
        Assert.Equal(Text.Offline, indicator.Find("#offlineBadge").TextContent);
        Assert.Equal("queue", indicator.Find("#queueLink").GetAttribute("href"));
    }

    [Fact]
    public async Task When_the_network_returns_the_queue_sends_in_capture_order_each_once_with_its_own_key_and_shows_the_servers_numbers()
    {
        Api.Routes.Add(r => r.PathAndQuery == "/api/v1/cooperative/receipts" && r.Method == HttpMethod.Post ? Idempotent(r) : null);
        Store.Online = false;
        var screen = Receiving();
        foreach (var kg in new[] { "10", "11", "12" })
        {
            Record(screen, kg);
            screen.WaitForAssertion(() => Assert.Contains(kg + " 公斤", screen.Find("#queued").TextContent));
        }
        var page = Render<Queue>();
        Assert.Equal(3, page.FindAll("tr.capture[data-state=queued]").Count);

        await Store.GoAsync(true);

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("tr.capture[data-state=sent]").Count));
        Assert.Equal([10m, 11m, 12m], Api.Receipts.Select(r => r.Json.GetProperty("grossKg").GetDecimal()));
        Assert.Equal(Store.Captures.Select(c => c.Id), Api.Receipts.Select(r => r.IdempotencyKey));
        Assert.Equal(["SX-20260612-0001", "SX-20260612-0002", "SX-20260612-0003"], page.FindAll("tr.capture td.receipt-no").Select(td => td.TextContent));
        Assert.Equal(0, Queue.PendingCount);
    }

    [Fact]
    public async Task A_save_whose_answer_never_came_is_queued_and_replayed_with_the_same_key_and_body_so_it_is_recorded_once()
    {
        Api.Routes.Add(r => r.PathAndQuery == "/api/v1/cooperative/receipts" && r.Method == HttpMethod.Post ? Idempotent(r) : null);
        var lost = true;
        Api.Routes.Insert(0, r => r.Method == HttpMethod.Post && lost && !(lost = false) ? Throw(r) : null);
        var screen = Receiving();

        Record(screen, "95.2");

        screen.WaitForElement("#queued");
        await Queue.SyncAsync();
        var (first, replay) = (Api.Receipts[0], Api.Receipts[1]);
        Assert.Equal(first.IdempotencyKey, replay.IdempotencyKey);
        Assert.Equal(first.Body, replay.Body);
        Assert.Single(_recorded);
        Assert.Equal("SX-20260612-0001", Assert.Single(Store.Captures).ReceiptNo);
    }

    /// <summary>The server committed (recorded the key), then the answer was lost on the way back.</summary>
    private HttpResponseMessage Throw(SentRequest request)
    {
        Idempotent(request).Dispose();
        throw new HttpRequestException("connection reset after the commit");
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.BadGateway)]
    public void A_server_error_leaves_the_capture_queued_never_refused(HttpStatusCode status)
    {
        Api.Routes.Add(r => r.Method == HttpMethod.Post ? StubApi.Problem((int)status, "unavailable", "down") : null);
        var screen = Receiving();

        Record(screen, "40");

        screen.WaitForElement("#provisionalNo");
        Assert.Equal(CaptureState.Queued, Assert.Single(Store.Captures).State);
        Assert.Equal(1, Queue.PendingCount);
    }

    [Fact]
    public async Task A_refusal_on_replay_is_shown_for_the_clerk_stops_the_line_and_is_resent_after_an_edit_with_its_own_key()
    {
        Api.ThenReceipt(_ => StubApi.Problem(422, "validation", "See errors for each field.",
            new Dictionary<string, string[]> { ["grossKg"] = ["must be at most 2000 kg"] }));
        Store.Online = false;
        var screen = Receiving();
        Record(screen, "10");
        screen.WaitForElement("#provisionalNo");
        Record(screen, "11");
        screen.WaitForAssertion(() => Assert.Equal(2, Store.Captures.Count));
        var page = Render<Queue>();
        var (refused, after) = (Store.Captures[0], Store.Captures[1]);

        await Store.GoAsync(true);

        page.WaitForAssertion(() => Assert.Equal("毛重（公斤）：must be at most 2000 kg", page.Find($"#refusal-{refused.Id} .problem li").TextContent));
        Assert.Single(Api.Receipts); // the line stops at the refusal: the next is not sent before it
        Assert.Equal(CaptureState.Queued, Store.Captures[1].State);
        Assert.Equal(2, Queue.PendingCount);

        page.Find($"#refusal-{refused.Id} input[data-field=grossKg]").Change("12.5");
        page.Find($"#refusal-{refused.Id} button.resend").Click();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tr.capture[data-state=sent]").Count));
        Assert.Equal([refused.Id, refused.Id, after.Id], Api.Receipts.Select(r => r.IdempotencyKey));
        Assert.Equal(12.5m, Api.Receipts[1].Json.GetProperty("grossKg").GetDecimal());
    }

    [Fact]
    public async Task A_refused_capture_is_discarded_only_when_the_clerk_confirms_it()
    {
        Api.ThenReceipt(_ => StubApi.Problem(409, "contract-ended", "The contract was completed."));
        Store.Online = false;
        var screen = Receiving();
        Record(screen, "10");
        screen.WaitForElement("#provisionalNo");
        var page = Render<Queue>();
        await Store.GoAsync(true);
        var refused = Store.Captures[0];
        page.WaitForElement($"#refusal-{refused.Id}");

        page.Find($"#refusal-{refused.Id} button.discard").Click();
        Assert.Single(Store.Captures); // asked first
        page.Find($"#refusal-{refused.Id} button.confirm-discard").Click();

        page.WaitForAssertion(() => Assert.Empty(Store.Captures));
        Assert.Equal(0, Queue.PendingCount);
    }

    [Fact]
    public async Task Fifty_captures_queued_then_the_page_reloaded_are_all_sent_once_in_capture_order()
    {
        Api.Routes.Add(r => r.PathAndQuery == "/api/v1/cooperative/receipts" && r.Method == HttpMethod.Post ? Idempotent(r) : null);
        Store.Online = false;
        SignedInAs("clerk");
        await Services.GetRequiredService<SignedIn>().RestoreAsync();
        for (var i = 0; i < 50; i++)
        {
            var kg = 10m + i;
            var capture = await Queue.NewAsync(CaptureKind.Receipt, CooperativeApi.ReceiptsPath,
                at => new CooperativeApi.ReceiptRequest(StubApi.Member.Id, new DateOnly(2026, 6, 12), kg, 1, null, null, null, at), $"{kg}");
            Assert.True((await Queue.SubmitAsync(capture)).Queued);
        }
        Assert.Empty(Api.Receipts);

        // The reload: a new page (its own services) over the same device storage, back online.
        using var reloaded = new ReloadedPage(Api, Store);
        Store.Online = true;
        var queue = reloaded.Services.GetRequiredService<OfflineQueue>();
        await queue.LoadAsync();
        await queue.SyncAsync();

        Assert.Equal(50, _recorded.Count);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => 10m + i), Api.Receipts.Select(r => r.Json.GetProperty("grossKg").GetDecimal()));
        Assert.Equal(50, Api.Receipts.Select(r => r.IdempotencyKey).Distinct().Count());
        Assert.All(Store.Captures, c => Assert.Equal(CaptureState.Sent, c.State));
        Assert.Equal(Enumerable.Range(1, 50).Select(n => $"SX-20260612-{n:D4}"), Store.Captures.Select(c => c.ReceiptNo));
    }

    /// <summary>A page loaded again: fresh services, the same API and the same device storage, the same clerk signed in.</summary>
    private sealed class ReloadedPage : BunitContext
    {
        public ReloadedPage(StubApi api, MemoryCaptureStore store)
        {
            Services.AddWorkstation(new Uri("http://127.0.0.1:8080/app/"), () => api);
            Services.AddSingleton<ICaptureStore>(store);
            var module = JSInterop.SetupModule("./js/token.js");
            module.Setup<string?>("load").SetResult(Tokens.For("clerk"));
            Services.GetRequiredService<SignedIn>().RestoreAsync().GetAwaiter().GetResult();
        }
    }
}
