using MelonChain.Testing;
using OpenQA.Selenium;

namespace MelonChain.EndToEnd.Tests;

public sealed partial class WorkstationJourneys
{
    /// <summary>
    /// Journey 2. The village's line drops (Chromium's network emulation offline, and the Gateway stopped, so nothing
    /// — not even the service worker — reaches the server): the clerk captures 5 receipts and grades 2 of them, and a
    /// third grading whose shrink the server will refuse (the limit could not be read offline); the page is reloaded
    /// while offline and the queue is still there. The network returns: the API then holds exactly those 5 receipts
    /// and 2 gradings, once each, numbered in capture order, and the refused grading waits on the queue page with
    /// the server's words.
    /// </summary>
    [Fact]
    public async Task Offline_captures_survive_a_reload_and_are_recorded_once_each_in_capture_order_when_the_network_returns_and_a_refusal_is_shown()
    {
        var grower = await f.GrowerAsync("梁姨");
        using var browser = f.Browser("offline");
        browser.SignIn();
        browser.WaitForShellCached();
        Assert.Equal(0, browser.QueueCount);

        var gateway = f.System["Gateway"];
        browser.SetOffline(true);
        await gateway.StopAsync();
        try
        {
            browser.Wait.Until(d => d.FindElements(By.Id("offlineBadge")).Count > 0);
            decimal[] weights = [101.5m, 102.5m, 103.5m, 104.5m, 105.5m];
            var provisional = weights.Select((kg, i) => browser.CaptureOffline(grower.MemberNo, kg, i + 1)).ToList();
            Assert.Equal(5, provisional.Distinct().Count());
            browser.Screenshot("five-receipts-queued", show: "queued");

            browser.Navigate("grading", "挑选");
            browser.Grade(provisional[0], new Dictionary<string, decimal> { ["premium"] = 60m, ["grade1"] = 40.5m }, queued: true);
            browser.Grade(provisional[1], new Dictionary<string, decimal> { ["premium"] = 100m, ["grade2"] = 1.5m }, queued: true);
            // 90 of 103.5 kg graded: 13% shrink, over the profile's 3% limit, which the screen could not read offline.
            browser.Grade(provisional[2], new Dictionary<string, decimal> { ["grade1"] = 90m }, queued: true);
            Assert.Equal(8, browser.QueueCount);

            browser.Driver.Navigate().Refresh();
            browser.Wait.Until(d => d.FindElements(By.Id("queueCount")).FirstOrDefault(e => e.Text.Trim() == "8"));
            Assert.NotEmpty(browser.Driver.FindElements(By.Id("offlineBadge")));
            browser.Navigate("queue", "待发送");
            Assert.Equal(8, browser.Wait.Until(d => d.FindElements(By.CssSelector("#queue tr.capture")) is { Count: 8 } rows ? rows : null)!.Count);
            browser.Screenshot("queue-after-reload-offline", show: "queue");
            Assert.Empty(await f.ReceiptsOfAsync(grower.Id, direct: true));
        }
        finally
        {
            await gateway.StartAsync();
            browser.SetOffline(false);
        }

        browser.Wait.Until(d => d.FindElements(By.Id("queueCount")).FirstOrDefault(e => e.Text.Trim() == "1"));
        var refused = browser.Wait.Until(d => d.FindElements(By.CssSelector("#queue tr.refusal")).FirstOrDefault(e => e.Displayed))!;
        Assert.Contains("3%", refused.Text);
        browser.Screenshot("synced-one-refused", show: "queue");

        var receipts = await f.ReceiptsOfAsync(grower.Id);
        Assert.Equal([101.5m, 102.5m, 103.5m, 104.5m, 105.5m], receipts.Select(r => r.GetProperty("grossKg").GetDecimal()));
        Assert.Equal([1, 2, 3, 4, 5], receipts.Select(r => r.GetProperty("crates").GetInt32()));
        var receivedAt = receipts.Select(r => r.GetProperty("receivedAt").GetDateTimeOffset()).ToList();
        Assert.Equal(receivedAt.Order(), receivedAt);
        var ids = receipts.Select(r => r.GetProperty("id").GetGuid()).ToArray();
        var gradings = await f.System.QueryAsync<Guid>("Cooperative", "select receipt_id from gradings where receipt_id = any(@ids) order by graded_at", new { ids });
        Assert.Equal([ids[0], ids[1]], gradings);
    }
}
