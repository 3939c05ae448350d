using System.Net;
using System.Text;
using System.Text.Json;
using MelonChain.Workstation.Api;
using MelonChain.Workstation.Auth;
using Microsoft.JSInterop;

namespace MelonChain.Workstation.Offline;

/// <summary>
/// The offline capture queue. A receipt or grading is sent at once when the device is online and nothing of the clerk's
/// is waiting; otherwise (offline, or the send failed on the network or a 5xx) it is kept on the device
/// (<see cref="ICaptureStore"/>) and sent later, one after another in capture order, with its own Idempotency-Key.
/// <list type="bullet">
/// <item>2xx: sent, with the server's receipt number; a replay of a try whose answer was lost gets the same receipt.</item>
/// <item>A network failure, 5xx, 408, 429 or a transient 409 (the same key still in flight, a concurrent update): stays
/// queued and is tried again, after 1, 2, 4 … 30 s, and at once when the browser says it is online again.</item>
/// <item>401: stays queued until the clerk signs in again.</item>
/// <item>Any other 4xx (422, 409, 403, 404): refused, shown with the server's words until the clerk edits and resends it
/// or discards it. The line stops there: nothing captured after it is sent first, so every receipt is recorded in
/// capture order, and a grading never overtakes the receipt it grades.</item>
/// </list>
/// Only the clerk who captured sends (the server keeps idempotency keys per caller); another clerk's captures wait.
/// </summary>
public sealed class OfflineQueue(ICaptureStore store, HttpClient http, SignedIn signedIn, TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1), LongestRetry = TimeSpan.FromSeconds(30);

    /// <summary>Sent captures are kept this long, so the slip of an offline receipt can show the server's number.</summary>
    public static readonly TimeSpan SentKeptFor = TimeSpan.FromDays(7);

    private readonly List<Capture> _items = [];
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loading;
    private int _failures;
    private bool _retryScheduled;

    public bool Online { get; private set; } = true;

    /// <summary>Every capture on the device, in capture order (sent ones for <see cref="SentKeptFor"/>).</summary>
    public IReadOnlyList<Capture> Items => _items;

    /// <summary>Captures not yet recorded by the server: queued or refused (the count in the layout).</summary>
    public int PendingCount => _items.Count(c => c.Pending);

    public event Action? Changed;

    public Task LoadAsync() => _loading ??= LoadOnceAsync();

    private async Task LoadOnceAsync()
    {
        var now = clock.GetUtcNow();
        foreach (var capture in await store.AllAsync())
        {
            if (capture is { State: CaptureState.Sent, SentAt: { } at } && now - at > SentKeptFor) await store.RemoveAsync(capture.Id);
            else _items.Add(capture);
        }
        _items.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        Online = await store.IsOnlineAsync();
        await store.WatchOnlineAsync(this);
        signedIn.Changed += OnSignedIn;
        Changed?.Invoke();
        _ = SyncAsync();
    }

    [JSInvokable]
    public Task OnlineChanged(bool online)
    {
        Online = online;
        Changed?.Invoke();
        return online ? SyncAsync() : Task.CompletedTask;
    }

    private void OnSignedIn() => _ = SyncAsync();

    /// <summary>
    /// A new capture of the signed-in clerk: its key (given, or made now), capturedAt now, this device's next number.
    /// <paramref name="request"/> makes the body from the capture time.
    /// </summary>
    public async Task<Capture> NewAsync(string kind, string path, Func<DateTimeOffset, object> request, string summary,
        string? idempotencyKey = null, string? afterReceipt = null)
    {
        await LoadAsync();
        var caller = signedIn.Current() ?? throw new InvalidOperationException("Nobody is signed in.");
        var at = clock.GetUtcNow();
        return new Capture
        {
            Id = idempotencyKey ?? Guid.NewGuid().ToString(), Kind = kind, Path = path, AfterReceipt = afterReceipt,
            Body = JsonSerializer.Serialize(request(at), ApiJson.Options), CapturedAt = at,
            Device = await store.DeviceAsync(), Sequence = await store.NextSequenceAsync(),
            Cooperative = caller.CooperativeId, Subject = caller.Subject, Summary = summary,
        };
    }

    /// <summary>What became of a capture handed to <see cref="SubmitAsync"/>: sent now (with the server's answer), or queued.</summary>
    public sealed record Submitted(Capture Capture, JsonElement? Answer)
    {
        public bool Queued => Answer is null;
    }

    /// <summary>
    /// Sends the capture now when online and nothing of this clerk waits before it; else (or when the network fails)
    /// queues it. A refusal of a direct send is thrown as <see cref="ApiProblem"/>: the clerk is still at the form.
    /// </summary>
    public async Task<Submitted> SubmitAsync(Capture capture)
    {
        await LoadAsync();
        if (Online && capture.AfterReceipt is null && !_items.Any(c => c.Pending && IsOf(c, capture.Cooperative, capture.Subject)))
        {
            var outcome = await SendAsync(capture, capture.Path);
            if (outcome.Answer is { } answer) return new Submitted(capture, answer);
            if (outcome.Problem is { } problem) throw problem;
        }
        await PutAsync(capture);
        _ = SyncAsync();
        return new Submitted(capture, null);
    }

    /// <summary>Sends what is queued, in capture order, until the queue is empty, the network fails or a capture is refused.</summary>
    public async Task SyncAsync()
    {
        if (!await _sending.WaitAsync(0)) return;
        var retry = false;
        try
        {
            while (Online && !_stopping.IsCancellationRequested && signedIn.Current() is { } caller)
            {
                var next = _items.FirstOrDefault(c => c.Pending && IsOf(c, caller.CooperativeId, caller.Subject));
                if (next is null || next.State == CaptureState.Refused) break;
                var path = next.Path;
                if (next.AfterReceipt is { } receiptKey)
                {
                    var receipt = _items.FirstOrDefault(c => c.Id == receiptKey);
                    if (receipt?.ReceiptId is not { } receiptId)
                    {
                        await PutAsync(next with { State = CaptureState.Refused, Problem = new CaptureProblem(0, "receipt-discarded", Text.QueueReceiptDiscarded, null, null) });
                        break;
                    }
                    path = $"/api/v1/cooperative/receipts/{receiptId}/grading";
                }
                var outcome = await SendAsync(next, path);
                if (outcome.Answer is { } answer)
                {
                    _failures = 0;
                    await PutAsync(next with
                    {
                        Path = path, State = CaptureState.Sent, Problem = null, SentAt = clock.GetUtcNow(),
                        ReceiptId = next.Kind == CaptureKind.Receipt ? answer.GetProperty("id").GetGuid() : answer.GetProperty("receiptId").GetGuid(),
                        ReceiptNo = answer.TryGetProperty("receiptNo", out var no) ? no.GetString() : _items.FirstOrDefault(c => c.Id == next.AfterReceipt)?.ReceiptNo,
                    });
                }
                else if (outcome.Problem is { } problem)
                {
                    await PutAsync(next with { Path = path, State = CaptureState.Refused, Problem = CaptureProblem.From(problem) });
                    break;
                }
                else
                {
                    retry = outcome.Retry;
                    break;
                }
            }
        }
        finally
        {
            _sending.Release();
        }
        if (retry) ScheduleRetry();
    }

    /// <summary>A refused capture, edited by the clerk (or as it was), queued again under its own key and number.</summary>
    public async Task ResendAsync(string id, string? body = null)
    {
        if (_items.FirstOrDefault(c => c.Id == id) is not { State: CaptureState.Refused } capture) return;
        await PutAsync(capture with { Body = body ?? capture.Body, State = CaptureState.Queued, Problem = null });
        await SyncAsync();
    }

    /// <summary>The clerk discards a capture that will not be sent (only ever on their explicit word).</summary>
    public async Task DiscardAsync(string id)
    {
        if (_items.FirstOrDefault(c => c.Id == id) is not { State: not CaptureState.Sent } capture) return;
        await store.RemoveAsync(capture.Id);
        _items.Remove(capture);
        Changed?.Invoke();
        await SyncAsync();
    }

    private static bool IsOf(Capture c, string cooperative, string subject) => c.Cooperative == cooperative && c.Subject == subject;

    private async Task PutAsync(Capture capture)
    {
        await store.PutAsync(capture);
        var i = _items.FindIndex(c => c.Id == capture.Id);
        if (i >= 0) _items[i] = capture;
        else
        {
            _items.Add(capture);
            _items.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        }
        Changed?.Invoke();
    }

    private sealed record Outcome(JsonElement? Answer, ApiProblem? Problem, bool Retry);

    private async Task<Outcome> SendAsync(Capture capture, string path)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(capture.Body, Encoding.UTF8, "application/json") };
        message.Headers.Add(CooperativeApi.IdempotencyKeyHeader, capture.Id);
        HttpResponseMessage response;
        try { response = await http.SendAsync(message, _stopping.Token); }
        catch (HttpRequestException) { return new Outcome(null, null, Retry: true); }
        catch (TaskCanceledException) when (!_stopping.IsCancellationRequested) { return new Outcome(null, null, Retry: true); }
        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                return new Outcome(answer.RootElement.Clone(), null, false);
            }
            var problem = await ApiProblem.FromAsync(response, CancellationToken.None);
            var status = (int)response.StatusCode;
            if (status == (int)HttpStatusCode.Unauthorized) return new Outcome(null, null, Retry: false);
            if (status >= 500 || status is 408 or 429 || problem.Code is "idempotency-key-in-flight" or "concurrent-update")
                return new Outcome(null, null, Retry: true);
            return new Outcome(null, problem, false);
        }
    }

    private void ScheduleRetry()
    {
        if (_retryScheduled || _stopping.IsCancellationRequested) return;
        _retryScheduled = true;
        var delay = TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, FirstRetry.Ticks << Math.Min(_failures++, 10)));
        _ = RetryAfterAsync(delay);
    }

    private async Task RetryAfterAsync(TimeSpan delay)
    {
        try { await Task.Delay(delay, clock, _stopping.Token); }
        catch (OperationCanceledException) { return; }
        finally { _retryScheduled = false; }
        await SyncAsync();
    }

    public void Dispose()
    {
        _stopping.Cancel();
        signedIn.Changed -= OnSignedIn;
    }
}
