namespace MelonChain.Workstation.Components;

/// <summary>
/// The Idempotency-Key of one action the clerk takes (settle this period, pay this grower this much): made when the
/// action is first sent and sent again with every retry of that same action, so an answer lost after the server
/// committed replays the result instead of paying or settling twice. A different action, or the one done, gets a new key.
/// </summary>
public sealed class OnceKey
{
    private object? _action;
    private string? _key;

    public string For(object action)
    {
        if (_key is null || !Equals(_action, action)) (_action, _key) = (action, Guid.NewGuid().ToString());
        return _key;
    }

    /// <summary>The action succeeded: the next one is another action.</summary>
    public void Done() => (_action, _key) = (null, null);
}
