using MelonChain.Messages;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Settlement.SeasonReportPdf;

namespace MelonChain.Cooperative.Features.Settlement;

/// <summary>
/// <c>GET /reports/season.pdf?from=&amp;to=</c>: the season for the general assembly — intake per grade per harvest day
/// (live gradings), the pool price per grade and every grower's payout over the settlements settled in the period (a
/// settlement's own period may run past it: it reaches the carrier's last delivery), each as a chart with its figures.
/// Without dates: the 90 days to today (China dates); at most a year.
/// </summary>
public static class SeasonReport
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/reports/season.pdf", Get).RequireRoles(Roles.Clerk, Roles.Admin).WithTags("Settlement").WithName("SeasonReportPdf")
            .Produces(200, contentType: GetStatement.PdfContentType);

    private static async Task<IResult> Get(DateOnly? from, DateOnly? to, Db db, ClaimsPrincipal user, IConfiguration config, TimeProvider clock, CancellationToken ct)
    {
        var (first, last) = Validation.ReportPeriod(from, to, ChinaTime.Today(clock), defaultDays: 90);
        var coop = user.CooperativeId();
        var args = new { Coop = coop, From = first, To = last, Start = ChinaTime.StartOf(first), End = ChinaTime.StartOf(last.AddDays(1)) };

        var name = await Profile.Profile.NameAsync(db, coop, ct);
        var intake = await db.QueryAsync<(DateOnly Day, string Grade, long Grams)>(
            """
            select harvested_on, grade, sum(grams)::bigint from lots
            where cooperative_id = @Coop and harvested_on between @From and @To and withdrawn_at is null
            group by 1, 2 order by 1, 2
            """, args, ct);
        var pools = await db.QueryAsync<(string Grade, long Grams, long NetFen)>(
            """
            select p.grade, sum(p.sold_grams)::bigint, sum(p.net_fen)::bigint
            from settlement_pools p join settlements s on s.id = p.settlement_id
            where s.cooperative_id = @Coop and s.settled_at >= @Start and s.settled_at < @End and s.reversed_at is null group by 1 order by 1
            """, args, ct);
        var payouts = await db.QueryAsync<(string MemberNo, string Name, long Grams, long SharesFen, long TopUpFen, long DeductionsFen)>(
            """
            with settled as (select id from settlements where cooperative_id = @Coop and settled_at >= @Start and settled_at < @End and reversed_at is null),
                 lines as (select grower_id, sum(grams) as grams, sum(payout_fen) as shares, sum(top_up_fen) as top_up
                           from statement_lines where settlement_id in (select id from settled) group by 1),
                 deducted as (select grower_id, sum(amount_fen) as fen from statement_deductions where settlement_id in (select id from settled) group by 1)
            select g.member_no, g.name, l.grams::bigint, l.shares::bigint, l.top_up::bigint, coalesce(d.fen, 0)::bigint
            from lines l join growers g on g.id = l.grower_id left join deducted d on d.grower_id = l.grower_id
            order by g.member_no
            """, args, ct);

        CjkFont.Register(config["Documents:CjkFont"]);
        var pdf = Render(new Report(name, first, last,
            intake.Select(i => new DayIntake(i.Day, i.Grade, Weight.ToKg(i.Grams))).ToList(),
            pools.Select(p => new PoolPrice(p.Grade, Weight.ToKg(p.Grams), p.NetFen, Settlements.PricePerKg(p.NetFen, p.Grams))).ToList(),
            payouts.Select(p => new GrowerPayout(p.MemberNo, p.Name, Weight.ToKg(p.Grams), p.SharesFen - p.DeductionsFen, p.TopUpFen)).ToList()));
        return TypedResults.File(pdf, GetStatement.PdfContentType, $"season-{first:yyyyMMdd}-{last:yyyyMMdd}.pdf");
    }
}
