using System.Text.Json;
using MelonChain.Workstation.Api;
using MelonChain.Workstation.Auth;
using MelonChain.Workstation.Pages.Slip;

namespace MelonChain.Workstation.Offline;

/// <summary>
/// The slip page's view of the offline queue (<see cref="IProvisionalSlips"/>): a receipt captured on this device, found
/// by its provisional number (device code and sequence), printed from the body the queue keeps, with the member as the
/// kept register names them; once the queue has sent it, the same slip with the server's receipt number
/// (<see cref="ReceiptSlip.Synced"/>). Only the signed-in clerk's cooperative's captures are found.
/// </summary>
public sealed class QueuedSlips(OfflineQueue queue, ICaptureStore store, SignedIn signedIn) : IProvisionalSlips
{
    public event Action? Changed
    {
        add => queue.Changed += value;
        remove => queue.Changed -= value;
    }

    public async Task<ReceiptSlip?> FindAsync(string provisionalNo, CancellationToken ct = default)
    {
        await queue.LoadAsync();
        var cooperative = signedIn.Current()?.CooperativeId;
        var capture = queue.Items.FirstOrDefault(c =>
            c.Kind == CaptureKind.Receipt && c.Cooperative == cooperative && c.ProvisionalNo == provisionalNo);
        if (capture is null) return null;
        var request = JsonSerializer.Deserialize<CooperativeApi.ReceiptRequest>(capture.Body, ApiJson.Options)!;
        var grower = (await store.LoadGrowersAsync(capture.Cooperative))?.FirstOrDefault(g => g.Id == request.GrowerId);
        var slip = new ReceiptSlip(capture.Cooperative, null, capture.ProvisionalNo, capture.CapturedAt, request.GrowerId,
            grower?.MemberNo ?? "", grower?.Name ?? "", request.GrossKg, request.Crates, request.ContractId, capture.Subject);
        return capture is { State: CaptureState.Sent, ReceiptNo: { } receiptNo } ? slip.Synced(receiptNo) : slip;
    }
}
