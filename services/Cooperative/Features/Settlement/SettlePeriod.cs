using MelonChain.Messages;
using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Settlement.SettlementMath;

namespace MelonChain.Cooperative.Features.Settlement;

/// <summary>
/// 统一结算: the clerk settles a period. Every order not yet settled whose every box has an outcome (its delivery, or its
/// last part's return or loss; carrier's time, China date) on or before <c>to</c> and whose freight is known is pooled
/// per grade: revenue for the delivered boxes only, freight for every carrier order (returns are charged too), boxes
/// and commission as before. The growers of its returned boxes are not in its pools (their lots come back to stock or
/// are written off), unless nothing of the order was delivered or lost, when they carry its freight — including orders delivered before <c>from</c>
/// whose events arrived after an earlier settlement closed (carried over), so nothing delivered is left unpaid.
/// Freight is what the carrier billed: each carrier order billed by then at its bill, the others at their quote; a bill
/// that comes after its order was settled, or a later version that differs from what was settled, is adjusted here like
/// a claim (adjustment lines over the order's settlement's shares, naming the order and the waybill).
/// The catalogue's deductions in force on <c>to</c> come off each grower's pool shares; outstanding advances and balances
/// owed are netted against what the statement pays (never below zero, the rest carried forward); a statement whose
/// deductions exceed what it pays leaves the rest owed by the grower, carried forward the same way.
/// A period ends no later than today (China date) or the latest delivery recorded, if a carrier's clock runs ahead:
/// a later <c>to</c> is 422 <c>period-in-future</c>. A reversed settlement no longer closes its period.
/// Growers are credited their payouts and guarantee top-ups; each grower's volume is booked to the year of each
/// order's delivery; the period closes (an overlapping period is 409; the same request with the same
/// Idempotency-Key returns the same settlement).
/// </summary>
public static class SettlePeriod
{
    public sealed record Request(DateOnly? From, DateOnly? To);

    public static void Map(RouteGroupBuilder settlements) => settlements.MapPost("/", Settle).WithName("SettlePeriod").RequiresIdempotencyKey()
        .Problems(409, "period-closed", ProblemTypes.ProfileRequired).Problems(422, PeriodInFuture);

    public const string PeriodInFuture = "period-in-future";

    /// <summary>
    /// A box b whose growers share its order's pools: every box but the returned ones (their lots come back to stock or are
    /// written off), unless every box of the order was returned, when its growers carry the order's freight.
    /// </summary>
    public const string PooledBoxSql =
        """
        (b.outcome is distinct from 'returned' or not exists (select 1 from boxes x where x.order_id = b.order_id and x.outcome is distinct from 'returned'))
        """;

    /// <param name="DeliveredAt">When its last box got an outcome: its delivery, or its last part's return or loss.</param>
    /// <param name="Whole">Every box was delivered: sold as ordered.</param>
    private sealed record OrderRow(Guid Id, long FreightFen, DateTimeOffset DeliveredAt, bool Whole);

    private sealed record LineRow(Guid OrderId, string Grade, long Grams, long PriceFenPerKg);

