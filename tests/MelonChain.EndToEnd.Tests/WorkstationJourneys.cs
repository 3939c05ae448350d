using System.Net;
using System.Net.Http.Json;
using OpenQA.Selenium;

namespace MelonChain.EndToEnd.Tests;

/// <summary>
/// The clerk's workstation as a clerk and a grower meet it: Debian's Chromium, driven by Selenium, against the whole
/// system started as processes (the Gateway serving /app/ from its built output), checked through the API. Each step
/// leaves a screenshot in <see cref="WorkstationBrowser.ScreenshotFolder"/>.
/// </summary>
public sealed partial class WorkstationJourneys(WorkstationFixture f) : IClassFixture<WorkstationFixture>
{
    [Fact]
    public async Task A_clerk_signs_in_records_a_receipt_with_a_typed_weight_and_sees_its_number()
    {
        var grower = await f.GrowerAsync("黄伯");
        using var browser = f.Browser("receipt");

        browser.SignIn();
        browser.Screenshot("signed-in");
        var receiptNo = browser.RecordReceipt(grower.MemberNo, 123.4m, 6);
        browser.Screenshot("saved", show: "saved");

        var receipt = Assert.Single(await f.ReceiptsOfAsync(grower.Id));
        Assert.Equal(receiptNo, receipt.GetProperty("receiptNo").GetString());
        Assert.StartsWith("SX-", receiptNo);
        Assert.Equal(123.4m, receipt.GetProperty("grossKg").GetDecimal());
        Assert.Equal(6, receipt.GetProperty("crates").GetInt32());
        Assert.Contains(grower.MemberNo, browser.Visible("saved").Text);
    }

    [Fact]
    public async Task The_growers_link_opens_their_page_with_their_graded_receipt_and_nothing_of_another_grower_and_after_rotation_the_old_link_is_404()
    {
        var grower = await f.GrowerAsync("陈伯");
        var neighbour = await f.GrowerAsync("林婶");
        using var browser = f.Browser("grower-page");
        browser.SignIn();
        var receiptNo = browser.RecordReceipt(grower.MemberNo, 98.5m, 4);
        var neighboursNo = browser.RecordReceipt(neighbour.MemberNo, 77.25m, 3);
        var receiptId = Assert.Single(await f.ReceiptsOfAsync(grower.Id)).GetProperty("id").GetGuid();
        await f.Scenario.PostAsync(f.Clerk, $"/api/v1/cooperative/receipts/{receiptId}/grading",
            new { lines = new[] { new { grade = "premium", kg = 62.5m }, new { grade = "grade1", kg = 35m } } });
        var link = await f.GrowerLinkAsync(grower.Id);
        Assert.StartsWith(new Uri(f.System.Gateway, "/grower/").ToString(), link);

        browser.Driver.Navigate().GoToUrl(link);
        var deliveries = browser.Visible("deliveries").Text;
        browser.Screenshot("growers-page");
        Assert.Equal(grower.MemberNo, browser.Visible("member-no").Text);
        Assert.Contains("小票 " + receiptNo, deliveries);
        Assert.Contains("98.5 公斤 · 4 筐", deliveries);
        Assert.Contains("62.5 公斤", deliveries);
        Assert.Contains("损耗", deliveries);
        Assert.Contains("35 公斤", deliveries);
        var page = browser.Driver.PageSource;
        foreach (var other in new[] { neighbour.MemberNo, neighbour.Name, neighboursNo, "77.25" })
            Assert.DoesNotContain(other, page);

        using var rotated = await f.Clerk.PostAsync($"/api/v1/cooperative/growers/{grower.Id}/link/rotation", null);
        Assert.True(rotated.IsSuccessStatusCode, $"rotation: {(int)rotated.StatusCode} {await rotated.Content.ReadAsStringAsync()}");
        using var anyone = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await anyone.GetAsync(link)).StatusCode);
        browser.Driver.Navigate().GoToUrl(link);
        Assert.Contains("链接无效", browser.Driver.FindElement(By.TagName("h2")).Text);
        Assert.DoesNotContain(receiptNo, browser.Driver.PageSource);
        browser.Screenshot("old-link-after-rotation");
        var newLink = await f.GrowerLinkAsync(grower.Id);
        Assert.NotEqual(link, newLink);
        Assert.Equal(HttpStatusCode.OK, (await anyone.GetAsync(newLink)).StatusCode);
    }
}
