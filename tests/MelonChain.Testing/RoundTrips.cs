using System.Collections.Concurrent;
using System.Diagnostics;

namespace MelonChain.Testing;

/// <summary>
/// Counts the round trips one request makes to PostgreSQL, from Npgsql's own trace: one activity per command or batch
/// sent (not the opening of a physical connection) (a COMMIT the transaction sends by itself does not show). Put <see cref="TraceParent"/> on the request as its
/// <c>traceparent</c> header; only that request's statements are recorded, whatever else the host is doing.
/// </summary>
public sealed class RoundTrips : IDisposable
{
    private readonly ConcurrentQueue<Activity> _sent = new();
    private readonly ActivityTraceId _trace = ActivityTraceId.CreateRandom();
    private readonly ActivityListener _listener;

    public RoundTrips()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            // Statements only: Npgsql also traces opening a physical connection (no query text), which a request makes
            // only when the pool has no idle connection — not a round trip of its statements.
            ActivityStopped = a => { if (a.Source.Name == "Npgsql" && a.TraceId == _trace && a.GetTagItem("db.query.text") is string) _sent.Enqueue(a); },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The W3C <c>traceparent</c> that puts a request's statements in this count.</summary>
    public string TraceParent => $"00-{_trace}-{ActivitySpanId.CreateRandom()}-01";

    /// <summary>The round trips recorded so far, in the order they ended.</summary>
    public IReadOnlyList<Activity> Sent => _sent.ToList();

    /// <summary>The SQL one round trip sent.</summary>
    public static string Text(Activity trip) => (string)trip.GetTagItem("db.query.text")!;

    public void Dispose() => _listener.Dispose();
}