    private static async Task<Created<Settlements.View>> Settle(Request r, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        new Validation().Check(r.From is not null, "from", "is required").Check(r.To is not null, "to", "is required")
            .Period(r.From, r.To).ThrowIfInvalid();
        var coop = user.CooperativeId();
        // Settlement's sums read a season's million receipt lines at once: their hash tables in memory rather than spilled to
        // disk (4 MB by default), and no JIT compiling, which costs more than it saves on these statements (0.28 s of 5.4 s at 1M).
        await db.ExecuteAsync("select pg_advisory_xact_lock(hashtext('settle:' || @Coop)); set local work_mem = '32MB'; set local jit = off",
            new { Coop = coop }, ct);
        await EnsureNotInFutureAsync(db, coop, r.To!.Value, clock, ct);
        var overlapping = await db.QuerySingleOrDefaultAsync<Guid?>(
            "select id from settlements where cooperative_id = @Coop and period_from <= @To and period_to >= @From and reversed_at is null limit 1",
            new { Coop = coop, r.From, r.To }, ct);
        if (overlapping is not null)
            throw Problem.Conflict("period-closed", "Part of this period is already settled.", new Dictionary<string, object?> { ["settlementId"] = overlapping });

        // Up to the end of `to`, with no lower bound: a delivery whose events came late is carried over, never lost.
        var orders = await db.QueryAsync<OrderRow>(
            """
            select o.id, o.freight_fen, coalesce(o.delivered_at, o.ended_at) as delivered_at, o.delivered_at is not null as whole
            from orders o
            where o.cooperative_id = @Coop and coalesce(o.delivered_at, o.ended_at) < @End
              and o.settlement_id is null and o.cancelled_at is null and o.freight_fen is not null
            for update
            """, new { Coop = coop, End = ChinaTime.StartOf(r.To!.Value.AddDays(1)) }, ct);
        var ids = orders.Select(o => o.Id).ToArray();
        // Revenue for what arrived: an order delivered whole is sold as ordered; one partly delivered or undelivered sells
        // its delivered boxes' net weight at its line's price.
        var lines = (await db.QueryAsync<LineRow>(
            """
            select l.order_id, l.grade,
                   case when o.delivered_at is not null then l.grams
                        else coalesce((select sum(b.net_grams) from boxes b where b.order_id = l.order_id and b.grade = l.grade and b.outcome = 'delivered'), 0)
                   end::bigint as grams,
                   l.price_fen_per_kg
            from order_lines l join orders o on o.id = l.order_id where l.order_id = any(@Ids)
            """, new { Ids = ids }, ct)).ToLookup(l => l.OrderId);
        var deductions = await db.QueryAsync<Deductions.Rule>(
            """
            select id, name, basis, amount, grade from deduction_rules
            where cooperative_id = @Coop and effective_from <= @To and (effective_to is null or effective_to >= @To) order by position
            """, new { Coop = coop, r.To }, ct);
        var shares = await SummedShares.ReadAsync(db, coop, orders.Select(o => (o.Id, ChinaTime.DateOf(o.DeliveredAt).Year)).ToList(),
            deductions.Any(d => d.Basis == Deductions.Bases.PerBox), ct);
        // Billed freight, not the estimate: each carrier order billed by now is charged at its bill, the rest at their quote.
        var bills = (await db.QueryAsync<BillRow>(
            "select id, order_id, quoted_fen, billed_fen, version from carrier_fees where order_id = any(@Ids)", new { Ids = ids }, ct)).ToLookup(b => b.OrderId);
        var boxesByGrade = (await db.QueryAsync<(Guid OrderId, string Grade, int Boxes)>(
            "select order_id, grade, count(*)::int from boxes where order_id = any(@Ids) group by 1, 2", new { Ids = ids }, ct)).ToLookup(b => b.OrderId);

        var profile = await Profile.Profile.RulesAsync(db, coop, ct);
        var rules = new Rules(profile.BoxFeeFen, profile.CommissionBps);
        var freight = await FreightBilledSinceAsync(db, coop, ct);
        var money = await CreditsAndCompensationAsync(db, coop, ids, freight, ct);
        var adjustments = money.Where(m => m.OrderSettlementId is not null)
            .SelectMany(m => Adjust(m.OrderId, m.SourceId, m.Kind, m.ByGrade, grade => m.Pools[grade].ToList())).ToList();
        Dictionary<string, long> Sum(Guid order, string kind) => money.Where(m => m.OrderId == order && m.OrderSettlementId is null && m.Kind == kind)
            .SelectMany(m => m.ByGrade).GroupBy(g => g.Key).ToDictionary(g => g.Key, g => g.Sum(x => x.Value));
        var result = SettlementMath.Settle(orders.Select(o => new DeliveredOrder(o.Id,
            BilledFreight(o.FreightFen, bills[o.Id].Select(b => (b.QuotedFen, b.BilledFen))), boxesByGrade[o.Id].Sum(b => b.Boxes),
            lines[o.Id].Select(l => new SoldLine(l.Grade, l.Grams, l.PriceFenPerKg)).ToList(), shares.OfOrder[o.Id].ToList(),
            boxesByGrade[o.Id].ToDictionary(b => b.Grade, b => b.Boxes), Sum(o.Id, Credit), Sum(o.Id, Compensation),
            shares.Packed.GetValueOrDefault(o.Id) ?? new Dictionary<string, long>())).ToList(),
            shares.Growers, rules, deductions.ToList(), adjustments);
        var advances = await NetAdvancesAsync(db, result, ct);

        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        await Record(db, coop, id, r.From!.Value, r.To.Value, result, advances, ids, VolumeByYear(result.Lines, shares.GramsByYear), now, user.Subject(), ct);
        await RecordCreditsAndCompensationAsync(db, coop, id, result, money, freight, now, ct);
        await RecordFreightAsync(db, id, bills.SelectMany(b => b).ToList(), freight, ct);
        await db.Publish(new SettlementClosed(Guid.NewGuid(), now, coop, id, r.From.Value, r.To.Value,
            new SettlementTotals(result.RevenueFen, result.FreightFen, result.PackagingFen, result.CommissionFen, result.PayoutFen, result.TopUpFen,
                result.DeductionsFen)), ct);
        return TypedResults.Created($"/api/v1/cooperative/settlements/{id}", await Settlements.Load(db, id, coop, ct));
    }

