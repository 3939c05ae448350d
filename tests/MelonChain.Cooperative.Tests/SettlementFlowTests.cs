using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Messages.ContractGrowing;
using MelonChain.Messages.Dispatch;
using Dapper;
using MelonChain.Cooperative.Features.Settlement;
using MelonChain.Messages;
using Npgsql;
using static MelonChain.Cooperative.Features.Settlement.SettlementMath;

namespace MelonChain.Cooperative.Tests;

/// <summary>统一结算 through the API, with freight and deliveries arriving as Dispatch's events and guarantees as ContractGrowing's.</summary>
public class SettlementFlowTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static DateOnly Today => CooperativeFixture.Today;

    [Fact]
    public async Task Settling_a_week_pools_per_grade_pays_every_fen_and_tops_up_only_where_the_guarantee_bites()
    {
        var c = await f.NewCooperativeAsync();
        var contractId = Guid.NewGuid();
        await f.SignContractAsync(c.CooperativeId, contractId, Guid.NewGuid(),
            new Dictionary<string, long> { ["premium"] = 900, ["grade1"] = 2_000, ["grade2"] = 400, ["offgrade"] = 100 });
        var (contractGrower, _) = await c.Grower("contract", contractId);
        var (member, _) = await c.Grower();
        await c.Harvest(contractGrower, Today.AddDays(-1), ("grade1", 21.7m), ("premium", 5.3m));
        await c.Harvest(member, Today, ("grade1", 30.05m), ("grade2", 8m));
        var buyer = await c.Buyer();
        var beijing = await c.Order(buyer, ("grade1", 45.5m, 860), ("premium", 5.3m, 2_200));
        var shanghai = await c.Order(buyer, ("grade2", 7.77m, 433));
        await c.Post($"/api/v1/cooperative/orders/{beijing}/pack", new { });
        await c.Post($"/api/v1/cooperative/orders/{shanghai}/pack", new { });
        var deliveredOn = new DateTimeOffset(2031, 3, 10, 15, 0, 0, TimeSpan.FromHours(8));
        await f.DeliverAsync(c, beijing, 31_499, deliveredOn);
        await f.DeliverAsync(c, shanghai, 6_001, deliveredOn.AddDays(1));

        var key = Guid.NewGuid().ToString();
        var settled = await Settle(c, "2031-03-09", "2031-03-11", key);
        Assert.Equal(HttpStatusCode.Created, settled.StatusCode);
        var s = await settled.Content.ReadFromJsonAsync<JsonElement>();
        SettlementInvariant.Holds(s);

        var totals = s.GetProperty("totals");
        long T(string name) => totals.GetProperty(name).GetInt64();
        Assert.Equal(T("revenueFen"), T("payoutFen") + T("freightFen") + T("packagingFen") + T("commissionFen"));
        Assert.Equal(37_500, T("freightFen"));
        Assert.Equal(300 * 14, T("packagingFen"));
        Assert.Equal(2, s.GetProperty("orders").GetInt32());
        var statements = s.GetProperty("statements").EnumerateArray().ToList();
        Assert.Equal(T("payoutFen"), statements.Sum(x => x.GetProperty("payoutFen").GetInt64()));
        foreach (var pool in s.GetProperty("pools").EnumerateArray())
            Assert.Equal(pool.GetProperty("netFen").GetInt64(), statements.SelectMany(x => x.GetProperty("lines").EnumerateArray())
                .Where(l => l.GetProperty("grade").GetString() == pool.GetProperty("grade").GetString()).Sum(l => l.GetProperty("payoutFen").GetInt64()));
        var contractStatement = statements.Single(x => x.GetProperty("growerId").GetGuid() == contractGrower);
        var memberStatement = statements.Single(x => x.GetProperty("growerId").GetGuid() == member);
        Assert.True(contractStatement.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("grade").GetString() == "grade1").GetProperty("topUpFen").GetInt64() > 0);
        Assert.Equal(0, contractStatement.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("grade").GetString() == "premium").GetProperty("topUpFen").GetInt64());
        Assert.Equal(0, memberStatement.GetProperty("topUpFen").GetInt64());
        Assert.Equal(T("topUpFen"), contractStatement.GetProperty("topUpFen").GetInt64());

        var closed = await Eventually.Until(() => f.Broker.TakeAsync(f.SettledQueue), m => m.Any(e => e.GetProperty("settlementId").GetGuid() == s.GetProperty("id").GetGuid()));
        var closedTotals = closed.Single(e => e.GetProperty("settlementId").GetGuid() == s.GetProperty("id").GetGuid()).GetProperty("totals");
        Assert.Equal(T("payoutFen"), closedTotals.GetProperty("payoutFen").GetInt64());
        Assert.Equal(T("topUpFen"), closedTotals.GetProperty("topUpFen").GetInt64());

        // The same request again is the same settlement; an overlapping period is closed.
        var replay = await Settle(c, "2031-03-09", "2031-03-11", key);
        Assert.Equal(s.GetProperty("id").GetGuid(), (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.Conflict, (await Settle(c, "2031-03-11", "2031-03-11", Guid.NewGuid().ToString())).StatusCode);

        var account = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/growers/{contractGrower}/account");
        Assert.Equal(contractStatement.GetProperty("payoutFen").GetInt64() + contractStatement.GetProperty("topUpFen").GetInt64(), account.GetProperty("balanceFen").GetInt64());
        Assert.Equal(2031, account.GetProperty("yearlyVolume")[0].GetProperty("year").GetInt32());

        var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/cooperative/settlements/{s.GetProperty("id").GetGuid()}/statements/{member}");
        csvRequest.Headers.Accept.ParseAdd("text/csv");
        var csv = await (await c.Http.SendAsync(csvRequest)).Content.ReadAsStringAsync();
        Assert.StartsWith("member_no,grade,kg,pool_price_per_kg_fen,payout_fen,top_up_fen", csv);
        Assert.Contains($",total,31.57,,{memberStatement.GetProperty("payoutFen").GetInt64()},0", csv);
    }

    [Fact]
    public async Task Orders_are_settled_once_and_a_period_with_nothing_delivered_settles_to_zero()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        await c.Harvest(grower, Today, ("grade1", 10m));
        var order = await c.Order(await c.Buyer(), ("grade1", 10m, 700));
        await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });
        // Delivered ten days ago: the next week, up to today, has happened with nothing delivered in it.
        var deliveredOn = Today.AddDays(-10);
        await f.DeliverAsync(c, order, 3_000, new DateTimeOffset(deliveredOn.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)));

        var first = await (await Settle(c, $"{deliveredOn.AddDays(-4):yyyy-MM-dd}", $"{deliveredOn.AddDays(2):yyyy-MM-dd}", null)).Content.ReadFromJsonAsync<JsonElement>();
        var next = await (await Settle(c, $"{deliveredOn.AddDays(3):yyyy-MM-dd}", $"{Today:yyyy-MM-dd}", null)).Content.ReadFromJsonAsync<JsonElement>();

        SettlementInvariant.Holds(first);
        SettlementInvariant.Holds(next);
        Assert.Equal(7_000, first.GetProperty("totals").GetProperty("revenueFen").GetInt64());
        Assert.Equal(0, next.GetProperty("orders").GetInt32());
        Assert.Equal(0, next.GetProperty("totals").GetProperty("revenueFen").GetInt64());
    }

    /// <summary>
    /// Settlement reads the growers' shares summed in the database; this season (odd weights split over boxes, lots of two
    /// contract versions, an order delivered on each side of New Year, every kind of deduction) is settled again here from
    /// the rows it read before — a row per order, grower and receipt line — by the same arithmetic: every statement line,
    /// top-up, deduction and year's volume must be the same fen.
    /// </summary>
    [Fact]
    public async Task A_season_settled_from_sums_pays_every_grower_the_fen_the_rows_of_each_order_pay()
    {
        var c = await f.NewCooperativeAsync(commissionBps: 777, boxFeeFen: 333);
        var admin = f.Cooperative.As(MelonChain.ServiceDefaults.Security.Roles.Admin, "admin-1", cooperative: c.CooperativeId);
        (await admin.PutAsJsonAsync("/api/v1/cooperative/deduction-rules", new
        {
            rules = new object[]
            {
                new { name = "分拣费", basis = "per_kg_sold", amount = 17, effectiveFrom = "2036-01-01" },
                new { name = "周转箱租金", basis = "per_box", amount = 51, grade = "grade1", effectiveFrom = "2036-01-01" },
                new { name = "装卸费", basis = "per_box", amount = 29, effectiveFrom = "2036-01-01" },
                new { name = "服务费", basis = "revenue_bps", amount = 133, effectiveFrom = "2036-01-01" },
                new { name = "管理费", basis = "per_statement", amount = 101, grade = "premium", effectiveFrom = "2036-01-01" },
            },
        })).EnsureSuccessStatusCode();
        var (spring, autumn) = (Guid.NewGuid(), Guid.NewGuid());
        var growingGrower = Guid.NewGuid();
        await f.SignContractAsync(c.CooperativeId, spring, growingGrower,
            new Dictionary<string, long> { ["premium"] = 2_900, ["grade1"] = 2_100, ["grade2"] = 300, ["offgrade"] = 100 });
        await f.SignContractAsync(c.CooperativeId, autumn, Guid.NewGuid(),
            new Dictionary<string, long> { ["premium"] = 700, ["grade1"] = 1_300, ["grade2"] = 900, ["offgrade"] = 100 });
        // Harvests from today on are priced by the amended terms: the same grower's lots carry two minimums.
        await f.PublishAsync(new ContractAmended(Guid.NewGuid(), DateTimeOffset.UtcNow, c.CooperativeId, spring, growingGrower, "恩平市大田镇", 6_700,
            "2026-autumn", 3_000_000, new Dictionary<string, long> { ["premium"] = 1_100, ["grade1"] = 2_600, ["grade2"] = 300, ["offgrade"] = 100 },
            null, 2, EffectiveFrom: Today));
        await Eventually.Until(() => f.CountAsync("select count(*) from contract_term_versions where contract_id = @spring", new { spring }),
            n => n == 2, TimeSpan.FromSeconds(30), "the amendment known to the Cooperative");
        var (springGrower, _) = await c.Grower("contract", spring);
        var (autumnGrower, _) = await c.Grower("contract", autumn);
        var members = new List<Guid>();
        for (var i = 0; i < 4; i++) members.Add((await c.Grower()).Id);
        await c.Harvest(springGrower, Today.AddDays(-1), ("grade1", 7.333m), ("premium", 3.001m));
        await c.Harvest(springGrower, Today, ("grade1", 6.667m), ("grade2", 2.5m));
        await c.Harvest(autumnGrower, Today, ("grade1", 4.999m), ("premium", 2.333m), ("grade2", 3.7m));
        await c.Harvest(members[0], Today.AddDays(-1), ("grade1", 5.001m), ("premium", 1.111m));
        await c.Harvest(members[1], Today.AddDays(-1), ("grade1", 5.001m), ("grade2", 4.4m));
        await c.Harvest(members[2], Today, ("grade1", 3.333m), ("premium", 2.2m));
        await c.Harvest(members[3], Today, ("grade1", 9.9m), ("grade2", 1.3m));
        var buyer = await c.Buyer();
        var orders = new[]
        {
            await c.Order(buyer, ("grade1", 13.7m, 861), ("premium", 4.1m, 2_203)),
            await c.Order(buyer, ("grade1", 14.3m, 859), ("grade2", 6.1m, 433)),
            await c.Order(buyer, ("grade1", 11.9m, 907), ("premium", 4.5m, 1_999), ("grade2", 5.3m, 401)),
        };
        foreach (var order in orders) await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });
        var eve = new DateTimeOffset(2036, 12, 31, 22, 0, 0, TimeSpan.FromHours(8));
        await f.DeliverAsync(c, orders[0], 31_499, eve);
        await f.DeliverAsync(c, orders[1], 12_347, eve.AddHours(3));   // 2037-01-01 in China, still 2036 in UTC
        await f.DeliverAsync(c, orders[2], 20_011, eve.AddDays(1));

        var settled = await Settle(c, "2036-12-30", "2037-01-01", null);
        Assert.Equal(HttpStatusCode.Created, settled.StatusCode);
        var s = await settled.Content.ReadFromJsonAsync<JsonElement>();
        SettlementInvariant.Holds(s);
        var id = s.GetProperty("id").GetGuid();

        await using var db = f.Db.Open();
        var expected = await SettledFromRowsAsync(db, c.CooperativeId, id, new Rules(333, 777));
        var lines = (await db.QueryAsync<(Guid GrowerId, string Grade, long Grams, long PayoutFen, long TopUpFen)>(
            "select grower_id, grade, grams, payout_fen, top_up_fen from statement_lines where settlement_id = @id", new { id })).ToList();
        Assert.Equal(expected.Result.Lines.Select(l => (l.GrowerId, l.Grade, l.Grams, l.PayoutFen, l.TopUpFen)).Order(), lines.Order());
        var deductions = await db.QueryAsync<(Guid GrowerId, Guid RuleId, long AmountFen)>(
            "select grower_id, rule_id, amount_fen from statement_deductions where settlement_id = @id", new { id });
        Assert.Equal(expected.Result.Deductions.Select(d => (d.GrowerId, d.RuleId, d.AmountFen)).Order(), deductions.Order());
        var volume = await db.QueryAsync<(Guid GrowerId, int Year, long Grams, long PayoutFen)>(
            "select grower_id, year, sold_grams, payout_fen from member_volume where cooperative_id = @coop", new { coop = c.CooperativeId });
        Assert.Equal(expected.Volume.Select(v => (v.GrowerId, v.Year, v.Grams, v.PayoutFen)).Order(), volume.Order());
        // The season is as awkward as promised: guarantees that bite, two years, every rule taking something.
        Assert.Contains(expected.Result.Lines, l => l.TopUpFen > 0);
        Assert.Equal([2036, 2037], expected.Volume.Select(v => v.Year).Distinct().Order());
        Assert.Equal(5, expected.Result.Deductions.Select(d => d.RuleId).Distinct().Count());
    }

    /// <summary>
    /// A settlement of whole deliveries computed as it was before the database summed the shares: a row per order, grade,
    /// grower and receipt line (with its contract's minimum by the terms in force on its harvest date), every split by
    /// <see cref="SettlementMath.Settle(IReadOnlyList{DeliveredOrder}, Rules, IReadOnlyList{Deductions.Rule}?, IReadOnlyList{Adjustment}?)"/>.
    /// </summary>
    private static async Task<(Result Result, IReadOnlyList<YearVolume> Volume)> SettledFromRowsAsync(NpgsqlConnection db, string coop, Guid settlement, Rules rules)
    {
        var orders = (await db.QueryAsync<(Guid Id, long FreightFen, DateTime DeliveredAt)>(
            "select id, freight_fen, delivered_at from orders where settlement_id = @settlement", new { settlement })).ToList();
        var ids = orders.Select(o => o.Id).ToArray();
        var rows = (await db.QueryAsync<(Guid OrderId, string Grade, Guid GrowerId, string MemberNo, long Grams, Guid LotId, long? MinFenPerKg)>(
            """
            select b.order_id, b.grade, l.grower_id, g.member_no, sum(s.grams)::bigint as grams, l.id as lot_id,
                   (select (v.min_price ->> b.grade)::bigint from contract_term_versions v
                    where v.contract_id = l.contract_id and v.cooperative_id = @coop
                      and (v.effective_from is null or v.effective_from <= l.harvested_on)
                    order by v.version desc limit 1) as min_fen_per_kg
            from boxes b join box_sources s on s.trace_code = b.trace_code join lots l on l.id = s.lot_id join growers g on g.id = l.grower_id
            where b.order_id = any(@ids)
            group by b.order_id, b.grade, l.grower_id, g.member_no, l.id
            """, new { ids, coop })).ToLookup(r => r.OrderId);
        var sold = (await db.QueryAsync<(Guid OrderId, string Grade, long Grams, long PriceFenPerKg)>(
            "select order_id, grade, grams, price_fen_per_kg from order_lines where order_id = any(@ids)", new { ids })).ToLookup(l => l.OrderId);
        var boxes = (await db.QueryAsync<(Guid OrderId, string Grade, int Boxes)>(
            "select order_id, grade, count(*)::int from boxes where order_id = any(@ids) group by 1, 2", new { ids })).ToLookup(b => b.OrderId);
        var catalogue = (await db.QueryAsync<Deductions.Rule>(
            "select id, name, basis, amount, grade from deduction_rules where cooperative_id = @coop order by position", new { coop })).ToList();
        var result = SettlementMath.Settle(orders.Select(o => new DeliveredOrder(o.Id, o.FreightFen, boxes[o.Id].Sum(b => b.Boxes),
            sold[o.Id].Select(l => new SoldLine(l.Grade, l.Grams, l.PriceFenPerKg)).ToList(),
            rows[o.Id].Select(r => new Share(r.Grade, r.GrowerId, r.MemberNo, r.Grams, r.LotId, r.MinFenPerKg)).ToList(),
            boxes[o.Id].ToDictionary(b => b.Grade, b => b.Boxes))).ToList(), rules, catalogue);
        var year = orders.ToDictionary(o => o.Id, o => ChinaTime.DateOf(new DateTimeOffset(DateTime.SpecifyKind(o.DeliveredAt, DateTimeKind.Utc))).Year);
        var gramsByYear = rows.SelectMany(g => g).GroupBy(r => (r.GrowerId, Year: year[r.OrderId]))
            .Select(g => new YearGrams(g.Key.GrowerId, g.Key.Year, g.Sum(r => r.Grams))).ToList();
        return (result, VolumeByYear(result.Lines, gramsByYear));
    }

    private static Task<HttpResponseMessage> Settle(ClerkSession c, string from, string to, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cooperative/settlements") { Content = JsonContent.Create(new { from, to }) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return c.Http.SendAsync(request);
    }
}
