using System.Text.Json.Serialization;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Dispatch.Features.Claims;

/// <summary>The reasons a carrier is asked for compensation.</summary>
public static class CarrierClaimReasons
{
    /// <summary>The carrier declared the parcels lost: the claim covers every box of the carrier order.</summary>
    public const string Lost = "lost";

    /// <summary>Damaged in transit: the claim covers the box of the waybill named (JD: every box of its one waybill).</summary>
    public const string Damaged = "damaged";

    public static readonly IReadOnlyList<string> All = [Lost, Damaged];
}

/// <summary>Where a carrier claim stands.</summary>
public static class CarrierClaimStatuses
{
    public const string Filed = "filed";
    public const string Accepted = "accepted";
    public const string Refused = "refused";
    public const string Paid = "paid";

    public static readonly IReadOnlyList<string> All = [Filed, Accepted, Refused, Paid];
}

/// <summary>
/// 理赔: the clerk or dispatcher asks the carrier for compensation for a lost or damaged parcel; the
/// <see cref="CarrierClaimWorker"/> files it with the carrier and waits for the payment, which is published once as
/// carrier-compensation-paid (the Cooperative books it to the pool).
/// </summary>
public static class CarrierClaims
{
    /// <summary>
    /// A carrier_claims row: as the clerk reads it, and as the <see cref="CarrierClaimWorker"/> takes it to ask the carrier
    /// (settable properties: Dapper fills a text[] column only through a property).
    /// </summary>
    public sealed record CarrierClaim
    {
        public Guid Id { get; init; }

        /// <summary>Whose claim it is: the caller's own on every answer, so not shown; the worker publishes with it.</summary>
        [JsonIgnore]
        public string CooperativeId { get; init; } = "";

        public Guid ShipmentId { get; init; }
        public Guid OrderId { get; init; }
        public string Carrier { get; init; } = "";
        public string WaybillNo { get; init; } = "";
        public string Reason { get; init; } = "";
        public long AmountFen { get; init; }
        public string[] TraceCodes { get; init; } = [];
        public string Status { get; init; } = "";
        public string? CarrierClaimNo { get; init; }
        public string? Refusal { get; init; }
        public long? PaidFen { get; init; }
        public DateTimeOffset FiledAt { get; init; }
        public DateTimeOffset? AnsweredAt { get; init; }
        public DateTimeOffset? PaidAt { get; init; }
    }

    public const string Columns =
        "id, cooperative_id, shipment_id, order_id, carrier, waybill_no, reason, amount_fen, trace_codes, status, carrier_claim_no, refusal, paid_fen, filed_at, answered_at, paid_at";

    public static RouteGroupBuilder MapCarrierClaims(this RouteGroupBuilder api)
    {
        var shipments = api.MapGroup("/shipments").RequireRoles(Roles.Dispatcher, Roles.Clerk).WithTags("Carrier claims");
        FileCarrierClaim.Map(shipments);
        ListCarrierClaims.Map(shipments);
        return api;
    }
}