    /// <summary>
    /// The latest day a period may end: today (China date), or the latest delivery recorded where a carrier's clock runs
    /// ahead of the calendar (the simulator's accelerated one); a later <paramref name="to"/> is 422.
    /// </summary>
    private static async Task EnsureNotInFutureAsync(Db db, string coop, DateOnly to, TimeProvider clock, CancellationToken ct)
    {
        var today = ChinaTime.Today(clock);
        if (to <= today) return;
        var latest = await db.QuerySingleOrDefaultAsync<DateTimeOffset?>(
            "select max(coalesce(delivered_at, ended_at)) from orders where cooperative_id = @Coop", new { Coop = coop }, ct);
        if (latest is { } delivered && to <= ChinaTime.DateOf(delivered)) return;
        var until = latest is { } d && ChinaTime.DateOf(d) > today ? ChinaTime.DateOf(d) : today;
        throw new ProblemException(422, PeriodInFuture, "Rule violated", "Settlement is of what has happened: the period ends in the future.",
            new Dictionary<string, string[]> { ["to"] = [$"must be no later than {until:yyyy-MM-dd} (today, or the latest delivery recorded)"] },
            new Dictionary<string, object?> { ["latestAllowed"] = until.ToString("yyyy-MM-dd") });
    }

    /// <param name="OutstandingFen">Advances and balances owed not yet netted before this statement.</param>
    /// <param name="CarriedFen">What is still owed after it: the outstanding not netted, plus <paramref name="OwedFen"/>.</param>
    /// <param name="OwedFen">What this statement's deductions took beyond what it pays: owed by the grower from now on.</param>
    public sealed record AdvanceNetted(Guid GrowerId, long OutstandingFen, long NettedFen, long CarriedFen, long OwedFen);

