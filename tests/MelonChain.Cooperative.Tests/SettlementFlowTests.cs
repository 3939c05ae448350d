using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Messages.ContractGrowing;
using MelonChain.Messages.Dispatch;

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

    private static Task<HttpResponseMessage> Settle(ClerkSession c, string from, string to, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cooperative/settlements") { Content = JsonContent.Create(new { from, to }) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return c.Http.SendAsync(request);
    }
}
