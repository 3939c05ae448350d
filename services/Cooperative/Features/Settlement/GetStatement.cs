using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Settlement.Settlements;

namespace MelonChain.Cooperative.Features.Settlement;

/// <summary>
/// A grower's statement of one settlement: receipts, graded kg, kg sold per grade at the pool price, each catalogue
/// deduction, the top-up, the advance netted and what is left of it, what is paid now and the account balance. JSON;
/// CSV with <c>Accept: text/csv</c>; a PDF a grower can read (Chinese, embedded font) with <c>Accept: application/pdf</c>
/// or at <c>…/statements/{growerId}.pdf</c>.
/// </summary>
public static class GetStatement
{
    public sealed record Receipts(int Count, decimal GrossKg, decimal GradedKg);

    public sealed record DeductionLine(string Name, string Basis, long AmountFen);

    /// <param name="PayoutFen">The pool shares (the lines) less the deductions, plus the adjustments.</param>
    /// <param name="Adjustments">Credits (negative), compensation and freight billed for orders settled earlier, each naming its order and claim or waybill.</param>
    /// <param name="TotalFen">Payout plus top-up: what the settlement credits the grower.</param>
    /// <param name="AdvanceNettedFen">Advances and balances owed by earlier statements, netted on this one (never below zero).</param>
    /// <param name="AdvanceCarriedFen">What the grower still owes after this statement (advances and balances), carried forward.</param>
    /// <param name="OwedFen">What this statement's deductions took beyond what it pays (its total below zero): owed by the grower,
    /// carried forward like an advance and netted on later statements.</param>
    /// <param name="ToPayFen">Total less the advance netted, never below zero: what is paid out for this statement.</param>
    /// <param name="BalanceFen">The member account's balance now (what the cooperative owes the grower).</param>
    /// <param name="Reversal">Null unless the settlement was reversed: then this statement's lines are kept, marked reversed.</param>
    public sealed record GrowerStatement(Guid SettlementId, DateOnly From, DateOnly To, Guid GrowerId, string MemberNo, string Name, Receipts Receipts,
        IReadOnlyList<StatementLine> Lines, IReadOnlyList<DeductionLine> Deductions, long PoolSharesFen, long DeductionsFen, long PayoutFen,
        long TopUpFen, long TotalFen, long AdvanceNettedFen, long AdvanceCarriedFen, long ToPayFen, long BalanceFen,
        IReadOnlyList<CarriedOver> CarriedOver, DateTimeOffset SettledAt, long OwedFen, Reversal? Reversal,
        IReadOnlyList<AdjustmentLine>? Adjustments = null, long AdjustmentsFen = 0);

    public const string PdfContentType = "application/pdf";

    public static void Map(RouteGroupBuilder settlements)
    {
        settlements.MapGet("/{id:guid}/statements/{growerId:guid}", Get).WithName("GetStatement");
        settlements.MapGet("/{id:guid}/statements/{growerId:guid}.pdf", async (Guid id, Guid growerId, Db db, ClaimsPrincipal user, IConfiguration config,
            CancellationToken ct) => Pdf(await LoadAsync(db, id, growerId, user.CooperativeId(), ct), await CooperativeName(db, user, ct), config))
            .WithName("GetStatementPdf");
    }

    private static async Task<IResult> Get(Guid id, Guid growerId, HttpRequest http, Db db, ClaimsPrincipal user, IConfiguration config, CancellationToken ct)
    {
        var statement = await LoadAsync(db, id, growerId, user.CooperativeId(), ct);
        if (http.Headers.Accept.ToString().Contains(PdfContentType, StringComparison.OrdinalIgnoreCase))
            return Pdf(statement, await CooperativeName(db, user, ct), config);
        return Csv.Wanted(http) ? AsCsv(statement) : TypedResults.Ok(statement);
    }

    private static Task<string> CooperativeName(Db db, ClaimsPrincipal user, CancellationToken ct) => Profile.Profile.NameAsync(db, user.CooperativeId(), ct);

