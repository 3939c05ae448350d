using MelonChain.Messages;
using System.Globalization;
using System.Text;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Settlement;

/// <summary>A closed settlement and each grower's statement (JSON, or CSV with <c>Accept: text/csv</c>).</summary>
public static class Settlements
{
    /// <summary>Σ revenue = payout + freight + packaging + commission + deductions (the catalogue's), to the fen.</summary>
    public sealed record Totals(long RevenueFen, long FreightFen, long PackagingFen, long CommissionFen, long PayoutFen, long TopUpFen,
        long DeductionsFen, long AdvancesNettedFen);

    public sealed record Pool(string Grade, decimal SoldKg, long RevenueFen, long FreightFen, long PackagingFen, long CommissionFen, long NetFen, long PricePerKgFen);

    public sealed record StatementLine(string Grade, decimal Kg, long PoolPricePerKgFen, long PayoutFen, long TopUpFen);

    /// <summary>One grower's part: <see cref="PayoutFen"/> is the pool shares (the lines) less <see cref="DeductionsFen"/>.</summary>
    public sealed record Statement(Guid GrowerId, string MemberNo, long PayoutFen, long TopUpFen, IReadOnlyList<StatementLine> Lines,
        long DeductionsFen, long AdvanceNettedFen);

    /// <summary>An order delivered before the period whose delivery or booking event arrived after the earlier settlement closed.</summary>
    public sealed record CarriedOver(Guid OrderId, DateOnly DeliveredOn);

    /// <summary>A settlement reversed by the admin: its statement lines are kept, marked reversed by this.</summary>
    public sealed record Reversal(string Reason, string ReversedBy, DateTimeOffset ReversedAt);

    /// <param name="Reversal">Null unless reversed; a reversed settlement stays on record and closes no period.</param>
    public sealed record View(Guid Id, DateOnly From, DateOnly To, int Orders, Totals Totals, IReadOnlyList<Pool> Pools, IReadOnlyList<Statement> Statements,
        IReadOnlyList<CarriedOver> CarriedOver, Reversal? Reversal);

    public static RouteGroupBuilder MapSettlement(this RouteGroupBuilder api)
    {
        var settlements = api.MapGroup("/settlements").RequireRoles(Roles.Clerk).WithTags("Settlement");
        SettlePeriod.Map(settlements);
        ReverseSettlement.Map(settlements);
        settlements.MapGet("/", List).WithName("ListSettlements");
        settlements.MapGet("/{id:guid}", async (Guid id, Db db, ClaimsPrincipal user, CancellationToken ct) =>
            TypedResults.Ok(await Load(db, id, user.CooperativeId(), ct))).WithName("GetSettlement");
        GetStatement.Map(settlements);
        SeasonReport.Map(api);
        MemberAccount.Map(api);
        return api;
    }

    private sealed record Header(Guid Id, DateOnly PeriodFrom, DateOnly PeriodTo, int Orders, long RevenueFen, long FreightFen, long PackagingFen,
        long CommissionFen, long PayoutFen, long TopUpFen, long DeductionsFen, long AdvancesNettedFen, string? ReversalReason, string? ReversedBy,
        DateTimeOffset? ReversedAt)
    {
        public Reversal? Reversal => ReversedAt is { } at ? new Reversal(ReversalReason!, ReversedBy!, at) : null;
    }

    private sealed record PoolRow(string Grade, long SoldGrams, long RevenueFen, long FreightFen, long PackagingFen, long CommissionFen, long NetFen);

    private sealed record LineRow(Guid GrowerId, string MemberNo, string Grade, long Grams, long PayoutFen, long TopUpFen);

