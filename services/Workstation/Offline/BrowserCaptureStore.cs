using Microsoft.JSInterop;

namespace MelonChain.Workstation.Offline;

/// <summary>The captures in the browser's IndexedDB, through the small module wwwroot/js/queue.js.</summary>
public sealed class BrowserCaptureStore(IJSRuntime js) : ICaptureStore, IDisposable
{
    private IJSObjectReference? _module;
    private DotNetObjectReference<OfflineQueue>? _watcher;

    private async Task<IJSObjectReference> Module() => _module ??= await js.InvokeAsync<IJSObjectReference>("import", "./js/queue.js");

    public async Task<IReadOnlyList<Capture>> AllAsync() => await (await Module()).InvokeAsync<Capture[]?>("all") ?? [];

    public async Task PutAsync(Capture capture) => await (await Module()).InvokeVoidAsync("put", capture);

    public async Task RemoveAsync(string id) => await (await Module()).InvokeVoidAsync("remove", id);

    public async Task<string> DeviceAsync() => await (await Module()).InvokeAsync<string>("device");

    public async Task<long> NextSequenceAsync() => await (await Module()).InvokeAsync<long>("nextSequence");

    public async Task<bool> IsOnlineAsync() => await (await Module()).InvokeAsync<bool>("isOnline");

    public async Task SaveGrowersAsync(string cooperative, IReadOnlyList<Api.CooperativeApi.Grower> growers) =>
        await (await Module()).InvokeVoidAsync("saveGrowers", cooperative, growers);

    public async Task<IReadOnlyList<Api.CooperativeApi.Grower>?> LoadGrowersAsync(string cooperative) =>
        await (await Module()).InvokeAsync<Api.CooperativeApi.Grower[]?>("loadGrowers", cooperative);

    public async Task WatchOnlineAsync(OfflineQueue queue)
    {
        _watcher ??= DotNetObjectReference.Create(queue);
        await (await Module()).InvokeVoidAsync("watchOnline", _watcher);
    }

    /// <summary>The page is going: the module stops calling back into this queue (the browser drops the module with the page).</summary>
    public void Dispose() => _watcher?.Dispose();
}
