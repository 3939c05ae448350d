using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Messages.Dispatch;

namespace MelonChain.Cooperative.Tests;

/// <summary>Nothing delivered is ever left unpaid: delivery and booking events that arrive late are settled next time.</summary>
public class LateDeliveryTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static DateOnly Today => CooperativeFixture.Today;

    [Fact]
    public async Task A_delivery_after_its_period_closed_is_settled_next_time()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        await c.Harvest(grower, Today, ("grade1", 20m));
        var onTime = await PackedOrder(c, 10m);
        var late = await PackedOrder(c, 10m);
        // A week that ended a week ago, so the next week has happened by today.
        var lastDay = Today.AddDays(-7);
        var deliveredOn = lastDay.ToString("yyyy-MM-dd");
        await f.DeliverAsync(c, onTime, 3_000, new DateTimeOffset(lastDay.ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(8)));

        // The week is settled at noon on its last day; the second order's delivery at 15:00 that day reaches the
        // Cooperative only afterwards (a re-pushed route, a broker that was down).
        var first = await Settle(c, $"{lastDay.AddDays(-6):yyyy-MM-dd}", deliveredOn);
        Assert.Equal(1, first.GetProperty("orders").GetInt32());
        await f.DeliverAsync(c, late, 2_500, new DateTimeOffset(lastDay.ToDateTime(new TimeOnly(15, 0)), TimeSpan.FromHours(8)));

        var next = await Settle(c, $"{lastDay.AddDays(1):yyyy-MM-dd}", $"{Today:yyyy-MM-dd}");

        SettlementInvariant.Holds(first);
        SettlementInvariant.Holds(next);
        Assert.Equal(1, next.GetProperty("orders").GetInt32());
        Assert.Equal(10 * 700, next.GetProperty("totals").GetProperty("revenueFen").GetInt64());
        Assert.Equal(2_500, next.GetProperty("totals").GetProperty("freightFen").GetInt64());
        var carried = next.GetProperty("carriedOver").EnumerateArray().Single();
        Assert.Equal(late, carried.GetProperty("orderId").GetGuid());
        Assert.Equal(deliveredOn, carried.GetProperty("deliveredOn").GetString());
        var statement = await c.Http.GetFromJsonAsync<JsonElement>(
            $"/api/v1/cooperative/settlements/{next.GetProperty("id").GetGuid()}/statements/{grower}");
        Assert.Equal(deliveredOn, statement.GetProperty("carriedOver")[0].GetProperty("deliveredOn").GetString());
        Assert.Equal("settled", (await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{late}")).GetProperty("status").GetString());

        // Each delivered order is paid exactly once across the two settlements.
        var account = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/growers/{grower}/account");
        Assert.Equal(first.GetProperty("totals").GetProperty("payoutFen").GetInt64() + next.GetProperty("totals").GetProperty("payoutFen").GetInt64(),
            account.GetProperty("balanceFen").GetInt64());
        Assert.Equal(2, await f.CountAsync("select count(distinct settlement_id) from orders where id = any(@Ids)", new { Ids = new[] { onTime, late } }));
    }

    [Fact]
    public async Task A_period_across_New_Year_books_each_orders_volume_to_the_year_it_was_delivered()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        await c.Harvest(grower, Today, ("grade1", 30m));
        var december = await PackedOrder(c, 10m);
        var january = await PackedOrder(c, 20m);
        await f.DeliverAsync(c, december, 1_000, new DateTimeOffset(2033, 12, 30, 10, 0, 0, TimeSpan.FromHours(8)));
        await f.DeliverAsync(c, january, 2_000, new DateTimeOffset(2034, 1, 2, 10, 0, 0, TimeSpan.FromHours(8)));

        var s = await Settle(c, "2033-12-28", "2034-01-02");

        var account = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/growers/{grower}/account");
        var years = account.GetProperty("yearlyVolume").EnumerateArray().ToDictionary(y => y.GetProperty("year").GetInt32());
        Assert.Equal([2033, 2034], years.Keys.Order());
        Assert.Equal(10m, years[2033].GetProperty("soldKg").GetDecimal());
        Assert.Equal(20m, years[2034].GetProperty("soldKg").GetDecimal());
        Assert.Equal(s.GetProperty("totals").GetProperty("payoutFen").GetInt64(), years.Values.Sum(y => y.GetProperty("payoutFen").GetInt64()));
    }

    [Theory]
    [InlineData("0001-01-01", "0001-01-07")]
    [InlineData("9999-12-25", "9999-12-31")]
    [InlineData("1999-12-31", "2000-01-02")]
    public async Task Settlement_and_report_dates_outside_the_century_are_422_and_write_nothing(string from, string to)
    {
        var c = await f.NewCooperativeAsync();
        var settle = await SendSettle(c, from, to);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, settle.StatusCode);
        Assert.Equal("application/problem+json", settle.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await f.CountAsync("select count(*) from settlements where cooperative_id = @Coop", new { Coop = c.CooperativeId }));

        foreach (var query in new[] { $"from={from}&to={to}", $"to={to}", $"from={from}" })
        {
            var report = await c.Http.GetAsync($"/api/v1/cooperative/reports/intake?{query}");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, report.StatusCode);
        }
    }

    private async Task<Guid> PackedOrder(ClerkSession c, decimal kg)
    {
        var order = await c.Order(await c.Buyer(), ("grade1", kg, 700));
        await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });
        return order;
    }

    private static Task<HttpResponseMessage> SendSettle(ClerkSession c, string from, string to)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cooperative/settlements") { Content = JsonContent.Create(new { from, to }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return c.Http.SendAsync(request);
    }

    private static async Task<JsonElement> Settle(ClerkSession c, string from, string to)
    {
        var response = await SendSettle(c, from, to);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