    /// <summary>
    /// Each grower's advances and balances owed not yet netted (advances paid, plus what earlier statements left owed,
    /// less what earlier statements netted; reversed statements count for nothing; at least what the member account is
    /// below zero, e.g. a payment on a statement since reversed), netted against this statement's
    /// payout after deductions plus top-up. A statement below zero nets nothing and leaves its shortfall owed.
    /// </summary>
    private static async Task<IReadOnlyList<AdvanceNetted>> NetAdvancesAsync(Db db, Result result, CancellationToken ct)
    {
        var growers = result.Lines.Select(l => l.GrowerId).Concat(result.AdjustmentLines.Select(a => a.GrowerId)).Distinct().ToArray();
        var outstanding = await db.QueryAsync<(Guid GrowerId, long Fen, long BalanceFen)>(
            """
            select g.id, coalesce((select -sum(a.amount_fen) from account_entries a where a.grower_id = g.id and a.kind = 'advance'), 0)
                       + coalesce((select sum(s.owed_fen - s.netted_fen) from statement_advances s join settlements t on t.id = s.settlement_id
                                   where s.grower_id = g.id and t.reversed_at is null), 0),
                   coalesce((select sum(a.amount_fen) from account_entries a where a.grower_id = g.id), 0)::bigint
            from unnest(@Ids) as g(id)
            """, new { Ids = growers }, ct);
        var credited = result.Lines.ToLookup(l => l.GrowerId, l => l.PayoutFen + l.TopUpFen);
        var deducted = result.Deductions.ToLookup(d => d.GrowerId, d => d.AmountFen);
        var adjusted = result.AdjustmentLines.ToLookup(a => a.GrowerId, a => a.AmountFen);
        return outstanding.Select(o =>
        {
            var due = credited[o.GrowerId].Sum() - deducted[o.GrowerId].Sum() + adjusted[o.GrowerId].Sum();
            // A member account below zero is owed too: a payment made on a statement that was later reversed, or more paid
            // than a statement asked, is netted like an advance and never paid twice.
            var owing = Math.Max(0, Math.Max(o.Fen, -o.BalanceFen));
            var (netted, carried) = Deductions.NetAdvance(owing, due);
            var owed = Math.Max(0, -due);
            return new AdvanceNetted(o.GrowerId, owing, netted, carried + owed, owed);
        }).Where(a => a.OutstandingFen > 0 || a.OwedFen > 0).ToList();
    }

    /// <summary>
    /// A buyer's credit accepted, or a carrier's compensation paid, not yet settled: for an order of this settlement, or
    /// for one settled earlier (<paramref name="OrderSettlementId"/>, then adjustment lines split by that settlement's
    /// pool shares, <paramref name="Pools"/>). Split over grades by the grams of the boxes it names.
    /// </summary>
    private sealed record Money(Guid SourceId, Guid OrderId, string Kind, Guid? OrderSettlementId, IReadOnlyDictionary<string, long> ByGrade,
        ILookup<string, PoolShare> Pools);

    /// <param name="TraceCodes">Joined by '|' (Dapper reads no text[] into a record).</param>
    private sealed record MoneyRow(Guid SourceId, Guid OrderId, string Kind, long Fen, string TraceCodes, Guid? OrderSettlementId);

    /// <summary>A carrier order's bill, for an order of this settlement.</summary>
    private sealed record BillRow(Guid Id, Guid OrderId, long QuotedFen, long BilledFen, int Version);

    /// <summary>
    /// A carrier order's bill (<paramref name="SourceId"/>, the fee) of an order settled earlier that differs from what the
    /// settlements not reversed charged for it (<paramref name="Fen"/> more, or less when negative); its order's pooled boxes.
    /// </summary>
    private sealed record FreightRow(Guid SourceId, Guid OrderId, long Fen, string TraceCodes, Guid OrderSettlementId, int Version, string MasterWaybillNo);

