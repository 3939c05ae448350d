using MelonChain.Messages.Dispatch;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Dispatch.Features.Claims.CarrierClaims;

namespace MelonChain.Dispatch.Features.Claims;

/// <summary>
/// <c>POST /shipments/{id}/carrier-claims {waybillNo, reason, amountFen}</c> (Idempotency-Key): asks the carrier for
/// compensation. <c>lost</c> needs the waybill's carrier order declared lost (409 <c>not-lost</c>) and covers all its
/// boxes; <c>damaged</c> needs it ended (409 <c>not-ended</c>) and covers the waybill's box. The amount is at most the
/// carrier's limit without insured value (<c>Carrier:{carrier}:CompensationLimitFenPerParcel</c>, 2,000 yuan) per box
/// covered — nothing is declared at booking — 422 naming <c>amountFen</c> above it. One open claim per waybill (409
/// <c>already-claimed</c>). The claim is kept here and filed with the carrier by the worker, outside this transaction.
/// </summary>
public static class FileCarrierClaim
{
    public sealed record Request(string? WaybillNo, string? Reason, long? AmountFen);

    public const long DefaultLimitFenPerParcel = 200_000;

    private sealed record Covered(string Carrier, Guid OrderId, int Part, string? Outcome, bool IsMaster);

    public static void Map(RouteGroupBuilder shipments) =>
        shipments.MapPost("/{id:guid}/carrier-claims", Handle).RequiresIdempotencyKey().WithName("FileCarrierClaim")
            .Problems(409, "not-lost", "not-ended", "already-claimed");

    private static async Task<Created<CarrierClaim>> Handle(Guid id, Request request, Db db, ClaimsPrincipal user, IConfiguration config,
        TimeProvider clock, CancellationToken ct)
    {
        new Validation()
            .Check(!string.IsNullOrWhiteSpace(request.WaybillNo) && request.WaybillNo.Length <= 40, "waybillNo", "is required")
            .Check(request.Reason is not null && CarrierClaimReasons.All.Contains(request.Reason), "reason", $"must be one of: {string.Join(", ", CarrierClaimReasons.All)}")
            .Check(request.AmountFen is > 0, "amountFen", "must be a positive amount in fen")
            .ThrowIfInvalid();
        var coop = user.CooperativeId();
        if (await db.ExecuteScalarAsync<Guid?>("select id from shipments where id = @Id and cooperative_id = @Coop for update",
                new { Id = id, Coop = coop }, ct) is null)
            throw Problem.NotFound("shipment");
        var covered = await db.QuerySingleOrDefaultAsync<Covered>(
            """
            select s.carrier, s.order_id, o.part, o.outcome, (o.master_waybill_no = @WaybillNo) as is_master
            from shipments s join carrier_orders o on o.shipment_id = s.id
            where s.id = @Id and (o.master_waybill_no = @WaybillNo
                  or exists (select 1 from waybills w where w.shipment_id = s.id and w.part = o.part and w.waybill_no = @WaybillNo))
            limit 1
            """, new { Id = id, request.WaybillNo }, ct)
            ?? throw Problem.Invalid("waybillNo", "is not a waybill of this shipment");
        if (request.Reason == CarrierClaimReasons.Lost && covered.Outcome != PartOutcomes.Lost)
            throw Problem.Conflict("not-lost", "The carrier has not declared this waybill's carrier order lost; chase it first (GET /overdue-parts).");
        if (covered.Outcome is null)
            throw Problem.Conflict("not-ended", "The waybill's carrier order is still on its way; claim damage once it has been delivered or returned.");
        var ownBox = await db.QueryAsync<string>("select trace_code from waybills where shipment_id = @Id and waybill_no = @WaybillNo",
            new { Id = id, request.WaybillNo }, ct);
        var traceCodes = request.Reason == CarrierClaimReasons.Damaged && ownBox.Count > 0
            ? ownBox
            : await db.QueryAsync<string>("select trace_code from waybills where shipment_id = @Id and part = @Part order by kind desc, waybill_no",
                new { Id = id, covered.Part }, ct);
        var limit = config.GetValue($"Carrier:{covered.Carrier}:CompensationLimitFenPerParcel", DefaultLimitFenPerParcel) * traceCodes.Count;
        if (request.AmountFen > limit)
            throw Problem.Invalid("amountFen", $"must be at most {limit} fen: the carrier's limit without insured value for {traceCodes.Count} box(es)");
        if (await db.ExecuteScalarAsync<Guid?>("select id from carrier_claims where waybill_no = @WaybillNo and status <> 'refused'",
                new { request.WaybillNo }, ct) is { } existing)
            throw Problem.Conflict("already-claimed", "This waybill already has a claim with the carrier.", new Dictionary<string, object?> { ["carrierClaimId"] = existing });

        var claimId = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        var claim = await db.QuerySingleAsync<CarrierClaim>(
            $"""
            insert into carrier_claims (id, cooperative_id, shipment_id, order_id, carrier, waybill_no, reason, amount_fen, trace_codes, status,
                                        filed_at, filed_by, next_attempt_at)
            values (@ClaimId, @Coop, @Id, @OrderId, @Carrier, @WaybillNo, @Reason, @AmountFen, @TraceCodes, 'filed', @Now, @By, @Now)
            returning {Columns}
            """, new { ClaimId = claimId, Coop = coop, Id = id, covered.OrderId, covered.Carrier, request.WaybillNo, request.Reason, request.AmountFen,
                       TraceCodes = traceCodes.ToArray(), Now = now, By = user.Subject() }, ct);
        return TypedResults.Created($"/api/v1/dispatch/shipments/{id}/carrier-claims", claim);
    }
}
