using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Claims.Claims;

namespace MelonChain.Cooperative.Features.Claims;

/// <summary>
/// Filing a claim on delivered boxes of an order: kind, the boxes, the kg affected (no more than they hold), the credit
/// asked in fen, a note. A buyer may claim on its own orders only: another buyer's order is 404, as if it did not exist.
/// A box not delivered (on its way, returned, lost) is 422 naming <c>traceCodes</c>: lost boxes are the carrier's claim.
/// A filing asks for money, so it needs an Idempotency-Key (428 without one): a retry with the same key answers the first
/// claim again and files nothing; the same key sent twice at once files one (the other is 409 while the first runs).
/// </summary>
public static class FileClaim
{
    public sealed record Request(string? Kind, IReadOnlyList<string>? TraceCodes, decimal? Kg, long? CreditFen, string? Note);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/orders/{id:guid}/claims", File).RequireRoles(Roles.Buyer, Roles.Clerk).RequiresIdempotencyKey().WithTags("Claims")
            .WithName("FileClaim");

    private static async Task<Created<BuyerClaim>> File(Guid id, Request r, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var codes = (r.TraceCodes ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).Distinct().ToArray();
        var v = new Validation().OneOf(r.Kind, "kind", Kinds.ToArray())
            .Check(codes.Length > 0, "traceCodes", "name at least one delivered box")
            .Check(r.CreditFen is > 0 and <= 100_000_000_00, "creditFen", "must be a positive amount in fen")
            .Text(r.Note, "note", 500, required: false);
        if (r.Kg is not { } kg) v.Fail("kg", "is required"); else v.Kg(kg, "kg", 60_000m);
        v.ThrowIfInvalid();
        var coop = user.CooperativeId();
        var buyer = user.IsInRole(Roles.Buyer) && !user.IsInRole(Roles.Clerk)
            ? user.BuyerId() ?? throw new ProblemException(403, "no-buyer", "Forbidden", "The token names no buyer.")
            : (Guid?)null;
        _ = await db.QuerySingleOrDefaultAsync<Guid?>(
            "select id from orders where id = @Id and cooperative_id = @Coop and (@Buyer::uuid is null or buyer_id = @Buyer)",
            new { Id = id, Coop = coop, Buyer = buyer }, ct) ?? throw Problem.NotFound("order");
        var boxes = (await db.QueryAsync<(string TraceCode, string? Outcome, long Grams)>(
            $"select b.trace_code, {Sales.Orders.BoxOutcomeSql} as outcome, b.net_grams from boxes b join orders o on o.id = b.order_id where b.order_id = @Id and b.trace_code = any(@Codes)",
            new { Id = id, Codes = codes }, ct)).ToDictionary(b => b.TraceCode);
        var notDelivered = codes.Where(c => !boxes.TryGetValue(c, out var b) || b.Outcome != "delivered").ToList();
        if (notDelivered.Count > 0) throw Problem.Invalid("traceCodes", $"not delivered boxes of this order: {string.Join(", ", notDelivered)}");
        var grams = Weight.ToGrams(r.Kg!.Value);
        if (grams > boxes.Values.Sum(b => b.Grams)) throw Problem.Invalid("kg", $"must be no more than the boxes hold ({Weight.ToKg(boxes.Values.Sum(b => b.Grams))} kg)");

        var claimId = Guid.CreateVersion7();
        await db.ExecuteAsync(
            """
            insert into claims (id, cooperative_id, order_id, kind, trace_codes, grams, credit_asked_fen, note, filed_at, filed_by)
            values (@ClaimId, @Coop, @Id, @Kind, @Codes, @Grams, @CreditFen, @Note, @Now, @By)
            """, new { ClaimId = claimId, Coop = coop, Id = id, r.Kind, Codes = codes, Grams = grams, r.CreditFen, Note = r.Note?.Trim(),
                       Now = clock.GetUtcNow(), By = user.Subject() }, ct);
        return TypedResults.Created($"/api/v1/cooperative/claims/{claimId}", await Load(db, claimId, coop, ct));
    }
}
