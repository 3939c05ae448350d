namespace MelonChain.ServiceDefaults.Messaging;

/// <summary>
/// Wakes a background worker in-process (one waiter; waking an awake worker is a no-op). Workers also poll, so a
/// missed wake only costs their poll interval.
/// </summary>
public class WakeSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        if (_signal.CurrentCount == 0)
        {
            try { _signal.Release(); } catch (SemaphoreFullException) { /* already awake */ }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}

/// <summary>
/// Wakes the outbox relay right after a commit that wrote events (no LISTEN/NOTIFY: that takes a global lock at
/// commit).
/// </summary>
public sealed class OutboxSignal : WakeSignal;