    /// <summary>
    /// Bills that came after their order was settled, or a later version that differs from what was settled: each carrier
    /// order's billed − quoted less what settlements not reversed have charged beyond its quote (a reversal gives it back).
    /// Split over the grades of the boxes that shared the order's pools, as its freight was.
    /// </summary>
    private static async Task<IReadOnlyList<FreightRow>> FreightBilledSinceAsync(Db db, string coop, CancellationToken ct) => await db.QueryAsync<FreightRow>(
        $"""
        select * from (
            select f.id as source_id, f.order_id,
                   f.billed_fen - f.quoted_fen - coalesce((select sum(x.fen) from settled_freight x join settlements t on t.id = x.settlement_id
                                                           where x.carrier_fee_id = f.id and t.reversed_at is null), 0)::bigint as fen,
                   array_to_string(array(select b.trace_code from boxes b where b.order_id = f.order_id and {PooledBoxSql}), '|') as trace_codes,
                   o.settlement_id as order_settlement_id, f.version, f.master_waybill_no
            from carrier_fees f join orders o on o.id = f.order_id
            where f.cooperative_id = @Coop and o.cooperative_id = @Coop and o.settlement_id is not null) d
        where d.fen <> 0 order by d.source_id
        """, new { Coop = coop }, ct);

    private static async Task<IReadOnlyList<Money>> CreditsAndCompensationAsync(Db db, string coop, Guid[] ids, IReadOnlyList<FreightRow> freight,
        CancellationToken ct)
    {
        var rows = (await db.QueryAsync<MoneyRow>(
            """
            select c.id as source_id, c.order_id, 'credit' as kind, c.credit_fen as fen, array_to_string(c.trace_codes, '|') as trace_codes, o.settlement_id as order_settlement_id
            from claims c join orders o on o.id = c.order_id
            where c.cooperative_id = @Coop and c.status = 'accepted' and c.settlement_id is null and (c.order_id = any(@Ids) or o.settlement_id is not null)
            union all
            select p.carrier_claim_id, p.order_id, 'compensation', p.amount_fen, array_to_string(p.trace_codes, '|'), o.settlement_id
            from carrier_compensations p join orders o on o.id = p.order_id
            where p.cooperative_id = @Coop and p.settlement_id is null and (p.order_id = any(@Ids) or o.settlement_id is not null)
            order by 1
            """, new { Coop = coop, Ids = ids }, ct)).ToList();
        rows.AddRange(freight.Select(f => new MoneyRow(f.SourceId, f.OrderId, Freight, f.Fen, f.TraceCodes, f.OrderSettlementId)));
        if (rows.Count == 0) return [];
        await db.ExecuteAsync("select 1 from claims where id = any(@Ids) for update", new { Ids = rows.Select(r => r.SourceId).ToArray() }, ct);
        var boxes = (await db.QueryAsync<(Guid OrderId, string TraceCode, string Grade, long Grams)>(
            "select order_id, trace_code, grade, net_grams from boxes where order_id = any(@Orders)",
            new { Orders = rows.Select(r => r.OrderId).Distinct().ToArray() }, ct)).ToLookup(b => b.OrderId);
        var settled = rows.Where(r => r.OrderSettlementId is not null).Select(r => r.OrderSettlementId!.Value).Distinct().ToArray();
        var pools = (await db.QueryAsync<(Guid SettlementId, string Grade, Guid GrowerId, string MemberNo, long Grams)>(
            """
            select s.settlement_id, s.grade, s.grower_id, g.member_no, s.grams
            from statement_lines s join growers g on g.id = s.grower_id where s.settlement_id = any(@Settled)
            """, new { Settled = settled }, ct)).ToLookup(p => p.SettlementId);
        return rows.Select(r =>
        {
            // The boxes it names; a compensation naming none (or none of its order's) falls on all of its order's boxes.
            var codes = r.TraceCodes.Split('|').ToHashSet();
            var named = boxes[r.OrderId].Where(b => codes.Contains(b.TraceCode)).ToList();
            if (named.Count == 0) named = boxes[r.OrderId].ToList();
            var pool = r.OrderSettlementId is { } sid
                ? pools[sid].ToLookup(p => p.Grade, p => new PoolShare(p.GrowerId, p.MemberNo, p.Grams))
                : Enumerable.Empty<PoolShare>().ToLookup(_ => "");
            return new Money(r.SourceId, r.OrderId, r.Kind, r.OrderSettlementId, ByGrade(r.Fen, named.Select(b => (b.Grade, b.Grams)).ToList()), pool);
        }).ToList();
    }

