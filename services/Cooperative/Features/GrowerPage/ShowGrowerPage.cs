using MelonChain.Cooperative.Features.Members;
using MelonChain.Cooperative.Features.Settlement;
using MelonChain.Messages;
using MelonChain.ServiceDefaults.Data;

namespace MelonChain.Cooperative.Features.GrowerPage;

/// <summary>
/// What the grower sees: their deliveries with their gradings, where their melons went (city and date, never the
/// buyer), their statements line by line, and their account (advances, payments, surplus returns, balance). Every query
/// is this one member's; a token that names no member (unknown, rotated, or made with another secret) is the same bare
/// 404 as any other, so nothing says whether a member exists.
/// </summary>
public static class ShowGrowerPage
{
    public sealed record Member(Guid Id, string CooperativeId, string MemberNo, string Name, string Village, int LinkVersion);

    public sealed record Delivery(Guid Id, string ReceiptNo, DateOnly HarvestedOn, DateTimeOffset ReceivedAt, long GrossGrams, int Crates,
        long? GradedGrams, long? ShrinkGrams, DateTimeOffset? GradedAt);

    public sealed record GradeKg(Guid ReceiptId, string Grade, long Grams);

    /// <param name="On">The day the melons reached the city (delivered), or were packed while on the way.</param>
    public sealed record Destination(string City, DateOnly On, bool Delivered, string Grade, long Grams);

    public sealed record AccountEntry(string Kind, long AmountFen, string? Note, DateTimeOffset EnteredAt);

    public sealed record View(Member Member, string Cooperative, IReadOnlyList<Delivery> Deliveries, IReadOnlyList<GradeKg> Grades,
        IReadOnlyList<Destination> Destinations, IReadOnlyList<GetStatement.GrowerStatement> Statements, IReadOnlyList<AccountEntry> Account);

    /// <summary>The newest so many of each list: a season's page on a phone, not the member's whole history.</summary>
    private const int Shown = 100;
    private const int StatementsShown = 24;

    public static async Task<IResult> Handle(string token, Db db, GrowerLinks links, CancellationToken ct)
    {
        if (!GrowerLinks.LooksLikeToken(token)) return GrowerPageHtml.NotFound();
        var member = await db.QuerySingleOrDefaultAsync<Member>(
            "select id, cooperative_id, member_no, name, village, link_version from growers where link_digest = @digest",
            new { digest = GrowerLinks.Digest(token) }, ct);
        if (member is null || !links.Names(token, member.Id, member.LinkVersion)) return GrowerPageHtml.NotFound();
        return GrowerPageHtml.Render(await LoadAsync(db, member, ct));
    }

    private static async Task<View> LoadAsync(Db db, Member member, CancellationToken ct)
    {
        var args = new { member.Id, Coop = member.CooperativeId, Shown, StatementsShown };
        var cooperative = await db.ExecuteScalarAsync<string>("select name from cooperative_profiles where cooperative_id = @Coop", args, ct)
            ?? member.CooperativeId;
        var deliveries = await db.QueryAsync<Delivery>(
            """
            select r.id, r.receipt_no, r.harvested_on, r.received_at, r.gross_grams, r.crates, gr.graded_grams, gr.shrink_grams, gr.graded_at
            from receipts r left join gradings gr on gr.receipt_id = r.id and gr.reversed_at is null
            where r.grower_id = @Id and r.cooperative_id = @Coop
            order by r.received_at desc limit @Shown
            """, args, ct);
        var grades = await db.QueryAsync<GradeKg>(
            """
            select l.receipt_id, l.grade, sum(l.grams)::bigint as grams
            from lots l join gradings gr on gr.id = l.grading_id and gr.reversed_at is null
            where l.receipt_id = any(@Receipts) and l.grower_id = @Id
            group by l.receipt_id, l.grade
            """, new { member.Id, Receipts = deliveries.Select(d => d.Id).ToArray() }, ct);
        // Only the order's city and day: the buyer, the address, the contact and the phone never leave the order.
        var destinations = (await db.QueryAsync<(string City, DateTimeOffset At, bool Delivered, string Grade, long Grams)>(
            """
            select o.dest_city as city, coalesce(o.delivered_at, o.packed_at) as went_at, o.delivered_at is not null as delivered, b.grade,
                   sum(s.grams)::bigint as grams
            from lots l join box_sources s on s.lot_id = l.id join boxes b on b.trace_code = s.trace_code join orders o on o.id = b.order_id
            where l.grower_id = @Id and l.cooperative_id = @Coop and o.cancelled_at is null and o.packed_at is not null
            group by o.id, o.dest_city, o.delivered_at, o.packed_at, b.grade
            order by went_at desc, b.grade limit @Shown
            """, args, ct)).Select(d => new Destination(d.City, ChinaTime.DateOf(d.At), d.Delivered, d.Grade, d.Grams)).ToList();
        var settlementIds = await db.QueryAsync<Guid>(
            """
            select s.id from settlements s
            where s.cooperative_id = @Coop and exists (select 1 from statement_lines sl where sl.settlement_id = s.id and sl.grower_id = @Id)
            order by s.period_to desc, s.settled_at desc limit @StatementsShown
            """, args, ct);
        var statements = new List<GetStatement.GrowerStatement>();
        foreach (var id in settlementIds)
            statements.Add(await GetStatement.LoadAsync(db, id, member.Id, member.CooperativeId, ct));
        var account = await db.QueryAsync<AccountEntry>(
            "select kind, amount_fen, note, entered_at from account_entries where grower_id = @Id and cooperative_id = @Coop order by entered_at, id",
            args, ct);
        return new View(member, cooperative, deliveries, grades, destinations, statements, account);
    }
}
