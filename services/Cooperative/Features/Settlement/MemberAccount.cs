using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Settlement;

/// <summary>
/// 成员往来: a grower's ledger — credits from settlements, guarantee top-ups and surplus returns, debits for catalogue
/// deductions, advances and payments made. The
/// balance is what the cooperative owes the grower. Yearly volume is kept for the surplus return.
/// </summary>
public static class MemberAccount
{
    public sealed record Entry(Guid Id, string Kind, long AmountFen, Guid? SettlementId, string? Note, DateTimeOffset EnteredAt);

    public sealed record Volume(int Year, decimal SoldKg, long PayoutFen);

    public sealed record Account(Guid GrowerId, long BalanceFen, IReadOnlyList<Entry> Entries, IReadOnlyList<Volume> YearlyVolume);

    public sealed record Payment(long AmountFen, string? Note);

    public static void Map(RouteGroupBuilder api)
    {
        var account = api.MapGroup("/growers/{id:guid}/account").RequireRoles(Roles.Clerk).WithTags("Settlement");
        account.MapGet("/", Get).WithName("GetMemberAccount");
        account.MapPost("/payments", Pay).WithName("RecordPayment");
        RecordAdvance.Map(account);
        DeductionCatalogue.Map(api);
    }

    private static async Task<Ok<Account>> Get(Guid id, Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        var coop = user.CooperativeId();
        _ = await db.QuerySingleOrDefaultAsync<Guid?>("select id from growers where id = @Id and cooperative_id = @Coop", new { Id = id, Coop = coop }, ct)
            ?? throw Problem.NotFound("grower");
        var entries = await db.QueryAsync<Entry>(
            "select id, kind, amount_fen, settlement_id, note, entered_at from account_entries where grower_id = @Id order by entered_at, id", new { Id = id }, ct);
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
        var entry = new Entry(Guid.CreateVersion7(), "payment", -p.AmountFen, null, p.Note?.Trim() ?? "payment to grower", clock.GetUtcNow());
        await db.ExecuteAsync(
            """
            insert into account_entries (id, cooperative_id, grower_id, kind, amount_fen, note, entered_at)
            values (@Id, @Coop, @GrowerId, 'payment', @AmountFen, @Note, @EnteredAt)
            """, new { entry.Id, Coop = coop, GrowerId = id, entry.AmountFen, entry.Note, entry.EnteredAt }, ct);
        return TypedResults.Created($"/api/v1/cooperative/growers/{id}/account", entry);
    }
}
