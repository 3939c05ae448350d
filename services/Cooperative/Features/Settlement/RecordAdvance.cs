using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Settlement.MemberAccount;

namespace MelonChain.Cooperative.Features.Settlement;

/// <summary>
/// 预付款: cash paid to a grower at harvest, before the pool closes. It is a debit on the member account at once; the
/// grower's next statement nets it against what it pays (never below zero) and the rest carries forward. Needs an
/// Idempotency-Key (428 without one): a double tap never pays twice.
/// </summary>
public static class RecordAdvance
{
    public sealed record Request(long AmountFen, string? Note);

    public static void Map(RouteGroupBuilder account) => account.MapPost("/advances", Advance).WithName("RecordAdvance").RequiresIdempotencyKey();

    private static async Task<Created<Entry>> Advance(Guid id, Request request, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        new Validation().Range(request.AmountFen, "amountFen", 1, 100_000_000).Text(request.Note, "note", 200, required: false).ThrowIfInvalid();
        var coop = user.CooperativeId();
        _ = await db.QuerySingleOrDefaultAsync<Guid?>("select id from growers where id = @Id and cooperative_id = @Coop", new { Id = id, Coop = coop }, ct)
            ?? throw Problem.NotFound("grower");
        var entry = Own(id, Guid.CreateVersion7(), "advance", -request.AmountFen, request.Note?.Trim() ?? "advance at harvest", clock.GetUtcNow());
        await db.ExecuteAsync(
            """
            insert into account_entries (id, cooperative_id, grower_id, kind, amount_fen, note, entered_at)
            values (@Id, @Coop, @GrowerId, @Kind, @AmountFen, @Note, @EnteredAt)
            """, new { entry.Id, Coop = coop, GrowerId = id, entry.Kind, entry.AmountFen, entry.Note, entry.EnteredAt }, ct);
        return TypedResults.Created($"/api/v1/cooperative/growers/{id}/account", entry);
    }
}
