using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Messages;
using MelonChain.Testing;
using OpenQA.Selenium;

namespace MelonChain.EndToEnd.Tests;

public sealed partial class WorkstationJourneys
{
    /// <summary>
    /// Journey 3. With a grower's melons graded into stock and a buyer on the books, the clerk places an order on the
    /// 订单 screen, packs it and opens its box labels (the PDF the Cooperative makes, opened in a new tab); once the
    /// courier has collected it and the carrier delivered it, the clerk settles the period on the 结算 screen and opens
    /// the grower's statement.
    /// </summary>
    [Fact]
    public async Task The_clerk_places_and_packs_an_order_opens_its_labels_then_settles_the_period_and_opens_a_statement()
    {
        var grower = await f.GrowerAsync("何伯");
        var receipt = await f.Scenario.PostAsync(f.Clerk, "/api/v1/cooperative/receipts", Scenario.Receipt(grower.Id, 51m));
        await f.Scenario.PostAsync(f.Clerk, $"/api/v1/cooperative/receipts/{receipt.GetProperty("id").GetGuid()}/grading",
            new { lines = new[] { new { grade = "premium", kg = 50m } } });
        var buyer = await f.Scenario.PostAsync(f.Clerk, "/api/v1/cooperative/buyers",
            new { name = "京味餐厅", city = "北京", address = "朝阳区建国路88号", contactName = "王经理", phone = "13911112222" });
        var buyerId = buyer.GetProperty("id").GetGuid();
        using var browser = f.Browser("orders-settlement");
        browser.SignIn();

        browser.Visible("navOrders").Click();
        browser.Visible("newOrder").Click();
        browser.Wait.Until(d => d.FindElements(By.CssSelector($"#buyer option[value='{buyerId}']")).FirstOrDefault())!.Click();
        WorkstationBrowser.Replace(browser.Visible("destCity"), "北京");
        WorkstationBrowser.Replace(browser.Visible("destAddress"), "朝阳区建国路88号");
        WorkstationBrowser.Replace(browser.Visible("destContact"), "王经理");
        WorkstationBrowser.Replace(browser.Visible("destPhone"), "13911112222");
        WorkstationBrowser.Replace(browser.Visible("kg-premium"), "10");
        WorkstationBrowser.Replace(browser.Visible("price-premium"), "16");
        browser.Screenshot("order-form", show: "placeOrder");
        browser.Visible("place").Click();
        browser.Wait.Until(d => d.FindElements(By.Id("detailStatus")).FirstOrDefault(e => e.GetAttribute("data-status") == "placed"));
        var orderId = Assert.Single(await SeasonFixture.AllAsync(f.Clerk, "/api/v1/cooperative/orders"),
            o => o.GetProperty("buyerId").GetGuid() == buyerId).GetProperty("id").GetGuid();
        Assert.EndsWith(browser.Visible("detailOrderId").Text, orderId.ToString());

        browser.Visible("pack").Click();
        var certificateNo = browser.Visible("certificateNo").Text;
        Assert.StartsWith("SX-HGZ-", certificateNo);
        browser.Wait.Until(d => d.FindElements(By.Id("detailStatus")).FirstOrDefault(e => e.GetAttribute("data-status") == "packed"));
        browser.Screenshot("packed", show: "packed");
        var labels = browser.OpenDocument("labels");
        Assert.Equal("application/pdf", labels.ContentType);
        Assert.StartsWith("blob:" + f.System.Gateway.GetLeftPart(UriPartial.Authority), labels.Url);

        var order = await f.Clerk.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{orderId}");
        Assert.Equal("packed", order.GetProperty("status").GetString());
        Assert.Equal(buyerId, order.GetProperty("buyerId").GetGuid());
        var traceCodes = order.GetProperty("boxes").EnumerateArray().Select(b => b.GetProperty("traceCode").GetString()!).ToList();
        Assert.Equal(2, traceCodes.Count);
        // The order's labels (the PDF that tab showed): their first box's QR leads to its trace page on this Gateway.
        var labelsPdf = await f.Clerk.GetByteArrayAsync($"/api/v1/cooperative/orders/{orderId}/labels.pdf");
        browser.Keep(labelsPdf, "labels");
        var (_, pgm) = await LabelImage.RenderFirstPageAsync(labelsPdf);
        Assert.Equal(new Uri(f.System.Gateway, $"/trace/{traceCodes[0]}").ToString(), LabelImage.DecodeQr(pgm));
        var pickupId = await f.Scenario.AcceptPickupAsync(orderId);
        await f.Scenario.CollectAsync(pickupId, traceCodes);
        var delivered = await Eventually.Until(() => f.Clerk.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{orderId}"),
            o => o.GetProperty("status").GetString() == "delivered", TimeSpan.FromSeconds(120), "the carrier to deliver the order");
        var deliveredOn = ChinaTime.DateOf(delivered.GetProperty("deliveredAt").GetDateTimeOffset());

        browser.Visible("navSettlement").Click();
        var to = new[] { deliveredOn, DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)) }.Max();
        browser.SetValue("settleFrom", deliveredOn.AddDays(-7).ToString("yyyy-MM-dd"));
        browser.SetValue("settleTo", to.ToString("yyyy-MM-dd"));
        browser.Visible("settle").Click();
        var statement = browser.Wait.Until(d => d.FindElements(By.CssSelector($"#statements tr[data-grower-id='{grower.Id}']")).FirstOrDefault())!;
        Assert.Contains(grower.MemberNo, statement.Text);
        browser.Screenshot("settled", show: "settlement");
        var pdf = browser.OpenDocument($"statement-{grower.Id}");
        Assert.Equal("application/pdf", pdf.ContentType);

        var settlementId = Guid.Parse(browser.Visible("settlement").GetAttribute("data-settlement-id")!);
        browser.Keep(await f.Clerk.GetByteArrayAsync($"/api/v1/cooperative/settlements/{settlementId}/statements/{grower.Id}.pdf"), "statement");
        var settled = await f.Clerk.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/settlements/{settlementId}");
        Assert.Contains(settled.GetProperty("statements").EnumerateArray(), s => s.GetProperty("growerId").GetGuid() == grower.Id);
        Assert.Equal("settled", (await f.Clerk.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{orderId}")).GetProperty("status").GetString());
    }
}
