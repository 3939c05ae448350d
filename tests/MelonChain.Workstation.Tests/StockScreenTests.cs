using System.Net.Http;
using MelonChain.Workstation.Pages.Stock;

namespace MelonChain.Workstation.Tests;

/// <summary>库存: stock per grade, fresh and too old by the profile's lot age.</summary>
public sealed class StockScreenTests : WorkstationContext
{
    [Fact]
    public void Stock_shows_each_grade_with_what_is_fresh_what_is_too_old_and_the_oldest_harvests_age()
    {
        Api.On(HttpMethod.Get, "/api/v1/cooperative/stock", new
        {
            today = "2026-06-12", maxLotAgeDays = 3,
            grades = new object[]
            {
                new { grade = "premium", availableKg = 420.5m, freshKg = 400m, tooOldKg = 20.5m, lots = 5, oldestHarvest = "2026-06-08" },
                new { grade = "grade1", availableKg = 0m, freshKg = 0m, tooOldKg = 0m, lots = 0, oldestHarvest = (string?)null },
            },
        });
        SignedInAs("clerk");
        var screen = Render<Stock>();

        screen.WaitForElement("#stock");
        var premium = screen.Find("tr[data-grade=premium]");
        Assert.Equal("特级", premium.QuerySelector("th")!.TextContent);
        Assert.Equal("420.5", premium.QuerySelector(".available")!.TextContent);
        Assert.Equal("20.5", premium.QuerySelector(".too-old")!.TextContent);
        Assert.Contains("warning", premium.QuerySelector(".too-old")!.ClassName);
        Assert.Contains("2026-06-08（4 天）", premium.TextContent);
        Assert.Contains("—", screen.Find("tr[data-grade=grade1]").TextContent);
        Assert.Equal(Text.StockAsOf(new DateOnly(2026, 6, 12), 3), screen.Find("#stockAsOf").TextContent);
    }

    [Fact]
    public void Boxes_on_their_way_back_are_shown_per_grade_apart_from_the_stock()
    {
        Api.On(HttpMethod.Get, "/api/v1/cooperative/stock", new
        {
            today = "2026-06-12", maxLotAgeDays = 3,
            grades = new object[]
            {
                new { grade = "premium", availableKg = 400m, freshKg = 400m, tooOldKg = 0m, lots = 5, oldestHarvest = "2026-06-10", returningBoxes = 3, returningKg = 15.5m },
            },
        });
        SignedInAs("clerk");
        var screen = Render<Stock>();

        var premium = screen.WaitForElement("tr[data-grade=premium]");
        Assert.Equal("3", premium.QuerySelector(".returning-boxes")!.TextContent);
        Assert.Equal("15.5", premium.QuerySelector(".returning-kg")!.TextContent);
        Assert.Equal("400", premium.QuerySelector(".available")!.TextContent);
    }

    [Fact]
    public void Before_the_profile_is_saved_the_servers_problem_is_shown()
    {
        Api.On(HttpMethod.Get, "/api/v1/cooperative/stock", _ => StubApi.Problem(409, "profile-required", "Save the cooperative's profile first."));
        SignedInAs("clerk");
        var screen = Render<Stock>();

        screen.WaitForAssertion(() => Assert.Equal("与现有记录冲突（409）：Save the cooperative's profile first.", screen.Find("#stockProblem li").TextContent));
    }

    [Fact]
    public void A_role_that_may_not_see_stock_sees_why_and_nothing_is_asked()
    {
        SignedInAs("courier");
        var screen = Render<Stock>();

        screen.WaitForAssertion(() => Assert.Equal(Text.RoleMayNotSell, screen.Find("#roleNotice").TextContent));
        Assert.Empty(Api.Sent);
    }
}
