namespace MelonChain.Workstation.Offline;

/// <summary>
/// Where the device keeps its captures and knows whether it is online: the browser's IndexedDB, localStorage and
/// navigator.onLine (<see cref="BrowserCaptureStore"/>, wwwroot/js/queue.js); a stand-in in memory in tests.
/// </summary>
public interface ICaptureStore
{
    /// <summary>Every capture kept, in capture order.</summary>
    Task<IReadOnlyList<Capture>> AllAsync();

    Task PutAsync(Capture capture);

    Task RemoveAsync(string id);

    /// <summary>This device's code, made once and kept.</summary>
    Task<string> DeviceAsync();

    /// <summary>The next capture number of this device.</summary>
    Task<long> NextSequenceAsync();

    Task<bool> IsOnlineAsync();

    /// <summary>Calls <see cref="OfflineQueue.OnlineChanged"/> when the browser goes online or offline.</summary>
    Task WatchOnlineAsync(OfflineQueue queue);

    /// <summary>Keeps the cooperative's member register as last read (one cooperative's at a time).</summary>
    Task SaveGrowersAsync(string cooperative, IReadOnlyList<Api.CooperativeApi.Grower> growers);

    /// <summary>The register kept for this cooperative, or null.</summary>
    Task<IReadOnlyList<Api.CooperativeApi.Grower>?> LoadGrowersAsync(string cooperative);
}
