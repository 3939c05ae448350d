using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace MelonChain.Tracking.Tests;

/// <summary>
/// The pages as a buyer meets them, in headless Chromium from the OS packages (no browser can be downloaded
/// here): Tracking listens on a real port, the browser fills the form and reads the answer.
/// </summary>
public class BrowserTests(BrowserTests.Fixture f) : IClassFixture<BrowserTests.Fixture>
{
    public sealed class Fixture : TrackingFixture
    {
        public string BaseUrl { get; private set; } = "";
        public ShipmentStory Story { get; } = ShipmentStory.Create(DateTimeOffset.UtcNow.AddDays(-2));

        protected override async Task BeforeStartAsync()
        {
            await Chromium.EnsureInstalledAsync();
            var port = Cli.FreePort();
            Tracking.UseKestrel(port);
            BaseUrl = $"http://127.0.0.1:{port}";
        }

        public ChromeDriver Browser() => Chromium.Start();
    }

    [Fact]
    public async Task A_buyer_tracks_a_delivered_shipment_on_the_track_page()
    {
        await f.PublishAsync(f.Story.Events);
        await f.WaitForWholeStoryAsync(f.Story);
        using var browser = f.Browser();

        browser.Navigate().GoToUrl(f.BaseUrl + "/track");
        browser.FindElement(By.Id("waybill")).SendKeys(f.Story.MasterWaybill);
        browser.FindElement(By.Id("last4")).SendKeys("2222");
        browser.FindElement(By.CssSelector("button[type=submit]")).Click();

        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(20));
        var status = wait.Until(d => d.FindElements(By.Id("status")).FirstOrDefault());
        Assert.Contains("Delivered", status!.Text);
        Assert.Contains("On time", browser.FindElement(By.Id("promise")).Text);
        Assert.Equal(5, browser.FindElements(By.CssSelector("#timeline li")).Count);
        Assert.DoesNotContain(ShipmentStory.ContactName, browser.PageSource);

        browser.FindElement(By.Id("last4")).Clear();
        browser.FindElement(By.Id("last4")).SendKeys("0000");
        browser.FindElement(By.CssSelector("button[type=submit]")).Click();
        Assert.Contains("No shipment", wait.Until(d => d.FindElements(By.Id("error")).FirstOrDefault())!.Text);
    }

    [Fact]
    public async Task Anyone_scanning_a_box_reads_its_story_on_the_trace_page()
    {
        await f.PublishAsync(f.Story.Events);
        await f.WaitForWholeStoryAsync(f.Story);
        using var browser = f.Browser();

        browser.Navigate().GoToUrl($"{f.BaseUrl}/trace/{f.Story.TraceCodes[0]}");

        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(20));
        var grade = wait.Until(d => d.FindElements(By.Id("grade")).FirstOrDefault());
        Assert.Contains("Grade 1", grade!.Text);
        Assert.Contains("5 kg", browser.FindElement(By.Id("net")).Text);
        var origins = browser.FindElement(By.Id("origins")).Text;
        Assert.Contains("SX-007", origins);
        Assert.Contains("EP-012", origins);
        Assert.Contains("DR-2026-01", origins);
        Assert.Contains("上巷村", browser.FindElement(By.Id("villages")).Text);
        Assert.True(wait.Until(d => ((IJavaScriptExecutor)d).ExecuteScript(
            "const i = document.querySelector('img.qr'); return !!i && i.complete && i.naturalWidth > 0;") is true), "the QR image loads");
    }
}
