namespace MelonChain.Testing;

/// <summary>A clock standing still at a chosen instant (expired tokens, dated rules).</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
