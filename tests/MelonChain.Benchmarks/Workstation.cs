using System.Diagnostics;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace MelonChain.Benchmarks;

/// <summary>
/// P9 and P10: the clerk's workstation (Blazor WebAssembly at /app/) in Debian's headless Chromium against the
/// benchmark's own system. Times are taken inside the page (<c>performance.now()</c> from the navigation's start, by a
/// script Chromium runs before the page's own), so the driver's polling adds nothing to them; bytes are the
/// Resource Timing API's <c>transferSize</c> (what crossed the network, compressed, headers included; 0 for a file
/// served from a cache).
/// </summary>
public static class Workstation
{
    /// <summary>P9's throttled 4G profile (tests/MelonChain.Benchmarks/BARS.md): 10 Mbit/s both ways, 40 ms latency.</summary>
    public const double ThrottledMbitPerSecond = 10, ThrottledLatencyMs = 40;

    /// <summary>
    /// Runs in every document before the app: signs in as soon as the Development sign-in button is usable (the form
    /// comes filled with the demo cooperative's clerk), and marks when the receiving screen is usable — its grower
    /// search enabled, the member register loaded.
    /// </summary>
    private const string Marker = """
        (() => {
          if (!location.pathname.startsWith('/app')) return;
          const mark = () => {
            const signIn = document.getElementById('signIn');
            if (signIn && !signIn.disabled && window.__signInAt === undefined) { window.__signInAt = performance.now(); signIn.click(); }
            const search = document.getElementById('growerSearch');
            if (search && !search.disabled && window.__usableAt === undefined) window.__usableAt = performance.now();
          };
          new MutationObserver(mark).observe(document, { childList: true, subtree: true, attributes: true });
        })();
        """;

    private const string Transferred = """
        const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
        return [entries.reduce((s, e) => s + (e.transferSize || 0), 0), entries.reduce((s, e) => s + (e.decodedBodySize || 0), 0), entries.length];
        """;

    public sealed record Visit(double UsableMs, double SignInShownMs, long TransferredBytes, long DecodedBytes, long Requests);

    public static ChromeDriver Browser()
    {
        var driver = Chromium.Start();
        driver.ExecuteCdpCommand("Page.addScriptToEvaluateOnNewDocument", new Dictionary<string, object?> { ["source"] = Marker });
        driver.ExecuteCdpCommand("Network.enable", []);
        return driver;
    }

    public static void Throttle(ChromeDriver driver, bool offline = false) =>
        driver.ExecuteCdpCommand("Network.emulateNetworkConditions", new Dictionary<string, object?>
        {
            ["offline"] = offline,
            ["latency"] = ThrottledLatencyMs,
            ["downloadThroughput"] = ThrottledMbitPerSecond * 1_000_000 / 8,
            ["uploadThroughput"] = ThrottledMbitPerSecond * 1_000_000 / 8,
        });