    /// <summary>The settlement's credits and compensation, adjustment lines (each grower credited their sum), and what it took.</summary>
    private static async Task RecordCreditsAndCompensationAsync(Db db, string coop, Guid id, Result result, IReadOnlyList<Money> money,
        IReadOnlyList<FreightRow> freight, DateTimeOffset now, CancellationToken ct)
    {
        await db.ExecuteAsync("update settlements set credits_fen = @Credits, compensation_fen = @Compensation where id = @Id",
            new { Id = id, Credits = result.CreditsFen, Compensation = result.CompensationFen }, ct);
        foreach (var p in result.Pools.Where(p => p.CreditsFen != 0 || p.CompensationFen != 0))
            await db.ExecuteAsync("update settlement_pools set credits_fen = @CreditsFen, compensation_fen = @CompensationFen where settlement_id = @Id and grade = @Grade",
                new { Id = id, p.Grade, p.CreditsFen, p.CompensationFen }, ct);
        var a = result.AdjustmentLines;
        var waybills = freight.ToDictionary(f => f.SourceId, f => f.MasterWaybillNo);
        await db.ExecuteAsync(
            """
            insert into statement_adjustments (settlement_id, grower_id, order_id, source_id, kind, grade, amount_fen, waybill_no)
            select @Id, * from unnest(@Growers, @Orders, @Sources, @Kinds, @Grades, @Amounts, @Waybills)
            """, new { Id = id, Growers = a.Select(x => x.GrowerId).ToArray(), Orders = a.Select(x => x.OrderId).ToArray(),
                       Sources = a.Select(x => x.SourceId).ToArray(), Kinds = a.Select(x => x.Kind).ToArray(), Grades = a.Select(x => x.Grade).ToArray(),
                       Amounts = a.Select(x => x.AmountFen).ToArray(),
                       Waybills = a.Select(x => x.Kind == Freight ? waybills[x.SourceId] : null).ToArray() }, ct);
        var perGrower = a.GroupBy(x => x.GrowerId).Select(g => (GrowerId: g.Key, Fen: g.Sum(x => x.AmountFen))).Where(g => g.Fen != 0).ToList();
        await db.ExecuteAsync(
            """
            insert into account_entries (id, cooperative_id, grower_id, settlement_id, kind, amount_fen, note, entered_at)
            select e.id, @Coop, e.grower_id, @Id, 'adjustment', e.amount_fen, 'adjustments for orders settled earlier: credits, compensation, freight billed', @Now
            from unnest(@EntryIds, @Growers, @Amounts) as e(id, grower_id, amount_fen)
            """, new { Coop = coop, Id = id, Now = now, EntryIds = perGrower.Select(_ => Guid.CreateVersion7()).ToArray(),
                       Growers = perGrower.Select(g => g.GrowerId).ToArray(), Amounts = perGrower.Select(g => g.Fen).ToArray() }, ct);
        var credits = money.Where(m => m.Kind == Credit).Select(m => m.SourceId).ToArray();
        var compensations = money.Where(m => m.Kind == Compensation).Select(m => m.SourceId).ToArray();
        await db.ExecuteAsync("update claims set settlement_id = @Id where id = any(@Ids)", new { Id = id, Ids = credits }, ct);
        await db.ExecuteAsync("update carrier_compensations set settlement_id = @Id where carrier_claim_id = any(@Ids)", new { Id = id, Ids = compensations }, ct);
    }

