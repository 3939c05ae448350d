using System.Text.Json;
using MelonChain.Workstation.Api;
using Microsoft.JSInterop;

namespace MelonChain.Workstation.Pages.Slip;

/// <summary>
/// The members' links (the URL of each grower's own page, the QR on their slips), kept on this device so a slip printed
/// offline still carries the grower's QR. Kept in the browser's localStorage (wwwroot/js/slip.js), per cooperative:
/// they must outlive the tab and the clerk's session (the next shift may print offline), and they are not the clerk's
/// credential (that stays in sessionStorage, S14). They are the growers' keys to their own pages, so they stay on the
/// weighing station's device like the slips it prints; a rotated link is replaced the next time the slip is printed
/// online, and the register's links are refreshed whenever the receiving screen loads it.
/// </summary>
public sealed class GrowerLinkCache(CooperativeApi api, IJSRuntime js)
{
    private IJSObjectReference? _module;
    private Dictionary<Guid, string>? _links;
    private string? _cooperative;

    /// <summary>The grower's link: asked of the server when it answers (and kept), else the kept one, else null.</summary>
    public async Task<string?> LinkAsync(string cooperative, Guid growerId, CancellationToken ct = default)
    {
        var links = await LoadAsync(cooperative);
        try
        {
            var url = await api.GrowerLinkAsync(growerId, ct);
            if (!links.TryGetValue(growerId, out var kept) || kept != url)
            {
                links[growerId] = url;
                await SaveAsync(cooperative, links);
            }
            return url;
        }
        catch (Exception e) when (e is HttpRequestException or ApiProblem)
        {
            return links.GetValueOrDefault(growerId);
        }
    }

    /// <summary>The kept link, without asking the server.</summary>
    public async Task<string?> KeptAsync(string cooperative, Guid growerId) => (await LoadAsync(cooperative)).GetValueOrDefault(growerId);

    /// <summary>
    /// Fetches the links the device does not have yet, one at a time (a few hundred members at most, once per device),
    /// so the member register is ready for offline slips. Stops quietly at the first failure (offline: next time).
    /// </summary>
    public async Task FillAsync(string cooperative, IEnumerable<Guid> growerIds, CancellationToken ct = default)
    {
        var links = await LoadAsync(cooperative);
        var missing = growerIds.Where(id => !links.ContainsKey(id)).ToList();
        if (missing.Count == 0) return;
        try
        {
            foreach (var id in missing)
            {
                ct.ThrowIfCancellationRequested();
                links[id] = await api.GrowerLinkAsync(id, ct);
            }
        }
        catch (Exception e) when (e is HttpRequestException or ApiProblem or OperationCanceledException) { }
        await SaveAsync(cooperative, links);
    }

    private async Task<Dictionary<Guid, string>> LoadAsync(string cooperative)
    {
        if (_links is not null && _cooperative == cooperative) return _links;
        var json = await (await Module()).InvokeAsync<string?>("loadLinks", cooperative);
        _links = string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<Dictionary<Guid, string>>(json) ?? [];
        _cooperative = cooperative;
        return _links;
    }

    private async Task SaveAsync(string cooperative, Dictionary<Guid, string> links) =>
        await (await Module()).InvokeVoidAsync("saveLinks", cooperative, JsonSerializer.Serialize(links));

    private async Task<IJSObjectReference> Module() => _module ??= await js.InvokeAsync<IJSObjectReference>("import", "./js/slip.js");
}
