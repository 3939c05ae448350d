using MelonChain.Workstation.Offline;

namespace MelonChain.Workstation.Tests;

/// <summary>
/// The device's storage in memory, standing in for IndexedDB, localStorage and navigator.onLine: it outlives the queue
/// that wrote it, as IndexedDB outlives a reload or a closed tab (a new queue over the same store is the reloaded page).
/// </summary>
public sealed class MemoryCaptureStore : ICaptureStore
{
    private readonly Dictionary<string, Capture> _captures = [];
    private long _sequence;
    private OfflineQueue? _watcher;

    public bool Online { get; set; } = true;

    public string Device { get; set; } = "K7M2";

    public IReadOnlyList<Capture> Captures { get { lock (_captures) return _captures.Values.OrderBy(c => c.Sequence).ToList(); } }

    public Task<IReadOnlyList<Capture>> AllAsync() => Task.FromResult(Captures);

    public Task PutAsync(Capture capture)
    {
        lock (_captures) _captures[capture.Id] = capture;
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string id)
    {
        lock (_captures) _captures.Remove(id);
        return Task.CompletedTask;
    }

    public Task<string> DeviceAsync() => Task.FromResult(Device);

    public Task<long> NextSequenceAsync() => Task.FromResult(Interlocked.Increment(ref _sequence));

    public Task<bool> IsOnlineAsync() => Task.FromResult(Online);

    public Task WatchOnlineAsync(OfflineQueue queue)
    {
        _watcher = queue;
        return Task.CompletedTask;
    }

    public Dictionary<string, IReadOnlyList<MelonChain.Workstation.Api.CooperativeApi.Grower>> Growers { get; } = [];

    public Task SaveGrowersAsync(string cooperative, IReadOnlyList<MelonChain.Workstation.Api.CooperativeApi.Grower> growers)
    {
        Growers.Clear();
        Growers[cooperative] = growers;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<MelonChain.Workstation.Api.CooperativeApi.Grower>?> LoadGrowersAsync(string cooperative) =>
        Task.FromResult(Growers.GetValueOrDefault(cooperative));

    /// <summary>The browser's online or offline event.</summary>
    public Task GoAsync(bool online)
    {
        Online = online;
        return _watcher?.OnlineChanged(online) ?? Task.CompletedTask;
    }
}