    public static async Task<GrowerStatement> LoadAsync(Db db, Guid id, Guid growerId, string coop, CancellationToken ct)
    {
        var view = await Load(db, id, coop, ct);
        var mine = view.Statements.FirstOrDefault(s => s.GrowerId == growerId) ?? throw Problem.NotFound("statement");
        var name = await db.QuerySingleAsync<string>("select name from growers where id = @Id", new { Id = growerId }, ct);
        var receipts = await db.QuerySingleAsync<Receipts>(
            """
            select count(*)::int as count, coalesce(sum(r.gross_grams), 0) / 1000.0 as gross_kg, coalesce(sum(gr.graded_grams), 0) / 1000.0 as graded_kg
            from receipts r left join gradings gr on gr.receipt_id = r.id and gr.reversed_at is null
            where r.grower_id = @GrowerId and r.cooperative_id = @Coop and r.harvested_on between @From and @To
            """, new { GrowerId = growerId, Coop = coop, view.From, view.To }, ct);
        var hisCarried = (await db.QueryAsync<Guid>(
            """
            select distinct b.order_id from boxes b join box_sources s on s.trace_code = b.trace_code join lots l on l.id = s.lot_id
            where b.order_id = any(@Orders) and l.grower_id = @GrowerId
            """, new { Orders = view.CarriedOver.Select(c => c.OrderId).ToArray(), GrowerId = growerId }, ct)).ToHashSet();
        var deductions = (await db.QueryAsync<DeductionLine>(
            "select name, basis, amount_fen from statement_deductions where settlement_id = @Id and grower_id = @GrowerId order by name",
            new { Id = id, GrowerId = growerId }, ct)).ToList();
        var advance = await db.QuerySingleOrDefaultAsync<(long Netted, long Carried, long Owed)>(
            "select netted_fen, carried_fen, owed_fen from statement_advances where settlement_id = @Id and grower_id = @GrowerId",
            new { Id = id, GrowerId = growerId }, ct);
        var (balance, settledAt) = await db.QuerySingleAsync<(long, DateTimeOffset)>(
            """
            select (select coalesce(sum(amount_fen), 0)::bigint from account_entries where grower_id = @GrowerId),
                   (select settled_at from settlements where id = @Id)
            """, new { Id = id, GrowerId = growerId }, ct);
        var total = mine.PayoutFen + mine.TopUpFen;
        return new GrowerStatement(id, view.From, view.To, growerId, mine.MemberNo, name, receipts, mine.Lines, deductions,
            mine.Lines.Sum(l => l.PayoutFen), mine.DeductionsFen, mine.PayoutFen, mine.TopUpFen, total, advance.Netted, advance.Carried,
            total - advance.Netted + advance.Owed, balance, view.CarriedOver.Where(c => hisCarried.Contains(c.OrderId)).ToList(), settledAt, advance.Owed,
            view.Reversal, mine.Adjustments ?? [], mine.AdjustmentsFen);
    }

    private static IResult Pdf(GrowerStatement s, string cooperative, IConfiguration config)
    {
        CjkFont.Register(config["Documents:CjkFont"]);
        var pdf = StatementPdf.Render(new StatementPdf.Document(cooperative, s.From, s.To, s.MemberNo, s.Name, s.Receipts.Count, s.Receipts.GrossKg,
            s.Receipts.GradedKg, s.Lines.Select(l => new StatementPdf.Line(l.Grade, l.Kg, l.PoolPricePerKgFen, l.PayoutFen, l.TopUpFen)).ToList(),
            s.Deductions.Select(d => new StatementPdf.Deduction(d.Name, d.Basis, d.AmountFen)).ToList(), s.PoolSharesFen, s.DeductionsFen, s.PayoutFen,
            s.TopUpFen, s.AdvanceNettedFen, s.AdvanceCarriedFen, s.ToPayFen, s.BalanceFen,
            s.CarriedOver.Select(c => new StatementPdf.CarriedOver(c.OrderId, c.DeliveredOn)).ToList(), s.SettledAt,
            (s.Adjustments ?? []).Select(a => new StatementPdf.Adjustment(a.OrderId, a.ClaimId, a.Kind, a.Grade, a.AmountFen, a.WaybillNo)).ToList()));
        return TypedResults.File(pdf, PdfContentType, $"statement-{s.MemberNo}-{s.From:yyyyMMdd}-{s.To:yyyyMMdd}.pdf");
    }

    private static IResult AsCsv(GrowerStatement s)
    {
        var csv = new Csv().Row("member_no", "grade", "kg", "pool_price_per_kg_fen", "payout_fen", "top_up_fen");
        foreach (var l in s.Lines) csv.Row(s.MemberNo, l.Grade, l.Kg, l.PoolPricePerKgFen, l.PayoutFen, l.TopUpFen);
        foreach (var d in s.Deductions) csv.Row(s.MemberNo, $"deduction: {d.Name} ({d.Basis})", null, null, -d.AmountFen, null);
        foreach (var a in s.Adjustments ?? [])
            csv.Row(s.MemberNo, a.WaybillNo is { } waybill ? $"adjustment: {a.Kind} {a.Grade} order {a.OrderId} waybill {waybill}"
                : $"adjustment: {a.Kind} {a.Grade} order {a.OrderId} claim {a.ClaimId}", null, null, a.AmountFen, null);
        csv.Row(s.MemberNo, "total", s.Lines.Sum(l => l.Kg), null, s.PayoutFen, s.TopUpFen);
        if (s.AdvanceNettedFen > 0 || s.AdvanceCarriedFen > 0)
            csv.Row(s.MemberNo, $"advance netted (carried forward {s.AdvanceCarriedFen})", null, null, -s.AdvanceNettedFen, null);
        if (s.OwedFen > 0) csv.Row(s.MemberNo, "owed by the grower, carried forward", null, null, s.OwedFen, null);
        csv.Row(s.MemberNo, "to pay", null, null, s.ToPayFen, null);
        foreach (var c in s.CarriedOver) csv.Row(s.MemberNo, $"carried over: order {c.OrderId} delivered {c.DeliveredOn:yyyy-MM-dd}", null, null, null, null);
        return csv.ToResult();
    }
}
