namespace MelonChain.CarrierSimulator.Simulator;

/// <summary>
/// Faults switched at run time through <c>POST /admin/faults</c>, for both protocols. Shares are 0..1 probabilities
/// per call/push. <see cref="ErrorKind"/>: "5xx" (HTTP 500), "A1099" (the protocol's own system error: SF A1099, JD
/// error_response "1") or "mixed". Half of the injected errors hit after the call took effect (the answer is lost),
/// which is what makes retries dangerous. <see cref="RateLimitShare"/> answers SF A1005 / JD "7".
/// <see cref="AnswerDelayMs"/> holds every answer after the call took effect: the window in which a caller that
/// crashes has been served by the carrier without knowing it.
/// <see cref="Delivery"/>: null (on time), "late" (delivered half a day after the promise) or "failed" (SF 70, JD 拒收).
/// <see cref="Refusal"/>: every call refused by the gateway as a misconfigured caller is: "signature" (SF A1006, JD 19) or
/// "token" (SF A1004, JD 67: an unknown partner, an expired access token) — a refusal no retry fixes until someone does.
/// </summary>
public sealed record Faults(
    double ErrorShare = 0, string ErrorKind = "mixed", int LatencyMs = 0, double TimeoutShare = 0, int TimeoutMs = 30_000,
    double RateLimitShare = 0, bool Outage = false, double DropPushShare = 0, double DuplicatePushShare = 0,
    string? Delivery = null, bool PushesPaused = false, int AnswerDelayMs = 0, string? Refusal = null);

/// <summary>What the faults do to one call before it takes effect.</summary>
public enum Injected { None, Outage, RateLimited, Error }

public sealed class FaultSwitch
{
    private volatile Faults _current = new();

    public Faults Current { get => _current; set => _current = value; }

    public static bool Roll(double share) => share > 0 && Random.Shared.NextDouble() < share;

    /// <summary>
    /// Applies latency and timeouts, then decides the call's fate: an outage, a rate limit or an error before it takes
    /// effect, or (<c>FailAfter</c>) an error once it has.
    /// </summary>
    public static async Task<(Injected Before, bool FailAfter)> BeforeCallAsync(Faults f, CancellationToken ct)
    {
        if (f.Outage) return (Injected.Outage, false);
        if (f.LatencyMs > 0) await Task.Delay(Random.Shared.Next(f.LatencyMs / 2, f.LatencyMs + 1), ct);
        if (Roll(f.TimeoutShare)) await Task.Delay(f.TimeoutMs, ct);
        if (Roll(f.RateLimitShare)) return (Injected.RateLimited, false);
        if (Roll(f.ErrorShare)) return Random.Shared.Next(2) == 0 ? (Injected.Error, false) : (Injected.None, true);
        return (Injected.None, false);
    }

    /// <summary>Holds the answer of a call that took effect.</summary>
    public static Task AfterCallAsync(Faults f, CancellationToken ct) => f.AnswerDelayMs > 0 ? Task.Delay(f.AnswerDelayMs, ct) : Task.CompletedTask;

    /// <summary>An injected error as HTTP 500 (true) or as the protocol's own system error (false).</summary>
    public static bool AsServerError(Faults f) => f.ErrorKind == "5xx" || (f.ErrorKind == "mixed" && Random.Shared.Next(2) == 0);
}
