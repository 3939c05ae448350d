using MelonChain.Workstation.Api;
using MelonChain.Workstation.Auth;

namespace MelonChain.Workstation.Pages.Slip;

/// <summary>
/// Where the offline queue tells the slip page about a capture by its provisional number: what it holds and, once
/// synced, the server's receipt number (<see cref="ReceiptSlip.Synced"/>). The offline queue registers its own; the
/// default knows none (only the slips remembered by <see cref="Slips"/> in this tab).
/// </summary>
public interface IProvisionalSlips
{
    Task<ReceiptSlip?> FindAsync(string provisionalNo, CancellationToken ct = default);
}

public sealed class NoProvisionalSlips : IProvisionalSlips
{
    public Task<ReceiptSlip?> FindAsync(string provisionalNo, CancellationToken ct = default) => Task.FromResult<ReceiptSlip?>(null);
}

/// <summary>
/// The slips the print view shows: the one the receiving screen just saved or queued (remembered in this tab, so it
/// prints at once and offline), a receipt read back from the server (a reprint), or a capture the offline queue holds.
/// </summary>
public sealed class Slips(CooperativeApi api, IProvisionalSlips provisional)
{
    private readonly Dictionary<Guid, ReceiptSlip> _receipts = [];
    private readonly Dictionary<string, ReceiptSlip> _provisional = new(StringComparer.Ordinal);

    public void Remember(Guid receiptId, ReceiptSlip slip) => _receipts[receiptId] = slip;

    public void RememberProvisional(ReceiptSlip slip) => _provisional[slip.ProvisionalNo ?? throw new ArgumentException("no provisional number", nameof(slip))] = slip;

    /// <summary>A server receipt's slip; throws <see cref="ApiProblem"/> (404 for another cooperative's) or HttpRequestException.</summary>
    public async Task<ReceiptSlip> ReceiptAsync(Guid id, Caller clerk, CancellationToken ct = default)
    {
        if (_receipts.TryGetValue(id, out var remembered)) return remembered;
        var receipt = await api.ReceiptAsync(id, ct);
        var grower = await api.GrowerAsync(receipt.GrowerId, ct);
        return _receipts[id] = ReceiptSlip.FromReceipt(receipt, grower, clerk);
    }

    /// <summary>A capture's slip by its provisional number: the offline queue's word first (it knows when it synced).</summary>
    public async Task<ReceiptSlip?> ProvisionalAsync(string provisionalNo, CancellationToken ct = default) =>
        await provisional.FindAsync(provisionalNo, ct) ?? _provisional.GetValueOrDefault(provisionalNo);
}
