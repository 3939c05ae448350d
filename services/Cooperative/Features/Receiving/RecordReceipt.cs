using MelonChain.Messages;
using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Receiving.Receiving;

namespace MelonChain.Cooperative.Features.Receiving;

/// <summary>
/// A clerk records a grower's delivery: harvest date (today or up to 7 days back), gross kg (up to 2,000 kg),
/// crates, and whether the grower presented their own 承诺达标合格证 (with its number, if it has one; the collector
/// keeps them). The receipt gets a readable number sequential per cooperative and day, e.g. CQ-20260612-0007 (the prefix is the cooperative's profile).
/// A contract that ended (completed or terminated) receives no harvest dated the day it ended or later (422 contract-ended).
/// A receipt captured offline carries <c>capturedAt</c> (<see cref="CapturedAt"/>): it is then the received time, its
/// number is of that China day, and the harvest date is judged against that day, as it was at the counter.
/// </summary>
public static class RecordReceipt
{
    public const string ContractEnded = "contract-ended";

    public sealed record Request(Guid GrowerId, DateOnly? HarvestedOn, decimal GrossKg, int Crates, Guid? ContractId, string? Note,
        GrowerCertificate? GrowerCertificate, string? CapturedAt = null);

    public static void Map(RouteGroupBuilder receipts) => receipts.MapPost("/", Handle).WithName("RecordReceipt").Problems(409, ProblemTypes.ProfileRequired)
        .Problems(422, ContractEnded);

    private sealed record GrowerRow(string MemberNo, string Kind, Guid? ContractId, Guid? GrowingGrowerId);

