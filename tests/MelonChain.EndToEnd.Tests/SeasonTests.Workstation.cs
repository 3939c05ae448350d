using MelonChain.Testing;
using OpenQA.Selenium;

namespace MelonChain.EndToEnd.Tests;

public partial class SeasonTests
{
    /// <summary>
    /// The README's walk-through, in a real Chromium on the demo season: a newcomer signs in as Shangxiang's clerk
    /// (the sign-in form comes filled with the demo cooperative) and finds the season's members on the receiving
    /// screen. It only reads: the season's figures the other tests check stay as the demo left them. Its screenshot
    /// is the one the README shows (services/Workstation/docs/).
    /// </summary>
    [Fact]
    public async Task A_newcomer_signing_in_as_Shangxiangs_clerk_finds_the_demo_seasons_members_on_the_receiving_screen()
    {
        await Chromium.EnsureInstalledAsync();
        var driver = Chromium.Start();
        driver.Manage().Window.Size = new System.Drawing.Size(1280, 720);
        using var browser = new WorkstationBrowser(driver, f.System.Gateway, "readme");

        browser.Open("/app/");
        Assert.Equal("shangxiang", browser.Visible("cooperativeId").GetAttribute("value"));
        browser.Visible("signIn").Click();
        Assert.Contains("shangxiang", browser.Visible("who").Text);
        var search = browser.Wait.Until(d => d.FindElements(By.Id("growerSearch")).FirstOrDefault(e => e.Displayed && e.Enabled))!;
        WorkstationBrowser.Replace(search, "社员1");
        var choices = browser.Wait.Until(d => d.FindElements(By.CssSelector("ul.choices button")) is { Count: > 1 } found ? found : null)!;
        Assert.Contains(choices, c => c.Text.Contains("SX-001") && c.Text.Contains("社员1"));
        Assert.Contains(choices, c => c.Text.Contains("SX-012") && c.Text.Contains("社员12"));
        browser.Screenshot("receiving");
    }
}
