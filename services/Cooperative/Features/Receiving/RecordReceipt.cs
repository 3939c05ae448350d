using MelonChain.Messages;
using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Profile.Profile;
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
        Request request, Db db, ClaimsPrincipal user, TimeProvider clock, IConfiguration config, CancellationToken ct)
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
        var named = request.ContractId;
        // What the receipt is checked against, and the day's next number, in one round trip.
        // The number is drawn in the request's own transaction, so a refused receipt gives its number back; the day's
        // counter row stays locked only until the receipt's commit, one round trip later.
        Rules? rules = null;
        GrowerRow? grower = null;
        var namedIsTheGrowers = false;
        EndRow? end = null;
        int next;
        await using (var read = await db.BatchAsync([
            Db.Statement(RulesSql, coop),
            Db.Statement("select member_no, kind, contract_id, growing_grower_id from growers where id = $1 and cooperative_id = $2", request.GrowerId, coop),
            // The named contract must be a signed contract of this same grower (ContractGrowing's grower the member was
            // made from) with this cooperative: fulfilment and provenance follow it.
            Db.Statement(
                """
                select exists (select 1 from contract_terms t join growers g on g.growing_grower_id = t.growing_grower_id
                               where t.contract_id = $1::uuid and t.cooperative_id = $2 and g.id = $3 and g.cooperative_id = $2)
                """, named, coop, request.GrowerId),
            // How the contract the receipt falls under (the named one, else the grower's) ended, if it has.
            Db.Statement(
                """
                select ended_as, ended_on from contract_ends
                where cooperative_id = $2
                  and contract_id = coalesce($1::uuid, (select contract_id from growers where id = $3 and cooperative_id = $2))
                """, named, coop, request.GrowerId),
            Db.Statement(
                """
                insert into receipt_counters (cooperative_id, day, last_no) values ($1, $2, 1)
                on conflict (cooperative_id, day) do update set last_no = receipt_counters.last_no + 1
                returning last_no
                """, coop, receivedOn),
        ], ct))
        {
            if (await read.ReadAsync(ct))
                rules = new Rules(read.GetString(0), read.GetInt32(1), read.GetInt64(2), read.GetInt32(3), read.GetInt32(4));
            await read.NextResultAsync(ct);
            if (await read.ReadAsync(ct))
                grower = new GrowerRow(read.GetString(0), read.GetString(1), read.IsDBNull(2) ? null : read.GetGuid(2), read.IsDBNull(3) ? null : read.GetGuid(3));
            await read.NextResultAsync(ct);
            await read.ReadAsync(ct);
            namedIsTheGrowers = read.GetBoolean(0);
            await read.NextResultAsync(ct);
            if (await read.ReadAsync(ct))
                end = new EndRow(read.GetString(0), read.GetFieldValue<DateOnly>(1));
            await read.NextResultAsync(ct);
            await read.ReadAsync(ct);
            next = read.GetInt32(0);
        }
        if (rules is null) throw Profile.Profile.Required();
        if (grower is null) throw Problem.Invalid("growerId", "is not a grower of this cooperative");
        var contractId = named ?? grower.ContractId;
        if (contractId is not null && grower.Kind != "contract")
            throw Problem.Invalid("contractId", "only a contract grower delivers under a contract");
        if (named is { } n && n != grower.ContractId && !namedIsTheGrowers)
            throw Problem.Invalid("contractId", "is not a contract of this grower signed with this cooperative");
        if (contractId is { } under)
            RefuseAfterEnd(end, under, request.HarvestedOn!.Value);

        var receiptNo = ReceiptNumber(rules.ReceiptPrefix, receivedOn, next);
        var receipt = new Receipt(Guid.CreateVersion7(), receiptNo, request.GrowerId, grower.MemberNo, contractId,
            request.HarvestedOn!.Value, request.GrossKg, request.Crates, request.Note?.Trim(), receivedAt,
            request.GrowerCertificate?.Presented ?? false, request.GrowerCertificate?.Number?.Trim(), capturedAt);
        // The receipt and its outbox row go with the commit (and the stored response), in its round trip.
        db.Later(Db.Statement(
            """
            insert into receipts (id, cooperative_id, receipt_no, grower_id, contract_id, harvested_on, gross_grams, crates, note, received_at, recorded_by,
                                  grower_certificate_presented, grower_certificate_no, captured_at)
            values ($1, $2, $3, $4, $5::uuid, $6, $7, $8, $9::text, $10, $11, $12, $13::text, $14::timestamptz)
            """, receipt.Id, coop, receipt.ReceiptNo, receipt.GrowerId, receipt.ContractId, receipt.HarvestedOn,
            Weight.ToGrams(receipt.GrossKg), receipt.Crates, receipt.Note, receipt.ReceivedAt,
            user.Subject(), receipt.GrowerCertificatePresented, receipt.GrowerCertificateNo, receipt.CapturedAt));
        await db.Publish(new HarvestReceived(Guid.NewGuid(), now, coop, receipt.Id, receipt.ReceiptNo, receipt.GrowerId,
            receipt.MemberNo, receipt.ContractId, receipt.HarvestedOn, Weight.ToGrams(receipt.GrossKg), receipt.Crates, receipt.ReceivedAt), ct);
        return TypedResults.Created($"/api/v1/cooperative/receipts/{receipt.Id}", receipt);
    }

    private sealed record EndRow(string EndedAs, DateOnly EndedOn);

    private const string RulesSql =
        """
        select receipt_prefix, commission_bps, box_fee_fen, max_shrink_bps, max_lot_age_days
        from cooperative_profiles where cooperative_id = $1
        """;

    /// <summary>CQ-20260612-0007: the profile's prefix, the China day, the day's counter (at least four digits).</summary>
    public static string ReceiptNumber(string prefix, DateOnly day, int next) => $"{prefix}-{day:yyyyMMdd}-{next:D4}";

    /// <summary>
    /// The contract ended on a China date: melons harvested before it and brought in late are still its own; a harvest of
    /// that day or later is not (the officer completes a contract after its last delivery).
    /// </summary>
    private static void RefuseAfterEnd(EndRow? end, Guid contractId, DateOnly harvestedOn)
    {
        if (end is not null && harvestedOn >= end.EndedOn)
            throw Problem.Unprocessable(ContractEnded,
                $"The contract was {end.EndedAs} on {end.EndedOn:yyyy-MM-dd}: a harvest of that day or later is not received under it; name the grower's current contract.",
                new Dictionary<string, object?> { ["contractId"] = contractId, ["endedAs"] = end.EndedAs, ["endedOn"] = end.EndedOn });
    }
}
