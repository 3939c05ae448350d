namespace MelonChain.ServiceDefaults.Messaging;

/// <summary>
/// Wakes the outbox relay in-process right after a commit that wrote events (no LISTEN/NOTIFY: that takes a
/// global lock at commit). The relay also polls, so a missed wake only costs the poll interval.
/// </summary>
public sealed class OutboxSignal
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
