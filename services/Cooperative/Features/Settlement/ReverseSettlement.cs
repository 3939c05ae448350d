using MelonChain.Messages;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Settlement.SettlementMath;

namespace MelonChain.Cooperative.Features.Settlement;

/// <summary>
/// 冲销: <c>POST /settlements/{id}/reversal {reason}</c> — the admin reverses the cooperative's latest settlement while
/// nothing builds on it (a later settlement: 409 <c>settlement-not-latest</c>; a surplus return of a year it booked
/// volume to: 409 <c>surplus-returned</c>). Its orders return to unsettled, its statement lines are kept and marked
/// reversed, each member account gets the opposite of every entry the settlement made, the volume it booked comes off
/// the year, what its statements netted is owed again, and the period reopens: settling it again gives the corrected
/// statements. Both stay on record. Needs an Idempotency-Key (428 without one).
/// </summary>
public static class ReverseSettlement
{
    public sealed record Request(string? Reason);

    public static void Map(RouteGroupBuilder settlements) =>
        settlements.MapPost("/{id:guid}/reversal", Reverse).RequireRoles(Roles.Admin).RequiresIdempotencyKey().WithName("ReverseSettlement")
            .Problems(409, "settlement-not-latest", "settlement-reversed", "surplus-returned");

    private sealed record Header(Guid Id, DateOnly PeriodFrom, DateOnly PeriodTo, DateTimeOffset SettledAt, DateTimeOffset? ReversedAt);

    private sealed record EntryRow(Guid GrowerId, string Kind, long AmountFen);

    private static async Task<Ok<Settlements.View>> Reverse(Guid id, Request r, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        new Validation().Text(r.Reason, "reason", 200).ThrowIfInvalid();
        var coop = user.CooperativeId();
        // The same lock as settling: a settlement and a reversal of the same cooperative never interleave.
        await db.ExecuteAsync("select pg_advisory_xact_lock(hashtext('settle:' || @Coop))", new { Coop = coop }, ct);
        var s = await db.QuerySingleOrDefaultAsync<Header>(
            "select id, period_from, period_to, settled_at, reversed_at from settlements where id = @Id and cooperative_id = @Coop for update",
            new { Id = id, Coop = coop }, ct) ?? throw Problem.NotFound("settlement");
        if (s.ReversedAt is not null)
            throw Problem.Conflict("settlement-reversed", "This settlement is already reversed.");
        var later = await db.QuerySingleOrDefaultAsync<Guid?>(
            """
            select id from settlements where cooperative_id = @Coop and reversed_at is null and (settled_at, id) > (@SettledAt, @Id)
            order by settled_at limit 1
            """, new { Coop = coop, s.SettledAt, s.Id }, ct);
        if (later is not null)
            throw Problem.Conflict("settlement-not-latest", "A later settlement builds on this one: only the latest settlement can be reversed.",
                new Dictionary<string, object?> { ["settlementId"] = later });

        var gramsByYear = (await db.QueryAsync<YearGrams>(
            $"""
            select l.grower_id, extract(year from coalesce(o.delivered_at, o.ended_at) at time zone 'Asia/Shanghai')::int as year, sum(src.grams)::bigint as grams
            from orders o join boxes b on b.order_id = o.id join box_sources src on src.trace_code = b.trace_code join lots l on l.id = src.lot_id
            where o.settlement_id = @Id and {SettlePeriod.PooledBoxSql} group by 1, 2
            """, new { Id = id }, ct)).ToList();
        var years = gramsByYear.Select(g => g.Year).Distinct().ToArray();
        var surplus = await db.QuerySingleOrDefaultAsync<Guid?>(
            "select id from surplus_returns where cooperative_id = @Coop and year = any(@Years) and returned_at >= @SettledAt limit 1",
            new { Coop = coop, Years = years, s.SettledAt }, ct);
        if (surplus is not null)
            throw Problem.Conflict("surplus-returned", "A surplus return was made on the volume this settlement booked: it can no longer be reversed.",
                new Dictionary<string, object?> { ["surplusReturnId"] = surplus });

        var lines = (await db.QueryAsync<GrowerLine>(
            """
            select s.grower_id, g.member_no, s.grade, s.grams, s.payout_fen, s.top_up_fen
            from statement_lines s join growers g on g.id = s.grower_id where s.settlement_id = @Id
            """, new { Id = id }, ct)).ToList();
        var volume = VolumeByYear(lines, gramsByYear);
        await db.ExecuteAsync(
            """
            update member_volume m set sold_grams = m.sold_grams - v.grams, payout_fen = m.payout_fen - v.payout
            from unnest(@GrowerIds, @Years, @Grams, @Payouts) as v(grower_id, year, grams, payout)
            where m.cooperative_id = @Coop and m.grower_id = v.grower_id and m.year = v.year
            """, new { Coop = coop, GrowerIds = volume.Select(v => v.GrowerId).ToArray(), Years = volume.Select(v => v.Year).ToArray(),
                       Grams = volume.Select(v => v.Grams).ToArray(), Payouts = volume.Select(v => v.PayoutFen).ToArray() }, ct);

        var entries = (await db.QueryAsync<EntryRow>(
            "select grower_id, kind, amount_fen from account_entries where settlement_id = @Id and kind <> 'reversal' order by entered_at, id",
            new { Id = id }, ct)).ToList();
        var now = clock.GetUtcNow();
        var reason = r.Reason!.Trim();
        await db.ExecuteAsync(
            """
            insert into account_entries (id, cooperative_id, grower_id, settlement_id, kind, amount_fen, note, entered_at)
            select e.id, @Coop, e.grower_id, @Id, 'reversal', e.amount_fen, e.note, @Now
            from unnest(@EntryIds, @GrowerIds, @Amounts, @Notes) as e(id, grower_id, amount_fen, note)
            """, new
            {
                Coop = coop, Id = id, Now = now, EntryIds = entries.Select(_ => Guid.CreateVersion7()).ToArray(), GrowerIds = entries.Select(e => e.GrowerId).ToArray(),
                Amounts = entries.Select(e => -e.AmountFen).ToArray(),
                Notes = entries.Select(e => $"reversal of {e.Kind} {s.PeriodFrom:yyyy-MM-dd}–{s.PeriodTo:yyyy-MM-dd}: {reason}").ToArray(),
            }, ct);
        await db.ExecuteAsync("update orders set settlement_id = null where settlement_id = @Id", new { Id = id }, ct);
        // Its credits and compensation (in its pools or as adjustments) are settled again by the next settlement.
        await db.ExecuteAsync("update claims set settlement_id = null where settlement_id = @Id", new { Id = id }, ct);
        await db.ExecuteAsync("update carrier_compensations set settlement_id = null where settlement_id = @Id", new { Id = id }, ct);
        await db.ExecuteAsync("update settlements set reversed_at = @Now, reversed_by = @By, reversal_reason = @Reason where id = @Id",
            new { Id = id, Now = now, By = user.Subject(), Reason = reason }, ct);
        return TypedResults.Ok(await Settlements.Load(db, id, coop, ct));
    }
}
