using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.ServiceDefaults.Security;
using UglyToad.PdfPig;

namespace MelonChain.Cooperative.Tests;

/// <summary>Growers' money through the API: the deductions catalogue, advances netted on statements, the surplus return.</summary>
public class GrowersMoneyFlowTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static DateOnly Today => CooperativeFixture.Today;

    private HttpClient Admin(ClerkSession c) => f.Cooperative.As(Roles.Admin, "admin-1", cooperative: c.CooperativeId);

    private static async Task<JsonElement> Settle(ClerkSession c, string from, string to) => await c.Post("/api/v1/cooperative/settlements", new { from, to });

    private static Task<HttpResponseMessage> ReturnSurplus(HttpClient admin, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cooperative/surplus-returns") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return admin.SendAsync(request);
    }

    private static string Yuan(long fen) => (fen / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture);

    private static readonly object Catalogue = new
    {
        rules = new object[]
        {
            new { name = "分拣费", basis = "per_kg_sold", amount = 20, effectiveFrom = "2035-01-01" },
            new { name = "周转箱租金", basis = "per_box", amount = 50, grade = "grade1", effectiveFrom = "2035-01-01" },
            new { name = "旧管理费", basis = "per_statement", amount = 1_000, effectiveFrom = "2030-01-01", effectiveTo = "2034-12-31" },
        },
    };

    [Fact]
    public async Task A_statement_lists_each_deduction_in_force_nets_the_advance_carries_the_rest_and_its_pdf_says_the_same()
    {
        var c = await f.NewCooperativeAsync();
        (await Admin(c).PutAsJsonAsync("/api/v1/cooperative/deduction-rules", Catalogue)).EnsureSuccessStatusCode();
        var (a, _) = await c.Grower();
        var (b, _) = await c.Grower();
        await c.Harvest(a, Today, ("grade1", 30m), ("grade2", 10m));
        await c.Harvest(b, Today, ("grade1", 20m), ("grade2", 10m));
        await c.Post($"/api/v1/cooperative/growers/{a}/account/advances", new { amountFen = 50_000, note = "采收预付" });
        await c.Post($"/api/v1/cooperative/growers/{b}/account/advances", new { amountFen = 5_000 });
        var buyer = await c.Buyer();
        var first = await c.Order(buyer, ("grade1", 50m, 1_000), ("grade2", 10m, 600));
        await c.Post($"/api/v1/cooperative/orders/{first}/pack", new { });
        await f.DeliverAsync(c, first, 10_000, new DateTimeOffset(2035, 3, 3, 12, 0, 0, TimeSpan.FromHours(8)));

        var s = await Settle(c, "2035-03-01", "2035-03-03");

        var totals = s.GetProperty("totals");
        long T(string name) => totals.GetProperty(name).GetInt64();
        // 60 kg sold at 0.20 yuan/kg, and 10 grade-1 boxes at 0.50 yuan; the expired rule is not applied.
        Assert.Equal(60 * 20 + 10 * 50, T("deductionsFen"));
        Assert.Equal(T("revenueFen"), T("payoutFen") + T("freightFen") + T("packagingFen") + T("commissionFen") + T("deductionsFen"));
        var settlement = s.GetProperty("id").GetGuid();
        var statementA = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/settlements/{settlement}/statements/{a}");
        var statementB = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/settlements/{settlement}/statements/{b}");
        long A(string name) => statementA.GetProperty(name).GetInt64();
        long B(string name) => statementB.GetProperty(name).GetInt64();
        Assert.Equal(["分拣费", "周转箱租金"], statementA.GetProperty("deductions").EnumerateArray().Select(d => d.GetProperty("name").GetString()).Order());
        Assert.Equal(40 * 20 + 6 * 50, A("deductionsFen"));   // 40 kg; 6 of the 10 grade-1 boxes by grams (30 of 50 kg)
        Assert.Equal(A("poolSharesFen") - A("deductionsFen"), A("payoutFen"));
        Assert.Equal(T("payoutFen"), A("payoutFen") + B("payoutFen"));
        // A's advance is larger than the statement: all of it nets, nothing is paid, the rest carries forward.
        Assert.True(A("totalFen") is > 0 and < 50_000, $"A's total {A("totalFen")}");
        Assert.Equal(A("totalFen"), A("advanceNettedFen"));
        Assert.Equal(50_000 - A("totalFen"), A("advanceCarriedFen"));
        Assert.Equal(0, A("toPayFen"));
        Assert.Equal(A("totalFen") - 50_000, A("balanceFen"));
        // B's is smaller: netted whole, the rest paid.
        Assert.Equal(5_000, B("advanceNettedFen"));
        Assert.Equal(0, B("advanceCarriedFen"));
        Assert.Equal(B("totalFen") - 5_000, B("toPayFen"));
        Assert.Equal(B("toPayFen"), B("balanceFen"));

        // The statement on paper: Chinese, the payout and each deduction line.
        var response = await c.Http.GetAsync($"/api/v1/cooperative/settlements/{settlement}/statements/{a}.pdf");
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        using (var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync()))
        {
            var text = string.Join("\n", pdf.GetPages().Select(p => p.Text));
            Assert.Contains("成员结算单", text);
            Assert.Contains("分拣费", text);
            Assert.Contains("周转箱租金", text);
            Assert.Contains(Yuan(A("payoutFen")), text);
            Assert.Contains(Yuan(A("advanceNettedFen")), text);
            Assert.Contains(Yuan(A("advanceCarriedFen")), text);
        }

        // Next week the rest of A's advance nets against A's next statement.
        await c.Harvest(a, Today, ("grade1", 50m));
        var second = await c.Order(buyer, ("grade1", 50m, 1_500));
        await c.Post($"/api/v1/cooperative/orders/{second}/pack", new { });
        await f.DeliverAsync(c, second, 5_000, new DateTimeOffset(2035, 3, 10, 12, 0, 0, TimeSpan.FromHours(8)));
        var next = await Settle(c, "2035-03-04", "2035-03-10");
        var nextA = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/settlements/{next.GetProperty("id").GetGuid()}/statements/{a}");
        Assert.Equal(A("advanceCarriedFen"), nextA.GetProperty("advanceNettedFen").GetInt64());
        Assert.Equal(0, nextA.GetProperty("advanceCarriedFen").GetInt64());
        Assert.Equal(nextA.GetProperty("totalFen").GetInt64() - A("advanceCarriedFen"), nextA.GetProperty("toPayFen").GetInt64());
        var account = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/growers/{a}/account");
        Assert.Equal(nextA.GetProperty("toPayFen").GetInt64(), account.GetProperty("balanceFen").GetInt64());
        Assert.Contains(account.GetProperty("entries").EnumerateArray(), e => e.GetProperty("kind").GetString() == "advance" && e.GetProperty("amountFen").GetInt64() == -50_000);
        Assert.Equal(2, account.GetProperty("entries").EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "deduction"));
    }

    [Fact]
    public async Task A_statement_whose_deductions_exceed_the_payout_leaves_a_balance_owed_that_the_next_statement_nets()
    {
        var c = await f.NewCooperativeAsync();
        (await Admin(c).PutAsJsonAsync("/api/v1/cooperative/deduction-rules", new
        {
            rules = new[] { new { name = "管理费", basis = "per_statement", amount = 20_000, effectiveFrom = "2040-01-01" } },
        })).EnsureSuccessStatusCode();
        var (a, _) = await c.Grower();
        await c.Harvest(a, Today, ("grade1", 110m));
        var buyer = await c.Buyer();
        var small = await c.Order(buyer, ("grade1", 10m, 700));
        await c.Post($"/api/v1/cooperative/orders/{small}/pack", new { });
        await f.DeliverAsync(c, small, 1_000, new DateTimeOffset(2040, 2, 3, 12, 0, 0, TimeSpan.FromHours(8)));

        var first = await Settle(c, "2040-02-01", "2040-02-03");
        var owing = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/settlements/{first.GetProperty("id").GetGuid()}/statements/{a}");
        long O(string name) => owing.GetProperty(name).GetInt64();
        Assert.True(O("totalFen") < 0, $"the management fee exceeds the payout: total {O("totalFen")}");
        Assert.Equal(0, O("toPayFen"));
        Assert.Equal(-O("totalFen"), O("owedFen"));
        Assert.Equal(-O("totalFen"), O("advanceCarriedFen"));
        Assert.Equal(O("totalFen"), O("balanceFen"));

        var large = await c.Order(buyer, ("grade1", 100m, 1_500));
        await c.Post($"/api/v1/cooperative/orders/{large}/pack", new { });
        await f.DeliverAsync(c, large, 5_000, new DateTimeOffset(2040, 2, 10, 12, 0, 0, TimeSpan.FromHours(8)));
        var next = await Settle(c, "2040-02-04", "2040-02-10");
        var nets = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/settlements/{next.GetProperty("id").GetGuid()}/statements/{a}");
        long N(string name) => nets.GetProperty(name).GetInt64();

        Assert.Equal(O("owedFen"), N("advanceNettedFen"));
        Assert.Equal(0, N("advanceCarriedFen"));
        Assert.Equal(0, N("owedFen"));
        Assert.Equal(N("totalFen") + O("totalFen"), N("toPayFen"));
        var account = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/growers/{a}/account");
        Assert.Equal(N("toPayFen"), account.GetProperty("balanceFen").GetInt64());
        Assert.Equal(N("toPayFen"), N("balanceFen"));
        var entries = account.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(N("toPayFen"), entries.Sum(e => e.GetProperty("amountFen").GetInt64()));
        // Every entry names its source; the netting is on the account beside what it netted.
        Assert.All(entries, e => Assert.Equal(JsonValueKind.String, e.GetProperty("source").GetProperty("id").ValueKind));
        Assert.Contains(entries, e => e.GetProperty("kind").GetString() == "netting"
            && e.GetProperty("source").GetProperty("id").GetGuid() == next.GetProperty("id").GetGuid());
        Assert.All(entries.Where(e => e.GetProperty("kind").GetString() == "deduction"), e => Assert.Equal("settlement", e.GetProperty("source").GetProperty("type").GetString()));
    }

    [Fact]
    public async Task An_advance_posted_twice_without_an_Idempotency_Key_is_428_and_pays_nothing_and_with_the_same_key_pays_once()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        var path = $"/api/v1/cooperative/growers/{grower}/account/advances";
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Advance(string? idempotencyKey)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { amountFen = 30_000, note = "采收预付" }) };
            if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
            return request;
        }

        var tapped = await Task.WhenAll(c.Http.SendAsync(Advance(null)), c.Http.SendAsync(Advance(null)));

        Assert.All(tapped, r => Assert.Equal(HttpStatusCode.PreconditionRequired, r.StatusCode));
        foreach (var r in tapped)
        {
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            Assert.Equal("urn:melonchain:problem:idempotency-key-required", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        }
        Assert.Equal(0, await f.CountAsync("select count(*) from account_entries where grower_id = @grower", new { grower }));

        var once = await c.Http.SendAsync(Advance(key));
        var again = await c.Http.SendAsync(Advance(key));
        Assert.Equal(HttpStatusCode.Created, once.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(1, await f.CountAsync("select count(*) from account_entries where grower_id = @grower", new { grower }));
        Assert.Equal(-30_000, (await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/growers/{grower}/account")).GetProperty("balanceFen").GetInt64());

        // The OpenAPI document says so for every post that moves money.
        var document = await c.Http.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        foreach (var post in new[]
                 {
                     "/api/v1/cooperative/growers/{id}/account/advances", "/api/v1/cooperative/growers/{id}/account/payments",
                     "/api/v1/cooperative/settlements", "/api/v1/cooperative/settlements/{id}/reversal", "/api/v1/cooperative/surplus-returns",
                 })
            Assert.True(document.GetProperty("paths").GetProperty(post).GetProperty("post").GetProperty("responses").TryGetProperty("428", out _), post);
    }

    [Theory]
    [InlineData("revenue_bps", 10_001, null, "2035-01-01", null, "over 100% of revenue")]
    [InlineData("per_kg", 20, null, "2035-01-01", null, "an unknown basis")]
    [InlineData("per_box", 0, null, "2035-01-01", null, "nothing to deduct")]
    [InlineData("per_box", 50, "grade9", "2035-01-01", null, "an unknown grade")]
    [InlineData("per_statement", 500, null, "2035-02-01", "2035-01-01", "ends before it starts")]
    [InlineData("per_statement", 500, null, null, null, "no start")]
    public async Task A_catalogue_with_a_rule_that_cannot_be_applied_is_422_and_the_catalogue_stays_as_it_was(
        string basis, long amount, string? grade, string? from, string? to, string because)
    {
        var c = await f.NewCooperativeAsync();
        var admin = Admin(c);
        (await admin.PutAsJsonAsync("/api/v1/cooperative/deduction-rules", Catalogue)).EnsureSuccessStatusCode();
        var before = await admin.GetStringAsync("/api/v1/cooperative/deduction-rules");
        (await admin.PutAsJsonAsync("/api/v1/cooperative/deduction-rules", Catalogue)).EnsureSuccessStatusCode();
        Assert.Equal(before, await admin.GetStringAsync("/api/v1/cooperative/deduction-rules"));   // the same catalogue again: nothing changes

        var response = await admin.PutAsJsonAsync("/api/v1/cooperative/deduction-rules",
            new { rules = new[] { new { name = "新规则", basis, amount, grade, effectiveFrom = from, effectiveTo = to } } });

        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{because}: {(int)response.StatusCode}");
        Assert.Equal(before, await admin.GetStringAsync("/api/v1/cooperative/deduction-rules"));
        Assert.Equal(HttpStatusCode.Forbidden, (await c.Http.PutAsJsonAsync("/api/v1/cooperative/deduction-rules", Catalogue)).StatusCode);
    }

    [Fact]
    public async Task The_surplus_return_splits_each_year_by_that_years_volume_across_new_year_once_and_credits_the_accounts()
    {
        var c = await f.NewCooperativeAsync();
        var admin = Admin(c);
        var (a, _) = await c.Grower();
        var (b, _) = await c.Grower();
        await c.Harvest(a, Today, ("grade1", 40m));
        await c.Harvest(b, Today, ("grade1", 10m));
        var buyer = await c.Buyer();
        var december = await c.Order(buyer, ("grade1", 30m, 1_000));
        await c.Post($"/api/v1/cooperative/orders/{december}/pack", new { });   // A's oldest 30 kg
        var january = await c.Order(buyer, ("grade1", 20m, 1_000));
        await c.Post($"/api/v1/cooperative/orders/{january}/pack", new { });    // A's last 10 kg and B's 10 kg
        await f.DeliverAsync(c, december, 3_000, new DateTimeOffset(2035, 12, 31, 20, 0, 0, TimeSpan.FromHours(8)));
        await f.DeliverAsync(c, january, 3_000, new DateTimeOffset(2036, 1, 1, 9, 0, 0, TimeSpan.FromHours(8)));
        await Settle(c, "2035-12-29", "2036-01-01");

        var tooLittle = await ReturnSurplus(admin, new { year = 2035, distributableFen = 100_000, volumeShareBps = 5_999 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLittle.StatusCode);
        Assert.Equal(0, await f.CountAsync("select count(*) from surplus_returns where cooperative_id = @Coop", new { Coop = c.CooperativeId }));

        var y2035 = await c.Post("/api/v1/cooperative/surplus-returns", new { year = 2035, distributableFen = 100_000, volumeShareBps = 6_000 }, admin);
        var y2036 = await c.Post("/api/v1/cooperative/surplus-returns", new { year = 2036, distributableFen = 10_001, volumeShareBps = 6_000 }, admin);

        // 2035: only December's order, all A's. 2036: A and B 10 kg each, 6,001 fen: the tie's extra fen to the lower member number (A).
        Assert.Equal(60_000, y2035.GetProperty("byVolumeFen").GetInt64());
        Assert.Equal(40_000, y2035.GetProperty("retainedFen").GetInt64());
        var members2035 = y2035.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(a, members2035.Single().GetProperty("growerId").GetGuid());
        Assert.Equal(30m, members2035.Single().GetProperty("volumeKg").GetDecimal());
        var shares2036 = y2036.GetProperty("members").EnumerateArray().ToDictionary(m => m.GetProperty("growerId").GetGuid(), m => m.GetProperty("amountFen").GetInt64());
        Assert.Equal(3_001, shares2036[a]);
        Assert.Equal(3_000, shares2036[b]);

        var again = await ReturnSurplus(admin, new { year = 2035, distributableFen = 5_000, volumeShareBps = 7_000 });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var read = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/surplus-returns/{y2035.GetProperty("id").GetGuid()}");
        Assert.Equal(60_000, read.GetProperty("members")[0].GetProperty("amountFen").GetInt64());
        var account = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/growers/{a}/account");
        Assert.Equal(60_000 + 3_001, account.GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == "surplus_return").Sum(e => e.GetProperty("amountFen").GetInt64()));
    }

    [Fact]
    public async Task The_season_report_charts_intake_pool_prices_and_payouts_with_the_figures_beside_them()
    {
        var c = await f.NewCooperativeAsync();
        var (a, memberA) = await c.Grower();
        var (b, memberB) = await c.Grower();
        await c.Harvest(a, Today.AddDays(-1), ("grade1", 30m), ("premium", 5m));
        await c.Harvest(b, Today, ("grade1", 20m), ("grade2", 8m));
        var order = await c.Order(await c.Buyer(), ("grade1", 50m, 1_000), ("premium", 5m, 2_400));
        await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });
        var today = new DateTimeOffset(Today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(8));
        await f.DeliverAsync(c, order, 8_000, today);
        var s = await Settle(c, Today.AddDays(-2).ToString("yyyy-MM-dd"), Today.ToString("yyyy-MM-dd"));
        var payoutA = s.GetProperty("statements").EnumerateArray().Single(x => x.GetProperty("growerId").GetGuid() == a).GetProperty("payoutFen").GetInt64();

        var response = await c.Http.GetAsync($"/api/v1/cooperative/reports/season.pdf?from={Today.AddDays(-7):yyyy-MM-dd}&to={Today:yyyy-MM-dd}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using (var pdf = PdfDocument.Open(bytes))
        {
            var text = string.Join("\n", pdf.GetPages().Select(p => p.Text));
            Assert.Contains("合作社季度报告", text);
            Assert.Contains(memberA, text);
            Assert.Contains(memberB, text);
            Assert.Contains(Yuan(payoutA), text);
            Assert.Contains("特级", text);
            Assert.Contains(Today.AddDays(-1).ToString("MM-dd"), text);
            Assert.True(pdf.GetPages().Sum(p => p.GetImages().Count()) >= 3, "three charts embedded");
        }
        // The charts are drawn: coloured bars fill part of the first page, where a season with no data shows none.
        Assert.True(await ChartImage.SaturatedShareAsync(bytes) > 0.01, "the intake chart has bars");
        var empty = await (await f.NewCooperativeAsync()).Http.GetByteArrayAsync("/api/v1/cooperative/reports/season.pdf");
        Assert.True(await ChartImage.SaturatedShareAsync(empty) < 0.001, "a season with no data draws no bars");
    }

    [Fact]
    public async Task A_year_returned_by_requests_racing_each_other_is_returned_exactly_once()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        await c.Harvest(grower, Today, ("grade2", 12m));
        var order = await c.Order(await c.Buyer(), ("grade2", 12m, 500));
        await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });
        await f.DeliverAsync(c, order, 1_000, new DateTimeOffset(2037, 6, 2, 12, 0, 0, TimeSpan.FromHours(8)));
        await Settle(c, "2037-06-01", "2037-06-02");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => ReturnSurplus(Admin(c),
            new { year = 2037, distributableFen = 10_000 + i, volumeShareBps = 6_000 })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(1, await f.CountAsync("select count(*) from account_entries where grower_id = @grower and kind = 'surplus_return'", new { grower }));
    }

    /// <summary>
    /// S12: admins saving the catalogue at the same moment: one catalogue wins whole, every other answer is the same result
    /// or 409, never 500.
    /// </summary>
    [Fact]
    public async Task Catalogues_saved_by_requests_racing_each_other_leave_one_whole_catalogue_and_no_500()
    {
        var c = await f.NewCooperativeAsync();
        object CatalogueOf(int i) => new
        {
            rules = new object[]
            {
                new { name = "分拣费", basis = "per_kg_sold", amount = 20 + i, effectiveFrom = "2035-01-01" },
                new { name = "周转箱租金", basis = "per_box", amount = 50 + i, effectiveFrom = "2035-01-01" },
            },
        };

        foreach (var round in Enumerable.Range(0, 3))
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Admin(c).PutAsJsonAsync("/api/v1/cooperative/deduction-rules",
                CatalogueOf(i % (round + 2)))));

            var statuses = responses.Select(r => (int)r.StatusCode).ToList();
            Assert.True(statuses.All(s => s is 200 or 409), $"round {round}: {string.Join(", ", statuses)}");
            foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
            {
                var problem = await conflict.Content.ReadAsStringAsync();
                Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType?.MediaType);
                Assert.Contains(JsonDocument.Parse(problem).RootElement.GetProperty("type").GetString(),
                    new[] { "urn:melonchain:problem:already-exists", "urn:melonchain:problem:concurrent-update" });
                Assert.DoesNotContain("deduction_rules", problem);   // the table and the SQL stay in the log
            }
            var saved = await Admin(c).GetFromJsonAsync<JsonElement>("/api/v1/cooperative/deduction-rules");
            var amounts = saved.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("amount").GetInt64()).ToList();
            Assert.Equal(2, amounts.Count);
            Assert.Equal(amounts[0] + 30, amounts[1]);   // both rules from one request, never a mix
        }
    }
}
