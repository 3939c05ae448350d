using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Claims;

/// <summary>
/// 理赔与客诉: a buyer (its own orders only) or a clerk files a claim on delivered boxes; a clerk decides it. An accepted
/// credit lowers the revenue of the pools the boxes were sold from (<see cref="Settlement.SettlePeriod"/>).
/// </summary>
public static class Claims
{
    /// <summary>What went wrong with the delivered boxes.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["spoiled", "damaged", "short_weight", "missing"];

    /// <summary>A claim is open until decided; a decision is one of the last two (ClaimDecided.Decision).</summary>
    public const string Open = "open", Accepted = "accepted", Rejected = "rejected";

    public static readonly IReadOnlyList<string> Statuses = [Open, Accepted, Rejected];

    /// <param name="SettlementId">The settlement that took the credit: with its order, or as adjustment lines after it.</param>
    public sealed record BuyerClaim(Guid Id, Guid OrderId, string Kind, string[] TraceCodes, decimal Kg, long CreditAskedFen, string? Note,
        DateTimeOffset FiledAt, string FiledBy, string Status, long? CreditFen, bool? CarrierLiable, string? Reason, DateTimeOffset? DecidedAt,
        string? DecidedBy, Guid? SettlementId);

    public static RouteGroupBuilder MapClaims(this RouteGroupBuilder api)
    {
        FileClaim.Map(api);
        var claims = api.MapGroup("/claims").RequireRoles(Roles.Clerk).WithTags("Claims");
        ListClaims.Map(claims);
        claims.MapGet("/{id:guid}", async (Guid id, Db db, ClaimsPrincipal user, CancellationToken ct) =>
            TypedResults.Ok(await Load(db, id, user.CooperativeId(), ct))).WithName("GetClaim");
        DecideClaim.Map(claims);
        return api;
    }

    /// <summary>A claim as stored; its boxes joined by '|' (a trace code never holds one), as Dapper reads no text[] into a record.</summary>
    public sealed record Row(Guid Id, Guid OrderId, string Kind, string TraceCodes, decimal Kg, long CreditAskedFen, string? Note,
        DateTimeOffset FiledAt, string FiledBy, string Status, long? CreditFen, bool? CarrierLiable, string? Reason, DateTimeOffset? DecidedAt,
        string? DecidedBy, Guid? SettlementId)
    {
        public BuyerClaim ToClaim() => new(Id, OrderId, Kind, TraceCodes.Split('|'), Kg, CreditAskedFen, Note, FiledAt, FiledBy, Status, CreditFen,
            CarrierLiable, Reason, DecidedAt, DecidedBy, SettlementId);
    }

    public const string ColumnsSql =
        """
        id, order_id, kind, array_to_string(trace_codes, '|') as trace_codes, grams / 1000.0 as kg, credit_asked_fen, note, filed_at, filed_by, status, credit_fen,
        carrier_liable, reason, decided_at, decided_by, settlement_id
        """;

    public static async Task<BuyerClaim> Load(Db db, Guid id, string coop, CancellationToken ct) =>
        (await db.QuerySingleOrDefaultAsync<Row>($"select {ColumnsSql} from claims where id = @Id and cooperative_id = @Coop", new { Id = id, Coop = coop }, ct)
         ?? throw Problem.NotFound("claim")).ToClaim();
}