    private static async Task<Created<Receipt>> Handle(
        Request request, Db db, ReceiptNumbers numbers, ClaimsPrincipal user, TimeProvider clock, IConfiguration config, CancellationToken ct)
    {
        var maxGrossKg = config.GetValue("Receiving:MaxGrossKg", 2000m);
        var maxAgeDays = config.GetValue("Receiving:MaxHarvestAgeDays", 7);
        var now = clock.GetUtcNow();
        var v = new Validation();
        var capturedAt = CapturedAt.Check(request.CapturedAt, v, now, maxAgeDays);
        var receivedAt = capturedAt ?? now;
        var receivedOn = ChinaTime.DateOf(receivedAt);
        v
            .Check(request.GrowerId != Guid.Empty, "growerId", "is required")
            .Check(request.HarvestedOn is not null, "harvestedOn", "is required")
            .Kg(request.GrossKg, "grossKg", maxGrossKg)
            .Range(request.Crates, "crates", 0, 500)
            .Text(request.Note, "note", 500, required: false)
            .Text(request.GrowerCertificate?.Number, "growerCertificate.number", 40, required: false)
            .Check(request.GrowerCertificate is not { Presented: false, Number: not null }, "growerCertificate.number",
                "a certificate that was not presented has no number");
        if (request.HarvestedOn is { } day)
        {
            var since = capturedAt is null ? "" : " before capturedAt";
            v.Check(day <= receivedOn, "harvestedOn", capturedAt is null ? "must not be in the future" : "must not be after the day of capturedAt")
             .Check(day >= receivedOn.AddDays(-maxAgeDays), "harvestedOn", $"must be within the last {maxAgeDays} days{since}");
        }
        v.ThrowIfInvalid();

        var coop = user.CooperativeId();
        var rules = await Profile.Profile.RulesAsync(db, coop, ct);
        var grower = await db.QuerySingleOrDefaultAsync<GrowerRow>(
            "select member_no, kind, contract_id, growing_grower_id from growers where id = @Id and cooperative_id = @Coop",
            new { Id = request.GrowerId, Coop = coop }, ct) ?? throw Problem.Invalid("growerId", "is not a grower of this cooperative");
        var contractId = request.ContractId ?? grower.ContractId;
        if (contractId is not null && grower.Kind != "contract")
            throw Problem.Invalid("contractId", "only a contract grower delivers under a contract");
        // The contract must be a signed contract of this same grower (ContractGrowing's grower the member was made from)
        // with this cooperative: fulfilment and provenance follow it.
        if (request.ContractId is { } named && named != grower.ContractId
            && !await db.ExecuteScalarAsync<bool>(
                """
                select exists (select 1 from contract_terms
                               where contract_id = @Named and cooperative_id = @Coop and growing_grower_id = @GrowingGrowerId)
                """, new { Named = named, Coop = coop, grower.GrowingGrowerId }, ct))
            throw Problem.Invalid("contractId", "is not a contract of this grower signed with this cooperative");
        if (contractId is { } under)
            await RefuseAfterEnd(db, coop, under, request.HarvestedOn!.Value, ct);

        var receiptNo = await numbers.NextAsync(coop, rules.ReceiptPrefix, receivedOn, ct);
        var receipt = new Receipt(Guid.CreateVersion7(), receiptNo, request.GrowerId, grower.MemberNo, contractId,
            request.HarvestedOn!.Value, request.GrossKg, request.Crates, request.Note?.Trim(), receivedAt,
            request.GrowerCertificate?.Presented ?? false, request.GrowerCertificate?.Number?.Trim(), capturedAt);
        await db.ExecuteAsync(
            """
            insert into receipts (id, cooperative_id, receipt_no, grower_id, contract_id, harvested_on, gross_grams, crates, note, received_at, recorded_by,
                                  grower_certificate_presented, grower_certificate_no, captured_at)
            values (@Id, @Coop, @ReceiptNo, @GrowerId, @ContractId, @HarvestedOn, @GrossGrams, @Crates, @Note, @ReceivedAt, @RecordedBy,
                    @GrowerCertificatePresented, @GrowerCertificateNo, @CapturedAt)
            """, new { receipt.Id, Coop = coop, receipt.ReceiptNo, receipt.GrowerId, receipt.ContractId, receipt.HarvestedOn,
                       GrossGrams = Weight.ToGrams(receipt.GrossKg), receipt.Crates, receipt.Note, receipt.ReceivedAt,
                       RecordedBy = user.Subject(), receipt.GrowerCertificatePresented, receipt.GrowerCertificateNo, receipt.CapturedAt }, ct);
        await db.Publish(new HarvestReceived(Guid.NewGuid(), now, coop, receipt.Id, receipt.ReceiptNo, receipt.GrowerId,
            receipt.MemberNo, receipt.ContractId, receipt.HarvestedOn, Weight.ToGrams(receipt.GrossKg), receipt.Crates, receipt.ReceivedAt), ct);
        return TypedResults.Created($"/api/v1/cooperative/receipts/{receipt.Id}", receipt);
    }

    private sealed record EndRow(string EndedAs, DateOnly EndedOn);

    /// <summary>
    /// The contract ended on a China date: melons harvested before it and brought in late are still its own; a harvest of
    /// that day or later is not (the officer completes a contract after its last delivery).
    /// </summary>
    private static async Task RefuseAfterEnd(Db db, string coop, Guid contractId, DateOnly harvestedOn, CancellationToken ct)
    {
        var end = await db.QuerySingleOrDefaultAsync<EndRow>(
            "select ended_as, ended_on from contract_ends where contract_id = @ContractId and cooperative_id = @Coop",
            new { ContractId = contractId, Coop = coop }, ct);
        if (end is not null && harvestedOn >= end.EndedOn)
            throw Problem.Unprocessable(ContractEnded,
                $"The contract was {end.EndedAs} on {end.EndedOn:yyyy-MM-dd}: a harvest of that day or later is not received under it; name the grower's current contract.",
                new Dictionary<string, object?> { ["contractId"] = contractId, ["endedAs"] = end.EndedAs, ["endedOn"] = end.EndedOn });
    }
}
