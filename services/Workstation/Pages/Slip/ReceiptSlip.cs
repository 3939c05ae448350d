using MelonChain.Workstation.Api;
using MelonChain.Workstation.Auth;

namespace MelonChain.Workstation.Pages.Slip;

/// <summary>
/// What a 收购小票 (receipt slip) prints, whether the receipt is on the server or only captured on this device. A
/// capture made offline has a provisional number (device code and sequence) and no receipt number until it is synced;
/// once the server has answered, <see cref="ReceiptNo"/> is set and printed instead. The grower's link (the QR) is not
/// part of it: it is looked up by <see cref="GrowerId"/> (<see cref="GrowerLinkCache"/>), from the cache when offline.
/// </summary>
public sealed record ReceiptSlip(
    string Cooperative, string? ReceiptNo, string? ProvisionalNo, DateTimeOffset At, Guid GrowerId, string MemberNo,
    string MemberName, decimal GrossKg, int Crates, Guid? ContractId, string Clerk)
{
    /// <summary>Not yet on the server: the slip shows the provisional number, marked as such.</summary>
    public bool IsProvisional => ReceiptNo is null;

    /// <summary>The number printed large: the receipt number, or the provisional number until the capture is synced.</summary>
    public string Number => ReceiptNo ?? ProvisionalNo ?? throw new InvalidOperationException("a slip needs a receipt or a provisional number");

    /// <summary>A receipt the server recorded; the member's name from the register when the screen has it.</summary>
    public static ReceiptSlip FromReceipt(CooperativeApi.Receipt receipt, CooperativeApi.Grower? grower, Caller clerk) =>
        new(clerk.CooperativeId, receipt.ReceiptNo, null, receipt.ReceivedAt, receipt.GrowerId, receipt.MemberNo, grower?.Name ?? "",
            receipt.GrossKg, receipt.Crates, receipt.ContractId, clerk.Subject);

    /// <summary>A capture kept on this device (the offline queue), printed with its provisional number.</summary>
    public static ReceiptSlip FromCapture(string provisionalNo, DateTimeOffset capturedAt, CooperativeApi.Grower grower, decimal grossKg, int crates,
        Guid? contractId, Caller clerk) =>
        new(clerk.CooperativeId, null, provisionalNo, capturedAt, grower.Id, grower.MemberNo, grower.Name, grossKg, crates, contractId, clerk.Subject);

    /// <summary>The same capture once synced: the server's receipt number is printed from now on.</summary>
    public ReceiptSlip Synced(string receiptNo) => this with { ReceiptNo = receiptNo };
}
