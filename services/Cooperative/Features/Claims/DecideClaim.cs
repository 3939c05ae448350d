using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Claims.Claims;

namespace MelonChain.Cooperative.Features.Claims;

/// <summary>
/// The clerk decides a claim once: <c>accepted</c> with a credit no more than asked, or <c>rejected</c> with a reason;
/// and whether the carrier is liable. Money that moves is asked once (Idempotency-Key); a decided claim is 409
/// <c>claim-decided</c>. Publishes ClaimDecided. The credit reaches the pools at the next settlement: with its order,
/// or as adjustment lines if its order was settled already.
/// </summary>
public static class DecideClaim
{
    public sealed record Request(string? Decision, long? CreditFen, bool? CarrierLiable, string? Reason);

    private sealed record ClaimState(Guid OrderId, string Status, long Asked, string Codes);

    public const string ClaimDecidedProblem = "claim-decided";

    public static void Map(RouteGroupBuilder claims) => claims.MapPost("/{id:guid}/decision", Decide).RequiresIdempotencyKey().WithName("DecideClaim")
        .Problems(409, ClaimDecidedProblem);

    private static async Task<Ok<BuyerClaim>> Decide(Guid id, Request r, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        new Validation().OneOf(r.Decision, "decision", new[] { Claims.Accepted, Claims.Rejected })
            .Text(r.Reason, "reason", 500, required: r.Decision == Claims.Rejected).ThrowIfInvalid();
        var coop = user.CooperativeId();
        var claim = await db.QuerySingleOrDefaultAsync<ClaimState>(
            "select order_id, status, credit_asked_fen as asked, array_to_string(trace_codes, '|') as codes from claims where id = @Id and cooperative_id = @Coop for update",
            new { Id = id, Coop = coop }, ct) ?? throw Problem.NotFound("claim");
        var credit = r.Decision == Claims.Accepted ? r.CreditFen ?? claim.Asked : 0;
        new Validation().Check(r.Decision != Claims.Accepted || credit > 0 && credit <= claim.Asked, "creditFen", $"must be more than 0 and no more than the {claim.Asked} fen asked")
            .ThrowIfInvalid();
        if (claim.Status != Claims.Open)
            throw Problem.Conflict(ClaimDecidedProblem, $"The claim is {claim.Status} already.");
        var now = clock.GetUtcNow();
        await db.ExecuteAsync(
            """
            update claims set status = @Decision, credit_fen = @Credit, carrier_liable = @Liable, reason = @Reason, decided_at = @Now, decided_by = @By
            where id = @Id
            """, new { Id = id, r.Decision, Credit = credit, Liable = r.CarrierLiable ?? false, Reason = r.Reason?.Trim(), Now = now, By = user.Subject() }, ct);
        await db.Publish(new ClaimDecided(Guid.NewGuid(), now, coop, id, claim.OrderId, r.Decision!, credit, r.CarrierLiable ?? false, claim.Codes.Split('|')), ct);
        return TypedResults.Ok(await Load(db, id, coop, ct));
    }
}
