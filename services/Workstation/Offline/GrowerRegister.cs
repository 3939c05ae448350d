using MelonChain.Workstation.Api;
using MelonChain.Workstation.Auth;
using static MelonChain.Workstation.Api.CooperativeApi;

namespace MelonChain.Workstation.Offline;

/// <summary>
/// The member register for receiving: read from the API and kept on the device, so a tablet opened or reloaded without
/// a network still finds its members (the receipts it captures then wait in the queue). Only the signed-in clerk's
/// cooperative's register is kept, with the API's masked phones.
/// </summary>
public sealed class GrowerRegister(CooperativeApi api, ICaptureStore store, SignedIn signedIn)
{
    /// <summary>The register from the API, or the one kept on the device when the network is down (else the failure).</summary>
    public async Task<IReadOnlyList<Grower>> GrowersAsync()
    {
        var coop = signedIn.Current()?.CooperativeId;
        try
        {
            var growers = await api.GrowersAsync();
            if (coop is not null) await store.SaveGrowersAsync(coop, growers);
            return growers;
        }
        catch (HttpRequestException) when (coop is not null)
        {
            var kept = await store.LoadGrowersAsync(coop);
            if (kept is null) throw;
            return kept;
        }
    }
}