    /// <summary>
    /// What this settlement charged beyond each carrier order's quote: the bills of its own orders (in their pools) and the
    /// differences adjusted for orders settled earlier, with the version each saw.
    /// </summary>
    private static Task RecordFreightAsync(Db db, Guid id, IReadOnlyList<BillRow> pooled, IReadOnlyList<FreightRow> adjusted, CancellationToken ct) =>
        db.ExecuteAsync(
            """
            insert into settled_freight (settlement_id, carrier_fee_id, order_id, version, fen, in_pool)
            select @Id, * from unnest(@Fees, @Orders, @Versions, @Fens, @InPool)
            """, new
            {
                Id = id, Fees = pooled.Select(b => b.Id).Concat(adjusted.Select(f => f.SourceId)).ToArray(),
                Orders = pooled.Select(b => b.OrderId).Concat(adjusted.Select(f => f.OrderId)).ToArray(),
                Versions = pooled.Select(b => b.Version).Concat(adjusted.Select(f => f.Version)).ToArray(),
                Fens = pooled.Select(b => b.BilledFen - b.QuotedFen).Concat(adjusted.Select(f => f.Fen)).ToArray(),
                InPool = pooled.Select(_ => true).Concat(adjusted.Select(_ => false)).ToArray(),
            }, ct);

