using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Receiving;

/// <summary>统一收货: the cooperative receives every member's harvest at one place, weighed and numbered.</summary>
public static class Receiving
{
    public static RouteGroupBuilder MapReceiving(this RouteGroupBuilder api)
    {
        var receipts = api.MapGroup("/receipts").RequireRoles(Roles.Clerk).WithTags("Receiving");
        RecordReceipt.Map(receipts);
        ListReceipts.Map(receipts);
        return api;
    }

    /// <summary>The grower's own 承诺达标合格证 for a delivery: whether it was presented, and its number if it has one.</summary>
    public sealed record GrowerCertificate(bool Presented, string? Number);

    public sealed record Receipt(
        Guid Id, string ReceiptNo, Guid GrowerId, string MemberNo, Guid? ContractId, DateOnly HarvestedOn,
        decimal GrossKg, int Crates, string? Note, DateTimeOffset ReceivedAt, bool GrowerCertificatePresented, string? GrowerCertificateNo,
        DateTimeOffset? CapturedAt);

    /// <summary>The columns of <see cref="Receipt"/>, for queries joining receipts r and growers g.</summary>
    public const string ReceiptColumns =
        "r.id, r.receipt_no, r.grower_id, g.member_no, r.contract_id, r.harvested_on, r.gross_grams / 1000.0 as gross_kg, r.crates, r.note, r.received_at, " +
        "r.grower_certificate_presented, r.grower_certificate_no, r.captured_at";
}
