using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Settlement;

/// <summary>
/// 成员往来: a grower's ledger — credits from settlements, guarantee top-ups and surplus returns, debits for catalogue
/// deductions, advances and payments made, the opposite entries of a reversed settlement, and (for nothing) each
/// netting of advances and balances owed on a statement. The balance is what the cooperative owes the grower (below
/// zero: what the grower owes). Every entry names its source the clerk can open. Yearly volume is kept for the surplus return.
/// Posting a payment or an advance needs an Idempotency-Key (428 without one).
/// </summary>
public static class MemberAccount
{
    /// <summary>Where an entry comes from: a settlement (its statement), a surplus return, or the advance or payment itself.</summary>
    public sealed record Source(string Type, Guid Id, string Href);

    public sealed record Entry(Guid Id, string Kind, long AmountFen, Guid? SettlementId, string? Note, DateTimeOffset EnteredAt, Source Source);

    private sealed record EntryRow(Guid Id, string Kind, long AmountFen, Guid? SettlementId, Guid? SurplusReturnId, string? Note, DateTimeOffset EnteredAt);

    internal static Entry Own(Guid growerId, Guid id, string kind, long amountFen, string? note, DateTimeOffset enteredAt) =>
        new(id, kind, amountFen, null, note, enteredAt, new Source(kind, id, $"/api/v1/cooperative/growers/{growerId}/account#{id}"));

    private static Entry ToEntry(Guid growerId, EntryRow e) => e switch
    {
        { SettlementId: { } s } => new Entry(e.Id, e.Kind, e.AmountFen, s, e.Note, e.EnteredAt,
            new Source("settlement", s, $"/api/v1/cooperative/settlements/{s}/statements/{growerId}")),
        { SurplusReturnId: { } r } => new Entry(e.Id, e.Kind, e.AmountFen, null, e.Note, e.EnteredAt,
            new Source("surplus-return", r, $"/api/v1/cooperative/surplus-returns/{r}")),
        _ => Own(growerId, e.Id, e.Kind, e.AmountFen, e.Note, e.EnteredAt),
    };

    public sealed record Volume(int Year, decimal SoldKg, long PayoutFen);

    public sealed record Account(Guid GrowerId, long BalanceFen, IReadOnlyList<Entry> Entries, IReadOnlyList<Volume> YearlyVolume);

    public sealed record Payment(long AmountFen, string? Note);

    public static void Map(RouteGroupBuilder api)
    {
        var account = api.MapGroup("/growers/{id:guid}/account").RequireRoles(Roles.Clerk).WithTags("Settlement");
        account.MapGet("/", Get).WithName("GetMemberAccount");
        account.MapPost("/payments", Pay).WithName("RecordPayment").RequiresIdempotencyKey();
        RecordAdvance.Map(account);
        DeductionCatalogue.Map(api);
    }

    private static async Task<Ok<Account>> Get(Guid id, Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        var coop = user.CooperativeId();
        _ = await db.QuerySingleOrDefaultAsync<Guid?>("select id from growers where id = @Id and cooperative_id = @Coop", new { Id = id, Coop = coop }, ct)
            ?? throw Problem.NotFound("grower");
        // The nettings are entries of nothing: they explain why a statement paid less than it credited.
        var entries = (await db.QueryAsync<EntryRow>(
            """
            select id, kind, amount_fen, settlement_id, surplus_return_id, note, entered_at from account_entries where grower_id = @Id
            union all
            select a.settlement_id, 'netting', 0, a.settlement_id, null,
                   'netted ' || a.netted_fen || ' fen of ' || a.outstanding_fen || ' owed (advances, balances); ' || a.carried_fen || ' carried forward'
                   || case when s.reversed_at is null then '' else ' (reversed)' end, s.settled_at
            from statement_advances a join settlements s on s.id = a.settlement_id where a.grower_id = @Id and a.netted_fen > 0
            order by entered_at, id
            """, new { Id = id }, ct)).Select(e => ToEntry(id, e)).ToList();
        var volume = await db.QueryAsync<Volume>(
            "select year, sold_grams / 1000.0 as sold_kg, payout_fen from member_volume where grower_id = @Id order by year", new { Id = id }, ct);
        return TypedResults.Ok(new Account(id, entries.Sum(e => e.AmountFen), entries, volume));
    }

    private static async Task<Created<Entry>> Pay(Guid id, Payment p, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        new Validation().Range(p.AmountFen, "amountFen", 1, 100_000_000).Text(p.Note, "note", 200, required: false).ThrowIfInvalid();
        var coop = user.CooperativeId();
        _ = await db.QuerySingleOrDefaultAsync<Guid?>("select id from growers where id = @Id and cooperative_id = @Coop", new { Id = id, Coop = coop }, ct)
            ?? throw Problem.NotFound("grower");
        var entry = Own(id, Guid.CreateVersion7(), "payment", -p.AmountFen, p.Note?.Trim() ?? "payment to grower", clock.GetUtcNow());
        await db.ExecuteAsync(
            """
            insert into account_entries (id, cooperative_id, grower_id, kind, amount_fen, note, entered_at)
            values (@Id, @Coop, @GrowerId, 'payment', @AmountFen, @Note, @EnteredAt)
            """, new { entry.Id, Coop = coop, GrowerId = id, entry.AmountFen, entry.Note, entry.EnteredAt }, ct);
        return TypedResults.Created($"/api/v1/cooperative/growers/{id}/account", entry);
    }
}
