using OpenQA.Selenium;

namespace MelonChain.EndToEnd.Tests;

public sealed partial class WorkstationJourneys
{
    /// <summary>
    /// Journey 1. A clerk signs in, records a receipt with a typed weight (its slip shows at once, with the receipt's
    /// number), grades it on 挑选, and prints the slip from its page: the print view holds the receipt number and a QR
    /// that, read from the pixels the browser shows, is the grower's own link — which opens the grower's page with
    /// that receipt and its grading.
    /// </summary>
    [Fact]
    public async Task A_clerk_records_a_receipt_grades_it_and_prints_the_slip_whose_QR_is_the_growers_link()
    {
        var grower = await f.GrowerAsync("周伯");
        using var browser = f.Browser("slip");
        browser.SignIn();

        var receiptNo = browser.RecordReceipt(grower.MemberNo, 88.8m, 4);
        Assert.Equal(receiptNo, browser.Visible("slipReceiptNo").Text);
        browser.Screenshot("saved-with-slip", show: "slip");
        var receipt = Assert.Single(await f.ReceiptsOfAsync(grower.Id));
        Assert.Equal(receiptNo, receipt.GetProperty("receiptNo").GetString());
        Assert.Equal(88.8m, receipt.GetProperty("grossKg").GetDecimal());

        browser.Navigate("grading", "挑选");
        browser.Grade(receiptNo, new Dictionary<string, decimal> { ["premium"] = 50m, ["grade1"] = 37.8m }, queued: false);
        browser.Screenshot("graded", show: "gradingSaved");
        var grades = await f.System.QueryAsync<long>("Cooperative", "select graded_grams from gradings where receipt_id = @id and reversed_at is null",
            new { id = receipt.GetProperty("id").GetGuid() });
        Assert.Equal([87_800L], grades);

        browser.Open($"/app/slips/{receipt.GetProperty("id").GetGuid()}");
        Assert.Equal(receiptNo, browser.Visible("slipReceiptNo").Text);
        Assert.Equal(grower.MemberNo, browser.Visible("slipMemberNo").Text);
        var link = await f.GrowerLinkAsync(grower.Id);
        Assert.Equal(link, browser.DecodeQr("slipQr"));
        browser.Visible("printSlip").Click();
        browser.Screenshot("slip-printed", show: "slip");

        browser.Driver.Navigate().GoToUrl(link);
        var deliveries = browser.Visible("deliveries").Text;
        Assert.Contains("小票 " + receiptNo, deliveries);
        Assert.Contains("50 公斤", deliveries);
        Assert.Contains("37.8 公斤", deliveries);
        browser.Screenshot("growers-page-from-the-qr");
    }
}