    private static async Task Record(Db db, string coop, Guid id, DateOnly from, DateOnly to, Result result, IReadOnlyList<AdvanceNetted> advances, Guid[] orderIds,
        IReadOnlyList<YearVolume> volume, DateTimeOffset now, string by, CancellationToken ct)
    {
        await db.ExecuteAsync(
            """
            insert into settlements (id, cooperative_id, period_from, period_to, revenue_fen, freight_fen, packaging_fen, commission_fen,
                                     payout_fen, top_up_fen, deductions_fen, advances_netted_fen, orders, settled_at, settled_by)
            values (@Id, @Coop, @From, @To, @Revenue, @Freight, @Packaging, @Commission, @Payout, @TopUp, @Deductions, @Netted, @Orders, @Now, @By)
            """, new { Id = id, Coop = coop, From = from, To = to, Revenue = result.RevenueFen, Freight = result.FreightFen, Packaging = result.PackagingFen,
                       Commission = result.CommissionFen, Payout = result.PayoutFen, TopUp = result.TopUpFen, Deductions = result.DeductionsFen,
                       Netted = advances.Sum(a => a.NettedFen), Orders = orderIds.Length, Now = now, By = by }, ct);
        foreach (var p in result.Pools)
            await db.ExecuteAsync(
                """
                insert into settlement_pools (settlement_id, grade, sold_grams, revenue_fen, freight_fen, packaging_fen, commission_fen, net_fen)
                values (@Id, @Grade, @SoldGrams, @RevenueFen, @FreightFen, @PackagingFen, @CommissionFen, @NetFen)
                """, new { Id = id, p.Grade, p.SoldGrams, p.RevenueFen, p.FreightFen, p.PackagingFen, p.CommissionFen, p.NetFen }, ct);
        await db.ExecuteAsync(
            """
            insert into statement_lines (settlement_id, grower_id, grade, grams, payout_fen, top_up_fen)
            select @Id, * from unnest(@Growers, @Grades, @Grams, @Payouts, @TopUps)
            """, new { Id = id, Growers = result.Lines.Select(l => l.GrowerId).ToArray(), Grades = result.Lines.Select(l => l.Grade).ToArray(),
                       Grams = result.Lines.Select(l => l.Grams).ToArray(), Payouts = result.Lines.Select(l => l.PayoutFen).ToArray(),
                       TopUps = result.Lines.Select(l => l.TopUpFen).ToArray() }, ct);
        await db.ExecuteAsync(
            """
            insert into statement_deductions (settlement_id, grower_id, rule_id, name, basis, amount_fen)
            select @Id, * from unnest(@Growers, @Rules, @Names, @Bases, @Amounts)
            """, new { Id = id, Growers = result.Deductions.Select(d => d.GrowerId).ToArray(), Rules = result.Deductions.Select(d => d.RuleId).ToArray(),
                       Names = result.Deductions.Select(d => d.Name).ToArray(), Bases = result.Deductions.Select(d => d.Basis).ToArray(),
                       Amounts = result.Deductions.Select(d => d.AmountFen).ToArray() }, ct);
        await db.ExecuteAsync(
            """
            insert into statement_advances (settlement_id, grower_id, outstanding_fen, netted_fen, carried_fen, owed_fen)
            select @Id, * from unnest(@Growers, @Outstanding, @Netted, @Carried, @Owed)
            """, new { Id = id, Growers = advances.Select(a => a.GrowerId).ToArray(), Outstanding = advances.Select(a => a.OutstandingFen).ToArray(),
                       Netted = advances.Select(a => a.NettedFen).ToArray(), Carried = advances.Select(a => a.CarriedFen).ToArray(),
                       Owed = advances.Select(a => a.OwedFen).ToArray() }, ct);
        // One statement per table for all growers (5,000 in a season), not three round trips per grower.
        var growers = result.Lines.GroupBy(l => l.GrowerId)
            .Select(g => (GrowerId: g.Key, Payout: g.Sum(l => l.PayoutFen), TopUp: g.Sum(l => l.TopUpFen))).ToList();
        var toppedUp = growers.Where(g => g.TopUp > 0).ToList();
        var deducted = result.Deductions.GroupBy(d => d.GrowerId)
            .Select(g => (GrowerId: g.Key, Amount: g.Sum(d => d.AmountFen), Note: string.Join("、", g.Select(d => d.Name)))).ToList();
        await db.ExecuteAsync(
            """
            insert into account_entries (id, cooperative_id, grower_id, settlement_id, kind, amount_fen, note, entered_at)
            select e.id, @Coop, e.grower_id, @Id, e.kind, e.amount_fen, e.note, @Now
            from unnest(@EntryIds, @GrowerIds, @Kinds, @Amounts, @Notes) as e(id, grower_id, kind, amount_fen, note)
            """, new
            {
                Coop = coop, Id = id, Now = now,
                EntryIds = growers.Concat(toppedUp).Select(_ => Guid.CreateVersion7()).Concat(deducted.Select(_ => Guid.CreateVersion7())).ToArray(),
                GrowerIds = growers.Concat(toppedUp).Select(g => g.GrowerId).Concat(deducted.Select(d => d.GrowerId)).ToArray(),
                Kinds = growers.Select(_ => "settlement").Concat(toppedUp.Select(_ => "top_up")).Concat(deducted.Select(_ => "deduction")).ToArray(),
                Amounts = growers.Select(g => g.Payout).Concat(toppedUp.Select(g => g.TopUp)).Concat(deducted.Select(d => -d.Amount)).ToArray(),
                Notes = growers.Select(_ => $"settlement {from:yyyy-MM-dd}–{to:yyyy-MM-dd}").Concat(toppedUp.Select(_ => "contract guarantee top-up"))
                    .Concat(deducted.Select(d => $"deductions {from:yyyy-MM-dd}–{to:yyyy-MM-dd}: {d.Note}")).ToArray(),
            }, ct);
        await db.ExecuteAsync(
            """
            insert into member_volume (cooperative_id, grower_id, year, sold_grams, payout_fen)
            select @Coop, v.grower_id, v.year, v.grams, v.payout from unnest(@GrowerIds, @Years, @Grams, @Payouts) as v(grower_id, year, grams, payout)
            on conflict (cooperative_id, grower_id, year) do update
                set sold_grams = member_volume.sold_grams + excluded.sold_grams, payout_fen = member_volume.payout_fen + excluded.payout_fen
            """, new { Coop = coop, GrowerIds = volume.Select(v => v.GrowerId).ToArray(), Years = volume.Select(v => v.Year).ToArray(),
                       Grams = volume.Select(v => v.Grams).ToArray(), Payouts = volume.Select(v => v.PayoutFen).ToArray() }, ct);
        await db.ExecuteAsync("update orders set settlement_id = @Id where id = any(@Ids)", new { Id = id, Ids = orderIds }, ct);
    }
}
