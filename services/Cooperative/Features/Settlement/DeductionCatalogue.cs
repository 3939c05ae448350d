using MelonChain.Messages;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Settlement;

/// <summary>
/// 扣款目录: the deductions the cooperative takes beyond freight, boxes and commission (a sorting fee per kg, a crate
/// rent per box, a share of revenue for the fund, a fixed fee per statement). <c>PUT</c> replaces the whole catalogue
/// (the admin's decision); a settlement applies the rules in force on its last day and its statements keep what was
/// applied, so changing the catalogue never changes a settled statement. <c>amount</c> is in the basis's unit: fen per
/// kg sold, fen per box, basis points of revenue, or fen per statement.
/// </summary>
public static class DeductionCatalogue
{
    public const int MaxRules = 20;

    public sealed record RuleEntry(string? Name, string? Basis, long Amount, string? Grade, DateOnly? EffectiveFrom, DateOnly? EffectiveTo);

    public sealed record Request(IReadOnlyList<RuleEntry>? Rules);

    public sealed record Rule(Guid Id, string Name, string Basis, long Amount, string? Grade, DateOnly EffectiveFrom, DateOnly? EffectiveTo);

    public sealed record Catalogue(IReadOnlyList<Rule> Rules);

    public static void Map(RouteGroupBuilder api)
    {
        var rules = api.MapGroup("/deduction-rules").WithTags("Settlement");
        rules.MapGet("/", Get).RequireRoles(Roles.Clerk, Roles.Admin).WithName("GetDeductionRules");
        rules.MapPut("/", Put).RequireRoles(Roles.Admin).WithName("SaveDeductionRules");
    }

    private static async Task<Ok<Catalogue>> Get(Db db, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(new Catalogue((await db.QueryAsync<Rule>(
            "select id, name, basis, amount, grade, effective_from, effective_to from deduction_rules where cooperative_id = @Coop order by position",
            new { Coop = user.CooperativeId() }, ct)).ToList()));

    private static async Task<Ok<Catalogue>> Put(Request request, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var entries = request.Rules ?? [];
        var v = new Validation().Check(request.Rules is not null && entries.Count <= MaxRules, "rules", $"a list of at most {MaxRules} rules is required");
        foreach (var (rule, i) in entries.Select((r, i) => (r, i)))
        {
            v.Text(rule.Name, $"rules[{i}].name", 40).OneOf(rule.Basis, $"rules[{i}].basis", Deductions.Bases.All)
             .Check(rule.Grade is null || Grades.All.Contains(rule.Grade), $"rules[{i}].grade", $"must be one of: {string.Join(", ", Grades.All)}")
             .Check(rule.EffectiveFrom is not null, $"rules[{i}].effectiveFrom", "is required")
             .Period(rule.EffectiveFrom, rule.EffectiveTo ?? rule.EffectiveFrom, maxDays: 36_500);
            if (rule.Basis is not null && Deductions.Check(rule.Basis, rule.Amount) is { } problem) v.Fail($"rules[{i}].amount", problem);
        }
        v.Check(entries.Select(r => r.Name?.Trim()).Distinct().Count() == entries.Count, "rules", "each name at most once");
        v.ThrowIfInvalid();

        var coop = user.CooperativeId();
        var saved = entries.Select(r => new Rule(Guid.CreateVersion7(), r.Name!.Trim(), r.Basis!, r.Amount, r.Grade, r.EffectiveFrom!.Value, r.EffectiveTo)).ToList();
        // Saving the same catalogue again changes nothing (a PUT repeated, a replayed script).
        var current = (await Get(db, user, ct)).Value!.Rules;
        if (current.Select(r => r with { Id = Guid.Empty }).SequenceEqual(saved.Select(r => r with { Id = Guid.Empty })))
            return TypedResults.Ok(new Catalogue(current));
        await db.ExecuteAsync("delete from deduction_rules where cooperative_id = @Coop", new { Coop = coop }, ct);
        await db.ExecuteAsync(
            """
            insert into deduction_rules (id, cooperative_id, position, name, basis, amount, grade, effective_from, effective_to, saved_at, saved_by)
            select r.id, @Coop, r.position, r.name, r.basis, r.amount, r.grade, r.effective_from, r.effective_to, @Now, @By
            from unnest(@Ids, @Positions, @Names, @Bases, @Amounts, @Grades, @Froms, @Tos)
                 as r(id, position, name, basis, amount, grade, effective_from, effective_to)
            """, new
            {
                Coop = coop, Now = clock.GetUtcNow(), By = user.Subject(), Ids = saved.Select(r => r.Id).ToArray(),
                Positions = Enumerable.Range(1, saved.Count).ToArray(), Names = saved.Select(r => r.Name).ToArray(), Bases = saved.Select(r => r.Basis).ToArray(),
                Amounts = saved.Select(r => r.Amount).ToArray(), Grades = saved.Select(r => r.Grade).ToArray(),
                Froms = saved.Select(r => r.EffectiveFrom).ToArray(), Tos = saved.Select(r => r.EffectiveTo).ToArray(),
            }, ct);
        return TypedResults.Ok(new Catalogue(saved));
    }
}
