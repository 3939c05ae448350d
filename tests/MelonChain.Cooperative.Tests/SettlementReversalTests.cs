using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Tests;

/// <summary>Settlement guards: a period never ends in the future; the latest settlement may be reversed by the admin and settled again.</summary>
public class SettlementReversalTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static DateOnly Today => CooperativeFixture.Today;

    private HttpClient Admin(ClerkSession c) => f.Cooperative.As(Roles.Admin, "admin-1", cooperative: c.CooperativeId);

    private static Task<HttpResponseMessage> Send(HttpClient client, string path, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return client.SendAsync(request);
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<string?> ProblemType(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString();

    private static Task<HttpResponseMessage> Settle(ClerkSession c, string from, string to) => Send(c.Http, "/api/v1/cooperative/settlements", new { from, to });

    private Task<HttpResponseMessage> Reverse(ClerkSession c, Guid settlement, string? reason, HttpClient? client = null) =>
        Send(client ?? Admin(c), $"/api/v1/cooperative/settlements/{settlement}/reversal", new { reason });

    private async Task<Guid> DeliveredOrder(ClerkSession c, Guid grower, decimal kg, long priceFenPerKg, DateTimeOffset deliveredAt, DateOnly? harvestedOn = null)
    {
        await c.Harvest(grower, harvestedOn ?? Today, ("grade1", kg));
        var order = await c.Order(await c.Buyer(), ("grade1", kg, priceFenPerKg));
        await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });
        await f.DeliverAsync(c, order, 2_000, deliveredAt);
        return order;
    }

    private static DateTimeOffset China(int year, int month, int day) => new(year, month, day, 12, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task A_period_ending_after_both_today_and_the_latest_delivery_is_422_period_in_future_and_writes_nothing()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        await DeliveredOrder(c, grower, 10m, 700, China(2038, 5, 10));   // the simulator's accelerated clock runs ahead of the calendar

        var typo = await Settle(c, "2038-05-04", "2039-03-10");
        var dayAfter = await Settle(c, "2038-05-04", "2038-05-11");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, typo.StatusCode);
        Assert.Equal("urn:melonchain:problem:period-in-future", await ProblemType(typo));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, dayAfter.StatusCode);
        Assert.Equal(0, await f.CountAsync("select count(*) from settlements where cooperative_id = @Coop", new { Coop = c.CooperativeId }));
        // Up to the latest delivery is allowed, and so is up to today where nothing was delivered ahead of the calendar.
        Assert.Equal(1, (await Ok(await Settle(c, "2038-05-04", "2038-05-10"))).GetProperty("orders").GetInt32());
        var quiet = await f.NewCooperativeAsync();
        Assert.Equal(HttpStatusCode.Created, (await Settle(quiet, Today.AddDays(-6).ToString("yyyy-MM-dd"), Today.ToString("yyyy-MM-dd"))).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Settle(quiet, Today.AddDays(1).ToString("yyyy-MM-dd"), Today.AddDays(1).ToString("yyyy-MM-dd"))).StatusCode);
    }

    [Fact]
    public async Task A_reversal_then_a_corrected_settlement_balances_statements_member_accounts_and_the_invariant_to_the_fen()
    {
        var c = await f.NewCooperativeAsync();
        var (a, _) = await c.Grower();
        var (b, _) = await c.Grower();
        await c.Harvest(a, Today, ("grade1", 30m));
        await c.Harvest(b, Today, ("grade1", 20m));
        var order = await c.Order(await c.Buyer(), ("grade1", 50m, 1_000));
        await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });
        await f.DeliverAsync(c, order, 10_000, China(2039, 4, 3));
        await Ok(await Send(c.Http, $"/api/v1/cooperative/growers/{a}/account/advances", new { amountFen = 5_000 }));

        // Settled without the sorting fee the general assembly had agreed: the admin reverses it.
        var wrong = await Ok(await Settle(c, "2039-04-01", "2039-04-03"));
        var wrongId = wrong.GetProperty("id").GetGuid();
        Assert.Equal(0, wrong.GetProperty("totals").GetProperty("deductionsFen").GetInt64());
        var reversed = await Ok(await Reverse(c, wrongId, "分拣费漏扣"));

        Assert.Equal("分拣费漏扣", reversed.GetProperty("reversal").GetProperty("reason").GetString());
        var onRecord = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/settlements/{wrongId}");
        Assert.Equal("分拣费漏扣", onRecord.GetProperty("reversal").GetProperty("reason").GetString());
        Assert.Equal("admin-1", onRecord.GetProperty("reversal").GetProperty("reversedBy").GetString());
        Assert.Equal(JsonValueKind.String, onRecord.GetProperty("reversal").GetProperty("reversedAt").ValueKind);
        Assert.Equal(2, onRecord.GetProperty("statements").GetArrayLength());   // its statement lines are kept
        Assert.Equal("delivered", (await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{order}")).GetProperty("status").GetString());
        var accountA = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/growers/{a}/account");
        var accountB = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/growers/{b}/account");
        Assert.Equal(-5_000, accountA.GetProperty("balanceFen").GetInt64());   // only the advance is left
        Assert.Equal(0, accountB.GetProperty("balanceFen").GetInt64());
        Assert.Contains(accountB.GetProperty("entries").EnumerateArray(), e => e.GetProperty("kind").GetString() == "reversal"
            && e.GetProperty("source").GetProperty("id").GetGuid() == wrongId);
        Assert.DoesNotContain(accountB.GetProperty("yearlyVolume").EnumerateArray(), v => v.GetProperty("soldKg").GetDecimal() != 0);

        (await Admin(c).PutAsJsonAsync("/api/v1/cooperative/deduction-rules", new
        {
            rules = new[] { new { name = "分拣费", basis = "per_kg_sold", amount = 20, effectiveFrom = "2039-01-01" } },
        })).EnsureSuccessStatusCode();
        var corrected = await Ok(await Settle(c, "2039-04-01", "2039-04-03"));

        var totals = corrected.GetProperty("totals");
        long T(string name) => totals.GetProperty(name).GetInt64();
        Assert.Equal(1, corrected.GetProperty("orders").GetInt32());
        Assert.Equal(50 * 20, T("deductionsFen"));
        Assert.Equal(wrong.GetProperty("totals").GetProperty("revenueFen").GetInt64(), T("revenueFen"));
        Assert.Equal(T("revenueFen"), T("payoutFen") + T("freightFen") + T("packagingFen") + T("commissionFen") + T("deductionsFen"));
        Assert.Equal(wrong.GetProperty("totals").GetProperty("payoutFen").GetInt64() - 50 * 20, T("payoutFen"));
        var id = corrected.GetProperty("id").GetGuid();
        var statementA = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/settlements/{id}/statements/{a}");
        var statementB = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/settlements/{id}/statements/{b}");
        Assert.Equal(T("payoutFen"), statementA.GetProperty("payoutFen").GetInt64() + statementB.GetProperty("payoutFen").GetInt64());
        Assert.Equal(30 * 20, statementA.GetProperty("deductionsFen").GetInt64());
        Assert.Equal(5_000, statementA.GetProperty("advanceNettedFen").GetInt64());   // the advance the reversed statement netted is netted again
        Assert.Equal(statementA.GetProperty("totalFen").GetInt64() - 5_000, statementA.GetProperty("toPayFen").GetInt64());
        accountA = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/growers/{a}/account");
        accountB = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/growers/{b}/account");
        Assert.Equal(statementA.GetProperty("toPayFen").GetInt64(), accountA.GetProperty("balanceFen").GetInt64());
        Assert.Equal(statementB.GetProperty("toPayFen").GetInt64(), accountB.GetProperty("balanceFen").GetInt64());
        Assert.Equal(0, accountA.GetProperty("entries").EnumerateArray().Where(e => e.GetProperty("source").GetProperty("id").GetGuid() == wrongId)
            .Sum(e => e.GetProperty("amountFen").GetInt64()));
        // The year's volume counts the order once: the reversed settlement's volume went with it.
        Assert.Equal(T("payoutFen") + T("deductionsFen"), accountA.GetProperty("yearlyVolume").EnumerateArray()
            .Concat(accountB.GetProperty("yearlyVolume").EnumerateArray()).Sum(v => v.GetProperty("payoutFen").GetInt64()));
        Assert.Equal(50m, accountA.GetProperty("yearlyVolume").EnumerateArray().Concat(accountB.GetProperty("yearlyVolume").EnumerateArray())
            .Sum(v => v.GetProperty("soldKg").GetDecimal()));
        Assert.Equal(1, await f.CountAsync("select count(*) from orders where id = @order and settlement_id = @id", new { order, id }));
        var listed = (await c.Http.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/settlements")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, listed.Count);
        Assert.Equal("分拣费漏扣", listed.Single(s => s.GetProperty("id").GetGuid() == wrongId).GetProperty("reversal").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_grower_paid_on_a_settlement_that_is_reversed_is_not_paid_twice_by_the_corrected_one()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        var order = await DeliveredOrder(c, grower, 40m, 1_000, China(2043, 5, 3));
        var wrong = await Ok(await Settle(c, "2043-05-01", "2043-05-03"));
        var wrongId = wrong.GetProperty("id").GetGuid();
        var paid = (await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/settlements/{wrongId}/statements/{grower}"))
            .GetProperty("toPayFen").GetInt64();
        Assert.True(paid > 40 * 20, $"the statement pays {paid} fen");
        await Ok(await Send(c.Http, $"/api/v1/cooperative/growers/{grower}/account/payments", new { amountFen = paid }));

        // The sorting fee was left out and the grower has already been paid: the admin reverses and settles again.
        await Ok(await Reverse(c, wrongId, "分拣费漏扣"));
        (await Admin(c).PutAsJsonAsync("/api/v1/cooperative/deduction-rules", new
        {
            rules = new[] { new { name = "分拣费", basis = "per_kg_sold", amount = 20, effectiveFrom = "2043-01-01" } },
        })).EnsureSuccessStatusCode();
        var corrected = (await Ok(await Settle(c, "2043-05-01", "2043-05-03"))).GetProperty("id").GetGuid();

        // By hand: the corrected statement is worth 40 kg × 20 fen less than what was already paid; it pays nothing and
        // the grower owes the 800 fen overpaid, which the account shows and the next statement nets.
        var statement = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/settlements/{corrected}/statements/{grower}");
        Assert.Equal(paid - 40 * 20, statement.GetProperty("totalFen").GetInt64());
        Assert.Equal(paid - 40 * 20, statement.GetProperty("advanceNettedFen").GetInt64());
        Assert.Equal(0, statement.GetProperty("toPayFen").GetInt64());
        Assert.Equal(40 * 20, statement.GetProperty("advanceCarriedFen").GetInt64());
        var account = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/growers/{grower}/account");
        Assert.Equal(-40 * 20, account.GetProperty("balanceFen").GetInt64());
        Assert.Equal(1, await f.CountAsync("select count(*) from orders where id = @order and settlement_id = @corrected", new { order, corrected }));
    }

    [Fact]
    public async Task Only_the_latest_settlement_nothing_builds_on_can_be_reversed_by_the_admin_with_a_reason()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        await DeliveredOrder(c, grower, 10m, 700, China(2041, 6, 3));
        var first = (await Ok(await Settle(c, "2041-06-01", "2041-06-03"))).GetProperty("id").GetGuid();
        await DeliveredOrder(c, grower, 12m, 800, China(2041, 6, 9));
        var second = (await Ok(await Settle(c, "2041-06-04", "2041-06-09"))).GetProperty("id").GetGuid();
        var entries = await f.CountAsync("select count(*) from account_entries where grower_id = @grower", new { grower });

        var notLatest = await Reverse(c, first, "错账");
        var byClerk = await Reverse(c, second, "错账", c.Http);
        var noReason = await Reverse(c, second, " ");

        Assert.Equal(HttpStatusCode.Conflict, notLatest.StatusCode);
        Assert.Equal("urn:melonchain:problem:settlement-not-latest", await ProblemType(notLatest));
        Assert.Equal(HttpStatusCode.Forbidden, byClerk.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        Assert.Equal(entries, await f.CountAsync("select count(*) from account_entries where grower_id = @grower", new { grower }));

        // The year's surplus returned on this volume builds on the settlement: it stays.
        await Ok(await Send(Admin(c), "/api/v1/cooperative/surplus-returns", new { year = 2041, distributableFen = 10_000, volumeShareBps = 6_000 }));
        var afterSurplus = await Reverse(c, second, "错账");
        Assert.Equal(HttpStatusCode.Conflict, afterSurplus.StatusCode);
        Assert.Equal("urn:melonchain:problem:surplus-returned", await ProblemType(afterSurplus));
        Assert.Equal(0, await f.CountAsync("select count(*) from account_entries where grower_id = @grower and kind = 'reversal'", new { grower }));
    }

    [Fact]
    public async Task Reversals_racing_each_other_and_a_settlement_reverse_once()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        await DeliveredOrder(c, grower, 10m, 700, China(2042, 7, 3));
        var settled = await Ok(await Settle(c, "2042-07-01", "2042-07-03"));
        var id = settled.GetProperty("id").GetGuid();
        var entries = await f.CountAsync("select count(*) from account_entries where settlement_id = @id", new { id });

        var raced = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Reverse(c, id, "重复结算"))
            .Append(Settle(c, "2042-07-01", "2042-07-03")));

        var reversals = raced[..4];
        Assert.Equal(1, reversals.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(3, reversals.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(entries, await f.CountAsync("select count(*) from account_entries where settlement_id = @id and kind = 'reversal'", new { id }));
        Assert.Equal(0, await f.CountAsync("select coalesce(sum(amount_fen), 0) from account_entries where settlement_id = @id", new { id }));
        // The settlement raced with them either met the period closed (409) or came after the reversal and settled the order again.
        var again = raced[4];
        Assert.True(again.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"{(int)again.StatusCode}");
        Assert.Equal(again.StatusCode == HttpStatusCode.Created ? 1 : 0,
            await f.CountAsync("select count(*) from orders where cooperative_id = @Coop and settlement_id is not null", new { Coop = c.CooperativeId }));
    }
}