    public static async Task<View> Load(Db db, Guid id, string coop, CancellationToken ct)
    {
        var h = await db.QuerySingleOrDefaultAsync<Header>(
            """
            select id, period_from, period_to, orders, revenue_fen, freight_fen, packaging_fen, commission_fen, payout_fen, top_up_fen,
                   deductions_fen, advances_netted_fen, reversal_reason, reversed_by, reversed_at
            from settlements where id = @Id and cooperative_id = @Coop
            """, new { Id = id, Coop = coop }, ct) ?? throw Problem.NotFound("settlement");
        var pools = (await db.QueryAsync<PoolRow>(
            "select grade, sold_grams, revenue_fen, freight_fen, packaging_fen, commission_fen, net_fen from settlement_pools where settlement_id = @Id order by grade",
            new { Id = id }, ct)).Select(p => new Pool(p.Grade, Weight.ToKg(p.SoldGrams), p.RevenueFen, p.FreightFen, p.PackagingFen, p.CommissionFen, p.NetFen,
                PricePerKg(p.NetFen, p.SoldGrams))).ToList();
        var price = pools.ToDictionary(p => p.Grade, p => p.PricePerKgFen);
        var lines = await db.QueryAsync<LineRow>(
            """
            select s.grower_id, g.member_no, s.grade, s.grams, s.payout_fen, s.top_up_fen
            from statement_lines s join growers g on g.id = s.grower_id where s.settlement_id = @Id order by g.member_no, s.grade
            """, new { Id = id }, ct);
        var deducted = (await db.QueryAsync<(Guid GrowerId, long Fen)>(
            "select grower_id, sum(amount_fen)::bigint from statement_deductions where settlement_id = @Id group by 1", new { Id = id }, ct))
            .ToDictionary(d => d.GrowerId, d => d.Fen);
        var netted = (await db.QueryAsync<(Guid GrowerId, long Fen)>(
            "select grower_id, netted_fen from statement_advances where settlement_id = @Id", new { Id = id }, ct)).ToDictionary(a => a.GrowerId, a => a.Fen);
        var statements = lines.GroupBy(l => (l.GrowerId, l.MemberNo)).Select(g => new Statement(g.Key.GrowerId, g.Key.MemberNo,
            g.Sum(l => l.PayoutFen) - deducted.GetValueOrDefault(g.Key.GrowerId), g.Sum(l => l.TopUpFen),
            g.Select(l => new StatementLine(l.Grade, Weight.ToKg(l.Grams), price.GetValueOrDefault(l.Grade), l.PayoutFen, l.TopUpFen)).ToList(),
            deducted.GetValueOrDefault(g.Key.GrowerId), netted.GetValueOrDefault(g.Key.GrowerId))).ToList();
        var carried = (await db.QueryAsync<(Guid OrderId, DateTimeOffset DeliveredAt)>(
            "select id, coalesce(delivered_at, ended_at) as delivered_at from orders where settlement_id = @Id and coalesce(delivered_at, ended_at) < @Start order by 2, id",
            new { Id = id, Start = ChinaTime.StartOf(h.PeriodFrom) }, ct)).Select(o => new CarriedOver(o.OrderId, ChinaTime.DateOf(o.DeliveredAt))).ToList();
        return new View(h.Id, h.PeriodFrom, h.PeriodTo, h.Orders,
            new Totals(h.RevenueFen, h.FreightFen, h.PackagingFen, h.CommissionFen, h.PayoutFen, h.TopUpFen, h.DeductionsFen, h.AdvancesNettedFen),
            pools, statements, carried, h.Reversal);
    }

    public sealed record Summary(Guid Id, DateOnly From, DateOnly To, int Orders, Totals Totals, DateTimeOffset SettledAt, Reversal? Reversal);

    private sealed record SummaryRow(Guid Id, DateOnly PeriodFrom, DateOnly PeriodTo, int Orders, long RevenueFen, long FreightFen,
        long PackagingFen, long CommissionFen, long PayoutFen, long TopUpFen, long DeductionsFen, long AdvancesNettedFen, DateTimeOffset SettledAt,
        string? ReversalReason, string? ReversedBy, DateTimeOffset? ReversedAt);

    /// <summary>The cooperative's settled periods, in the order they were settled (reversed ones too, marked).</summary>
    private static async Task<Ok<Page<Summary>>> List(int? limit, string? after, Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        var paging = Paging.From(limit, after);
        var rows = await db.QueryAsync<SummaryRow>(
            """
            select id, period_from, period_to, orders, revenue_fen, freight_fen, packaging_fen, commission_fen, payout_fen, top_up_fen,
                   deductions_fen, advances_netted_fen, settled_at, reversal_reason, reversed_by, reversed_at
            from settlements where cooperative_id = @Coop and (@AfterId::uuid is null or id > @AfterId) order by id limit @Fetch
            """, new { Coop = user.CooperativeId(), paging.AfterId, paging.Fetch }, ct);
        var page = paging.ToPage(rows, r => r.Id);
        return TypedResults.Ok(new Page<Summary>(page.Items.Select(r => new Summary(r.Id, r.PeriodFrom, r.PeriodTo, r.Orders,
            new Totals(r.RevenueFen, r.FreightFen, r.PackagingFen, r.CommissionFen, r.PayoutFen, r.TopUpFen, r.DeductionsFen, r.AdvancesNettedFen),
            r.SettledAt, r.ReversedAt is { } at ? new Reversal(r.ReversalReason!, r.ReversedBy!, at) : null)).ToList(), page.Next));
    }

    internal static long PricePerKg(long netFen, long grams) =>
        grams == 0 ? 0 : (long)Math.Round((decimal)netFen * 1000 / grams, MidpointRounding.AwayFromZero);
}
