using System.Net.Http;
using MelonChain.Workstation.Pages.Settlement;

namespace MelonChain.Workstation.Tests;

/// <summary>结算: settling a period, the statements' PDFs, advances and payments with their keys, the admin's parts.</summary>
public sealed class SettlementScreenTests : WorkstationContext
{
    private static readonly Guid SettlementId = Guid.Parse("0199a000-0000-7000-8000-0000000000e1");

    private static readonly object Totals = new
    {
        revenueFen = 500_000L, freightFen = 60_000L, packagingFen = 10_000L, commissionFen = 15_000L, payoutFen = 415_000L, topUpFen = 0L,
        deductionsFen = 0L, advancesNettedFen = 0L,
    };

    private static readonly object Settled = new
    {
        id = SettlementId, from = "2026-06-01", to = "2026-06-07", orders = 3, totals = Totals, pools = Array.Empty<object>(),
        statements = new[] { new { growerId = StubApi.Member.Id, memberNo = "SX-001", payoutFen = 415_000L, topUpFen = 0L, deductionsFen = 0L, advanceNettedFen = 0L } },
        reversal = (object?)null,
    };

    private IRenderedComponent<Settlement> RenderAs(string role)
    {
        SignedInAs(role);
        Api.On(HttpMethod.Get, "/api/v1/cooperative/settlements?", new { items = Array.Empty<object>(), next = (string?)null });
        Api.On(HttpMethod.Get, "/api/v1/cooperative/deduction-rules", new
        {
            rules = new[] { new { id = Guid.NewGuid(), name = "分拣费", basis = "per_kg_sold", amount = 10L, grade = (string?)null, effectiveFrom = "2026-01-01", effectiveTo = (string?)null } },
        });
        Api.On(HttpMethod.Get, "/api/v1/cooperative/surplus-returns", new { items = Array.Empty<object>(), next = (string?)null });
        Api.On(HttpMethod.Get, $"/api/v1/cooperative/growers/{StubApi.Member.Id}/account", new
        {
            growerId = StubApi.Member.Id, balanceFen = 120_000L, entries = Array.Empty<object>(), yearlyVolume = Array.Empty<object>(),
        });
        var screen = Render<Settlement>();
        if (role is "clerk" or "admin") screen.WaitForElement("#settle");
        return screen;
    }

    private static void Settle(IRenderedComponent<Settlement> screen, string from = "2026-06-01", string to = "2026-06-07")
    {
        screen.Find("#settleFrom").Change(from);
        screen.Find("#settleTo").Change(to);
        screen.Find("#settlePeriod").Submit();
    }

    [Fact]
    public void The_period_suggested_starts_the_day_after_the_last_settled_one_and_ends_today()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        Api.On(HttpMethod.Get, "/api/v1/cooperative/settlements?", new
        {
            items = new object[]
            {
                new { id = Guid.NewGuid(), from = today.AddDays(-20).ToString("yyyy-MM-dd"), to = today.AddDays(-14).ToString("yyyy-MM-dd"), orders = 2, totals = Totals,
                      settledAt = DateTimeOffset.UtcNow, reversal = (object?)null },
                new { id = Guid.NewGuid(), from = today.AddDays(-13).ToString("yyyy-MM-dd"), to = today.AddDays(-7).ToString("yyyy-MM-dd"), orders = 1, totals = Totals,
                      settledAt = DateTimeOffset.UtcNow, reversal = new { reason = "wrong freight", reversedBy = "admin-1", reversedAt = DateTimeOffset.UtcNow } },
            },
            next = (string?)null,
        });
        var screen = RenderAs("clerk");

