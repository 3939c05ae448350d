using MelonChain.Testing;
using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace MelonChain.EndToEnd.Tests;

public partial class SeasonTests
{
    /// <summary>
    /// What a buyer's phone does with a printed label: the label's first page, rendered to an image, opens in a real
    /// Chromium; its QR, read from those pixels, is the box's trace URL on this system's Gateway, and that page tells
    /// the box's story with its certificate.
    /// </summary>
    [Fact]
    public async Task A_printed_label_opens_in_a_browser_and_its_qr_leads_to_the_boxs_trace_page()
    {
        await Chromium.EnsureInstalledAsync();
        var order = (await Orders()).First(o => o.GetProperty("destination").GetProperty("city").GetString() == "北京");
        var orderId = order.GetProperty("id").GetGuid();
        var firstBox = order.GetProperty("boxes")[0].GetProperty("traceCode").GetString()!;
        var certificate = await f.Clerk.GetFromJsonAsync<JsonElement>($"{Cooperative}/orders/{orderId}/certificate");
        var pdf = await f.Clerk.GetByteArrayAsync($"{Cooperative}/orders/{orderId}/labels.pdf");

        var (png, pgm) = await LabelImage.RenderFirstPageAsync(pdf);
        var url = LabelImage.DecodeQr(pgm);

        Assert.Equal(new Uri(f.System.Gateway, $"/trace/{firstBox}").ToString(), url);
        using var browser = Chromium.Start();
        browser.Navigate().GoToUrl(new Uri(png).AbsoluteUri);
        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(20));
        Assert.True(wait.Until(d => ((IJavaScriptExecutor)d).ExecuteScript(
            "const i = document.querySelector('img'); return !!i && i.complete && i.naturalWidth > 700 && i.naturalHeight > i.naturalWidth;") is true),
            "the label image opens in the browser, portrait");

        browser.Navigate().GoToUrl(url!);
        var code = wait.Until(d => d.FindElements(By.Id("code")).FirstOrDefault(e => e.Text.Length > 0));
        Assert.Contains(firstBox, code!.Text);
        Assert.Contains("承诺达标合格证", browser.PageSource);
        Assert.StartsWith("SX-HGZ-", certificate.GetProperty("certificateNo").GetString());
        Assert.Equal(order.GetProperty("boxes").GetArrayLength(), certificate.GetProperty("boxes").GetInt32());
    }
}