    /// <summary>Opens <paramref name="path"/> and waits until the receiving screen is usable (signing in on the way if asked).</summary>
    public static Visit Open(ChromeDriver driver, Uri gateway, string path)
    {
        driver.Navigate().GoToUrl(new Uri(gateway, path));
        var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(120)) { PollingInterval = TimeSpan.FromMilliseconds(50) };
        var usable = Convert.ToDouble(wait.Until(d => ((IJavaScriptExecutor)d).ExecuteScript("return window.__usableAt ?? null;")));
        var signIn = driver.ExecuteScript("return window.__signInAt ?? null;") is { } s ? Convert.ToDouble(s) : double.NaN;
        var bytes = (IReadOnlyList<object>)driver.ExecuteScript(Transferred)!;
        return new Visit(usable, signIn, Convert.ToInt64(bytes[0]), Convert.ToInt64(bytes[1]), Convert.ToInt64(bytes[2]));
    }

    /// <summary>
    /// P9: a fresh browser (no cache, no service worker) opens /app/ on the throttled profile, signs in and reaches a
    /// usable receiving screen; then the same browser opens it again, from its caches, on the same profile.
    /// </summary>
    public static async Task FirstVisitAsync(BenchContext context, Bar bar)
    {
        await Chromium.EnsureInstalledAsync();
        if (!context.Options.Smoke) await RunPublishedGatewayAsync(context, bar);
        else bar.Measurements.Add(new Measurement("served from", double.NaN, double.NaN, double.NaN, 0, 0,
            "smoke: the Gateway's build output (the workstation untrimmed, its files stored uncompressed), not what an image serves, and not throttled (22 MB would take 20 s)"));
        using var driver = Browser();
        try
        {
            if (!context.Options.Smoke) Throttle(driver);
            var first = Open(driver, context.System.Gateway, "/app/");
            bar.Measurements.Add(new Measurement(context.Options.Smoke ? "first visit" : "first visit (throttled)", double.NaN, first.UsableMs, first.UsableMs, first.Requests, 0,
                $"{first.TransferredBytes / 1024.0:F0} KiB transferred, {first.DecodedBytes / 1024.0:F0} KiB decoded, sign-in form usable at {first.SignInShownMs:F0} ms"));
            // The service worker keeps the shell as it is fetched through it: let it take control first.
            driver.ExecuteScript("return navigator.serviceWorker.ready.then(() => true);");
            new WebDriverWait(driver, TimeSpan.FromSeconds(30)).Until(d =>
                ((IJavaScriptExecutor)d).ExecuteScript("return !!navigator.serviceWorker.controller;") is true);

            var runs = context.Options.Smoke ? 2 : 6;
            var cached = new List<Visit>();
            for (var i = 0; i < runs; i++) cached.Add(Open(driver, context.System.Gateway, "/app/receiving"));
            // The first of them may still fill the service worker's cache; the rest are what a clerk meets every morning.
            var measured = cached.Skip(1).ToList();
            var ms = measured.Select(v => v.UsableMs).Order().ToList();
            bar.Measurements.Add(new Measurement(context.Options.Smoke ? "from cache" : "from cache (throttled)", double.NaN, ms[ms.Count / 2], ms[^1], measured.Count, 0,
                $"{measured.Average(v => v.TransferredBytes) / 1024.0:F0} KiB transferred per visit (the API's answers); filling visit {cached[0].UsableMs:F0} ms"));

            bar.Checks.Add(new Check("first visit transferred (compressed)", first.TransferredBytes / 1_048_576.0, " MB", "<=", 3));
            bar.Checks.Add(new Check("first visit to a usable receiving screen", first.UsableMs / 1000, " s", "<=", 3));
            bar.Checks.Add(new Check("from cache to a usable receiving screen (median)", ms[ms.Count / 2] / 1000, " s", "<=", 1));
            bar.Verify(first.DecodedBytes > first.TransferredBytes, "the first visit's files came compressed (decoded bytes exceed transferred)");
            bar.Verify(measured.All(v => v.TransferredBytes < first.TransferredBytes / 10), "a visit from cache fetches under a tenth of the first visit's bytes");
        }
        finally
        {
            driver.Quit();
        }
    }

    /// <summary>
    /// What a cooperative's tablet downloads is the Gateway's image, which is <c>dotnet publish</c> output: the
    /// workstation trimmed and its files precompressed (Brotli and gzip). The build output the tests and
    /// <c>deploy/dev.sh up</c> run keeps every framework assembly untrimmed and its .gz files stored without
    /// compression (22 MB on the first visit), so P9 publishes the Gateway and restarts the system's Gateway from it.
    /// </summary>
    private static async Task RunPublishedGatewayAsync(BenchContext context, Bar bar)
    {
        var folder = Path.Combine(context.WorkDir, "gateway-published");
        var clock = Stopwatch.StartNew();
        BenchContext.Log("P9: publishing the Gateway with the workstation (dotnet publish -c Release)");
        await Cli.Run("dotnet", ["publish", Path.Combine(Repository.Root, "services", "Gateway", "Gateway.csproj"), "-c", "Release", "-o", folder, "-nologo", "-v", "q"],
            timeout: TimeSpan.FromMinutes(10));
        var gateway = context.System["Gateway"];
        await gateway.StopAsync();
        gateway.Folder = folder;
        await gateway.StartAsync();
        bar.Measurements.Add(new Measurement("served from", double.NaN, double.NaN, double.NaN, 0, 0,
            $"the Gateway's dotnet publish output (published in {clock.Elapsed.TotalSeconds:F0} s), as its image serves it"));
    }

    /// <summary>
    /// P10: the clerk captures receipts on the receiving screen with the network cut (Chromium's network emulation:
    /// the page's requests fail and it hears <c>offline</c>), 300 of them (5 in smoke); the network returns and the
    /// queue sends them. Measured: from the network's return until the queue count shows 0 (polled every 50 ms);
    /// checked: the Cooperative holds every capture once (each its own <c>captured_at</c>), none twice.
    /// </summary>
    public static async Task OfflineSyncAsync(BenchContext context, Bar bar)
    {
        await Chromium.EnsureInstalledAsync();
        var count = context.Options.Smoke ? 5 : 300;
        using var driver = Browser();
        try
        {
            Open(driver, context.System.Gateway, "/app/");
            var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(60)) { PollingInterval = TimeSpan.FromMilliseconds(20) };
            var started = DateTimeOffset.UtcNow;
            Throttle(driver, offline: true);
            wait.Until(d => d.FindElements(By.Id("offlineBadge")).Count > 0);
            var capturing = Stopwatch.StartNew();
            for (var i = 0; i < count; i++) CaptureOffline(driver, wait, $"M{i % 100 + 1:D4}", 50 + i % 50 + 0.5m);
            var typed = capturing.Elapsed;
            wait.Until(d => d.FindElement(By.Id("queueCount")).Text.Trim() == count.ToString());

            driver.ExecuteCdpCommand("Network.emulateNetworkConditions", new Dictionary<string, object?>
            {
                ["offline"] = false, ["latency"] = 0, ["downloadThroughput"] = -1, ["uploadThroughput"] = -1,
            });
            var syncing = Stopwatch.StartNew();
            new WebDriverWait(driver, TimeSpan.FromMinutes(5)) { PollingInterval = TimeSpan.FromMilliseconds(50) }
                .Until(d => d.FindElement(By.Id("queueCount")).Text.Trim() == "0");
            var synced = syncing.Elapsed;

            await using var coop = await context.OpenAsync("Cooperative");
            var (rows, distinct) = await Dapper.SqlMapper.QuerySingleAsync<(long, long)>(coop,
                "select count(*), count(distinct captured_at) from receipts where captured_at >= @started", new { started });
            bar.Measurements.Add(new Measurement($"{count} receipts synced", count / synced.TotalSeconds, double.NaN, double.NaN, rows, 0,
                $"last recorded {synced.TotalSeconds:F1} s after the network returned; typing them offline took {typed.TotalSeconds:F0} s"));
            bar.Checks.Add(new Check($"{count} offline receipts recorded after the network returned", synced.TotalSeconds, " s", "<=", 30));
            bar.Verify(rows == count && distinct == count, $"every capture recorded once: {rows} receipts, {distinct} capture times, {count} captured");
        }
        finally
        {
            driver.Quit();
        }
    }

    /// <summary>One receipt typed on the receiving screen while offline: grower by number, gross kg, crates, save; queued.</summary>
    private static void CaptureOffline(ChromeDriver driver, WebDriverWait wait, string memberNo, decimal grossKg)
    {
        if (driver.FindElements(By.CssSelector("#grower button")).FirstOrDefault() is { } change) change.Click();
        var search = wait.Until(d => d.FindElements(By.Id("growerSearch")).FirstOrDefault(e => e.Displayed && e.Enabled))!;
        Type(search, memberNo);
        wait.Until(d => d.FindElements(By.CssSelector("ul.choices button")).FirstOrDefault(b => b.Text.Contains(memberNo)))!.Click();
        Type(wait.Until(d => d.FindElements(By.Id("grossKg")).FirstOrDefault(e => e.Displayed))!, grossKg.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Type(driver.FindElement(By.Id("crates")), "3");
        var before = driver.FindElements(By.Id("provisionalNo")).FirstOrDefault()?.Text;
        driver.FindElement(By.Id("save")).Click();
        wait.Until(d => d.FindElements(By.Id("provisionalNo")).FirstOrDefault()?.Text is { Length: > 0 } no && no != before);
    }

    private static void Type(IWebElement field, string value)
    {
        field.SendKeys(Keys.Control + "a");
        field.SendKeys(Keys.Delete);
        field.SendKeys(value + Keys.Tab);
    }
}