        screen.WaitForAssertion(() => Assert.Equal(today.AddDays(-13).ToString("yyyy-MM-dd"), screen.Find("#settleFrom").GetAttribute("value")));
        Assert.Equal(today.ToString("yyyy-MM-dd"), screen.Find("#settleTo").GetAttribute("value"));
    }

    [Fact]
    public void Settling_without_both_dates_says_so_and_sends_nothing()
    {
        var screen = RenderAs("clerk");
        screen.Find("#settleFrom").Change("");
        screen.Find("#settlePeriod").Submit();

        Assert.Equal(Text.PeriodRequired, screen.Find("#settlePeriod + .field-error").TextContent);
        Assert.Empty(Api.To(HttpMethod.Post, "/api/v1/cooperative/settlements"));
    }

    [Fact]
    public void A_period_settled_after_a_lost_answer_is_sent_again_with_the_same_key_and_its_statements_are_shown()
    {
        Api.On(HttpMethod.Post, "/api/v1/cooperative/settlements", _ => throw new HttpRequestException("reset"), once: true);
        Api.On(HttpMethod.Post, "/api/v1/cooperative/settlements", Settled, 201);
        var screen = RenderAs("clerk");

        Settle(screen);
        screen.WaitForAssertion(() => Assert.Equal(Text.NetworkDownRetry, screen.Find("#settleProblem li").TextContent));
        screen.Find("#settlePeriod").Submit();

        screen.WaitForElement($"#statement-{StubApi.Member.Id}");
        var (first, retry) = (Api.To(HttpMethod.Post, "/api/v1/cooperative/settlements")[0], Api.To(HttpMethod.Post, "/api/v1/cooperative/settlements")[1]);
        Assert.True(Guid.TryParse(first.IdempotencyKey, out _));
        Assert.Equal(first.IdempotencyKey, retry.IdempotencyKey);
        Assert.Equal("2026-06-01", first.Json.GetProperty("from").GetString());
        Assert.Equal("2026-06-07", first.Json.GetProperty("to").GetString());
        Assert.Equal("¥4,150.00", screen.Find("#settlementPayout").TextContent);
    }

    [Fact]
    public void A_statement_shows_the_adjustment_lines_of_orders_settled_earlier_each_naming_its_order_and_claim()
    {
        var (orderId, claimId, carrierClaimId) = (Guid.Parse("0199a000-0000-7000-8000-00000000aa01"), Guid.Parse("0199a000-0000-7000-8000-00000000cc01"),
            Guid.Parse("0199a000-0000-7000-8000-00000000dd01"));
        Api.On(HttpMethod.Post, "/api/v1/cooperative/settlements", new
        {
            id = SettlementId, from = "2026-06-08", to = "2026-06-14", orders = 1,
            totals = new
            {
                revenueFen = 100_000L, freightFen = 10_000L, packagingFen = 1_000L, commissionFen = 3_000L, payoutFen = 81_000L, topUpFen = 0L,
                deductionsFen = 0L, advancesNettedFen = 0L, creditsFen = 6_000L, compensationFen = 1_000L,
            },
            pools = Array.Empty<object>(),
            statements = new[]
            {
                new
                {
                    growerId = StubApi.Member.Id, memberNo = "SX-001", payoutFen = 81_000L, topUpFen = 0L, deductionsFen = 0L, advanceNettedFen = 0L,
                    adjustments = new[]
                    {
                        new { orderId, claimId, kind = "credit", grade = "premium", amountFen = -3_334L },
                        new { orderId, claimId = carrierClaimId, kind = "compensation", grade = "premium", amountFen = 500L },
                    },
                    adjustmentsFen = -2_834L,
                },
            },
            reversal = (object?)null,
        }, 201);
        var screen = RenderAs("clerk");

        Settle(screen, "2026-06-08", "2026-06-14");

        screen.WaitForElement("#statements tr.adjustment");
        Assert.Equal("¥60.00", screen.Find("#settlementCredits").TextContent);
        Assert.Equal("¥10.00", screen.Find("#settlementCompensation").TextContent);
        Assert.Equal("-¥28.34", screen.Find($"#statements tr[data-grower-id='{StubApi.Member.Id}']:not(.adjustment) .adjustments").TextContent);
        var credit = screen.Find($"#statements tr.adjustment[data-claim-id='{claimId}']");
        Assert.Equal("credit", credit.GetAttribute("data-kind"));
        Assert.Equal(orderId.ToString(), credit.GetAttribute("data-order-id"));
        Assert.Equal("-¥33.34", credit.QuerySelector(".amount")!.TextContent);
        Assert.Contains(Text.AdjustmentLine("credit", "premium", orderId, claimId), credit.TextContent);
        Assert.Contains("调整：承运商赔付 特级", screen.Find($"#statements tr.adjustment[data-claim-id='{carrierClaimId}']").TextContent);
    }

    [Fact]
    public void A_freight_adjustment_line_names_its_order_and_the_carriers_waybill()
    {
        var (orderId, billId) = (Guid.Parse("0199a000-0000-7000-8000-00000000aa02"), Guid.Parse("0199a000-0000-7000-8000-00000000ee01"));
        Api.On(HttpMethod.Post, "/api/v1/cooperative/settlements", new
        {
            id = SettlementId, from = "2026-06-08", to = "2026-06-14", orders = 0,
            totals = new
            {
                revenueFen = 0L, freightFen = 333L, packagingFen = 0L, commissionFen = 0L, payoutFen = -333L, topUpFen = 0L,
                deductionsFen = 0L, advancesNettedFen = 0L, creditsFen = 0L, compensationFen = 0L,
            },
            pools = Array.Empty<object>(),
            statements = new[]
            {
                new
                {
                    growerId = StubApi.Member.Id, memberNo = "SX-001", payoutFen = -333L, topUpFen = 0L, deductionsFen = 0L, advanceNettedFen = 0L,
                    adjustments = new[] { new { orderId, claimId = billId, kind = "freight", grade = "premium", amountFen = -333L, waybillNo = "SF1234567890" } },
                    adjustmentsFen = -333L,
                },
            },
            reversal = (object?)null,
        }, 201);
        var screen = RenderAs("clerk");

        Settle(screen, "2026-06-08", "2026-06-14");

        var line = screen.WaitForElement($"#statements tr.adjustment[data-claim-id='{billId}']");
        Assert.Equal("freight", line.GetAttribute("data-kind"));
        Assert.Equal("-¥3.33", line.QuerySelector(".amount")!.TextContent);
        Assert.Contains("调整：运费按账单 特级", line.TextContent);
        Assert.Contains("运单 SF1234567890", line.TextContent);
    }

    [Fact]
    public void Another_period_is_another_action_with_its_own_key()
    {
        Api.On(HttpMethod.Post, "/api/v1/cooperative/settlements", _ => StubApi.Problem(409, "period-closed", "Part of this period is already settled."));
        var screen = RenderAs("clerk");

        Settle(screen);
        screen.WaitForAssertion(() => Assert.Equal("与现有记录冲突（409）：Part of this period is already settled.", screen.Find("#settleProblem li").TextContent));
        Settle(screen, "2026-06-08", "2026-06-14");

        screen.WaitForAssertion(() => Assert.Equal(2, Api.To(HttpMethod.Post, "/api/v1/cooperative/settlements").Count));
        var posts = Api.To(HttpMethod.Post, "/api/v1/cooperative/settlements");
        Assert.NotEqual(posts[0].IdempotencyKey, posts[1].IdempotencyKey);
    }

    [Fact]
    public void A_growers_statement_opens_as_the_PDF_fetched_with_the_token()
    {
        Api.On(HttpMethod.Post, "/api/v1/cooperative/settlements", Settled, 201);
        var url = $"/api/v1/cooperative/settlements/{SettlementId}/statements/{StubApi.Member.Id}.pdf";
        Api.On(HttpMethod.Get, url, _ => new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent("%PDF"u8.ToArray()) });
        var open = JSInterop.SetupModule("./js/documents.js").Setup<string?>("open", _ => true).SetResult(null);
        var screen = RenderAs("clerk");
        Settle(screen);

        screen.WaitForElement($"#statement-{StubApi.Member.Id}").Click();

        screen.WaitForAssertion(() => Assert.Single(open.Invocations));
        Assert.StartsWith("Bearer ", Assert.Single(Api.To(HttpMethod.Get, url)).Authorization);
        Assert.Empty(screen.FindAll($"#statement-{StubApi.Member.Id}Link"));
    }

    [Fact]
    public void An_advance_keeps_its_key_for_its_retry_and_the_next_advance_gets_a_new_one()
    {
        var path = $"/api/v1/cooperative/growers/{StubApi.Member.Id}/account/advances";
        var entry = new { id = Guid.NewGuid(), kind = "advance", amountFen = -50_000L, settlementId = (Guid?)null, note = "化肥", enteredAt = DateTimeOffset.UtcNow };
        Api.On(HttpMethod.Post, path, _ => throw new HttpRequestException("reset"), once: true);
        Api.On(HttpMethod.Post, path, entry, 201);
        var screen = RenderAs("clerk");
        screen.WaitForElement("#memberAccount #growerSearch:not([disabled])").Input("SX-001");
        screen.Find("#memberAccount ul.choices button").Click();
        screen.WaitForAssertion(() => Assert.Equal("¥1,200.00", screen.Find("#balance").TextContent));

        screen.Find("#moneyAmount").Change("500");
        screen.Find("#moneyNote").Change("化肥");
        screen.Find("#money").Submit();
        screen.WaitForAssertion(() => Assert.Equal(Text.NetworkDownRetry, screen.Find("#accountProblem li").TextContent));
        screen.Find("#money").Submit();
        screen.WaitForElement("#moneyPosted");
        screen.Find("#moneyAmount").Change("500");
        screen.Find("#moneyNote").Change("化肥");
        screen.Find("#money").Submit();

        screen.WaitForAssertion(() => Assert.Equal(3, Api.To(HttpMethod.Post, path).Count));
        var posts = Api.To(HttpMethod.Post, path);
        Assert.Equal(50_000L, posts[0].Json.GetProperty("amountFen").GetInt64());
        Assert.Equal(posts[0].IdempotencyKey, posts[1].IdempotencyKey);
        Assert.NotEqual(posts[1].IdempotencyKey, posts[2].IdempotencyKey);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("12.345")]
    public void An_amount_that_is_not_money_is_explained_and_nothing_is_posted(string typed)
    {
        var screen = RenderAs("clerk");
        screen.WaitForElement("#memberAccount #growerSearch:not([disabled])").Input("SX-001");
        screen.Find("#memberAccount ul.choices button").Click();
        screen.WaitForElement("#moneyAmount").Change(typed);
        screen.Find("#money").Submit();

        Assert.Equal(Text.AmountInvalid, screen.Find("#money + .field-error").TextContent);
        Assert.DoesNotContain(Api.Sent, r => r.Method == HttpMethod.Post);
    }

    [Fact]
    public void For_a_clerk_the_surplus_return_and_the_catalogue_are_disabled_with_the_reason_shown()
    {
        var screen = RenderAs("clerk");

        screen.WaitForAssertion(() => Assert.Equal(Text.AdminOnlySurplus, screen.Find("#surplusAdminOnly").TextContent));
        Assert.True(screen.Find("#returnSurplus").HasAttribute("disabled"));
        Assert.Equal(Text.AdminOnlyDeductions, screen.Find("#deductionsAdminOnly").TextContent);
        screen.WaitForAssertion(() => Assert.True(screen.Find("#ruleName-0").HasAttribute("disabled")));
        Assert.Empty(screen.FindAll("#saveRules"));
    }

    [Fact]
    public void The_admin_returns_the_years_surplus_with_a_key_in_fen_and_basis_points()
    {
        Api.On(HttpMethod.Post, "/api/v1/cooperative/surplus-returns", new
        {
            id = Guid.NewGuid(), year = 2026, distributableFen = 1_000_000L, volumeShareBps = 7000, byVolumeFen = 700_000L, retainedFen = 300_000L,
        }, 201);
        var screen = RenderAs("admin");
        Assert.Empty(screen.FindAll("#surplusAdminOnly"));

        screen.Find("#surplusYear").Change("2026");
        screen.Find("#surplusAmount").Change("10000");
        screen.Find("#surplusShare").Change("70");
        screen.Find("#surplusForm").Submit();

        screen.WaitForElement("#surplusReturned");
        var sent = Assert.Single(Api.To(HttpMethod.Post, "/api/v1/cooperative/surplus-returns"));
        Assert.True(Guid.TryParse(sent.IdempotencyKey, out _));
        Assert.Equal((2026, 1_000_000L, 7000), (sent.Json.GetProperty("year").GetInt32(), sent.Json.GetProperty("distributableFen").GetInt64(),
            sent.Json.GetProperty("volumeShareBps").GetInt32()));
    }

    [Fact]
    public void A_role_that_may_not_settle_sees_why_and_sends_nothing()
    {
        var screen = RenderAs("officer");

        screen.WaitForAssertion(() => Assert.Equal(Text.RoleMayNotSell, screen.Find("#roleNotice").TextContent));
        Assert.Empty(screen.FindAll("#settle"));
        Assert.Empty(Api.Sent);
    }
}
