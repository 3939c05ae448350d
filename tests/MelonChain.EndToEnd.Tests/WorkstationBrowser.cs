using MelonChain.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace MelonChain.EndToEnd.Tests;

/// <summary>
/// The clerk's workstation in a real headless Chromium, driven as a clerk uses it: by the element ids the screens
/// give their fields. Every step that waits waits on what the page shows, with a deadline. Screenshots go to
/// <see cref="ScreenshotFolder"/>, named journey-step.
/// </summary>
public sealed class WorkstationBrowser(ChromeDriver driver, Uri gateway, string journey) : IDisposable
{
    private int _step;

    /// <summary>
    /// Where the journeys' screenshots are kept as test artifacts: <c>MELON_SCREENSHOTS</c> if set, otherwise
    /// <c>tests/MelonChain.EndToEnd.Tests/TestResults/screenshots/</c> (beside dotnet test's own results, git-ignored).
    /// </summary>
    public static string ScreenshotFolder { get; } = Environment.GetEnvironmentVariable("MELON_SCREENSHOTS") is { Length: > 0 } folder
        ? folder
        : Path.Combine(Repository.Root, "tests", "MelonChain.EndToEnd.Tests", "TestResults", "screenshots");

    public ChromeDriver Driver { get; } = driver;
    public WebDriverWait Wait { get; } = new(driver, TimeSpan.FromSeconds(60)) { PollingInterval = TimeSpan.FromMilliseconds(100) };

    public void Open(string path) => Driver.Navigate().GoToUrl(new Uri(gateway, path));

    /// <summary>The Development sign-in: cooperative, role and 工号, then the receiving screen with its growers loaded.</summary>
    public void SignIn(string role = "clerk", string subject = "clerk-1", string cooperative = MelonSystem.Cooperative)
    {
        Open("/app/signin");
        Replace(Visible("cooperativeId"), cooperative);
        Visible("role").FindElement(By.CssSelector($"option[value='{role}']")).Click();
        Replace(Visible("subject"), subject);
        Visible("signIn").Click();
        Wait.Until(d => d.FindElements(By.Id("who")).FirstOrDefault(e => e.Text.Contains(subject)));
    }

    /// <summary>On the receiving screen: the grower found by number, the weight and crates typed, saved; returns the number shown.</summary>
    public string RecordReceipt(string memberNo, decimal grossKg, int crates) => Capture(memberNo, grossKg, crates, "receiptNo");

    /// <summary>The same with the network down: the capture is queued on the device; returns its provisional number.</summary>
    public string CaptureOffline(string memberNo, decimal grossKg, int crates) => Capture(memberNo, grossKg, crates, "provisionalNo");

    private string Capture(string memberNo, decimal grossKg, int crates, string shownId)
    {
        PickGrower(memberNo);
        Replace(Visible("grossKg"), grossKg.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Replace(Visible("crates"), crates.ToString());
        var before = Driver.FindElements(By.Id(shownId)).FirstOrDefault()?.Text;
        Visible("save").Click();
        return Wait.Until(d =>
        {
            var problem = d.FindElements(By.Id("problem")).FirstOrDefault();
            if (problem is not null && problem.Displayed) throw new InvalidOperationException("the receipt was refused: " + problem.Text);
            var shown = d.FindElements(By.Id(shownId)).FirstOrDefault()?.Text;
            return string.IsNullOrEmpty(shown) || shown == before ? null : shown;
        })!;
    }

    /// <summary>
    /// On the grading screen: the receipt (by a text its line shows: its number, or a queued one's provisional number)
    /// graded with kg per grade; returns the number shown (the grading's, or the provisional one when queued).
    /// </summary>
    public string Grade(string receipt, IReadOnlyDictionary<string, decimal> kgPerGrade, bool queued)
    {
        Wait.Until(d => d.FindElements(By.CssSelector("#ungraded button")).FirstOrDefault(b => b.Text.Contains(receipt)))!.Click();
        Wait.Until(d => d.FindElements(By.Id("gradingTarget")).FirstOrDefault(e => e.Text.Contains(receipt)));
        foreach (var (grade, kg) in kgPerGrade)
        {
            var field = Visible("kg-" + grade);
            field.Clear();
            field.SendKeys(kg.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        Visible("saveGrading").Click();
        var shownId = queued ? "gradingQueued" : "gradingSaved";
        return Wait.Until(d =>
        {
            var problem = d.FindElements(By.Id("problem")).FirstOrDefault();
            if (problem is not null && problem.Displayed) throw new InvalidOperationException("the grading was refused: " + problem.Text);
            return d.FindElements(By.CssSelector($"#{shownId} strong")).FirstOrDefault()?.Text is { Length: > 0 } no ? no : null;
        })!;
    }

    /// <summary>Sets a field as the clerk would pick it (a date, a choice) and tells Blazor it changed.</summary>
    public void SetValue(string id, string value) =>
        Driver.ExecuteScript("const e = arguments[0]; e.value = arguments[1]; e.dispatchEvent(new Event('change', { bubbles: true }));",
            Visible(id), value);

    /// <summary>
    /// Presses a button that opens a document (labels, a statement) in a new tab, as the app does it (a blob: URL of
    /// what it fetched with the clerk's token); returns the tab's URL and the content type its document has (the
    /// workstation's Content-Security-Policy keeps a script from reading the blob back, and headless Chromium draws
    /// no PDF viewer to photograph), and comes back to the app.
    /// </summary>
    public (string Url, string ContentType) OpenDocument(string buttonId)
    {
        var app = Driver.CurrentWindowHandle;
        var before = Driver.WindowHandles.ToHashSet();
        Visible(buttonId).Click();
        var opened = Wait.Until(d => d.WindowHandles.FirstOrDefault(h => !before.Contains(h)))!;
        Driver.SwitchTo().Window(opened);
        try
        {
            var url = Wait.Until(d => d.Url.StartsWith("blob:") ? d.Url : null)!;
            var type = Wait.Until(_ => Driver.ExecuteScript("return document.readyState === 'complete' ? document.contentType : null;") as string)!;
            return (url, type);
        }
        finally
        {
            Driver.Close();
            Driver.SwitchTo().Window(app);
        }
    }

    /// <summary>Keeps a document beside the screenshots, as <c>journey-NN-step.pdf</c>.</summary>
    public void Keep(byte[] document, string step)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        File.WriteAllBytes(Path.Combine(ScreenshotFolder, $"{journey}-{++_step:D2}-{step}.pdf"), document);
    }

    /// <summary>
    /// The text of the QR an <c>&lt;img&gt;</c> shows, read from the pixels the browser decoded: drawn on a canvas
    /// (enlarged without smoothing, on a white margin), turned grey, and read by ZXing.
    /// </summary>
    public string? DecodeQr(string imageId)
    {
        var drawn = (IReadOnlyList<object>)Driver.ExecuteScript("""
            const img = arguments[0], scale = Math.max(1, Math.ceil(400 / img.naturalWidth)), margin = 40;
            const w = img.naturalWidth * scale + 2 * margin, h = img.naturalHeight * scale + 2 * margin;
            const canvas = document.createElement('canvas'); canvas.width = w; canvas.height = h;
            const ctx = canvas.getContext('2d'); ctx.imageSmoothingEnabled = false;
            ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, w, h);
            ctx.drawImage(img, margin, margin, img.naturalWidth * scale, img.naturalHeight * scale);
            const rgba = ctx.getImageData(0, 0, w, h).data, grey = new Uint8Array(w * h);
            for (let i = 0; i < grey.length; i++) grey[i] = (rgba[4 * i] * 299 + rgba[4 * i + 1] * 587 + rgba[4 * i + 2] * 114) / 1000;
            let text = ''; for (let i = 0; i < grey.length; i += 8192) text += String.fromCharCode(...grey.subarray(i, i + 8192));
            return [w, h, btoa(text)];
            """, Wait.Until(d => d.FindElements(By.Id(imageId)).FirstOrDefault(e => e.Displayed
                && Driver.ExecuteScript("return arguments[0].complete && arguments[0].naturalWidth > 0;", e) is true)))!;
        var (width, height) = (Convert.ToInt32(drawn[0]), Convert.ToInt32(drawn[1]));
        var grey = Convert.FromBase64String((string)drawn[2]);
        return new ZXing.QrCode.QRCodeReader().decode(new ZXing.BinaryBitmap(new ZXing.Common.HybridBinarizer(
            new ZXing.RGBLuminanceSource(grey, width, height, ZXing.RGBLuminanceSource.BitmapFormat.Gray8))))?.Text;
    }

    /// <summary>Follows the layout's link to a screen (the app's own navigation: no page load, so it works offline).</summary>
    public void Navigate(string href, string heading)
    {
        Wait.Until(d => d.FindElements(By.CssSelector($"header a[href='{href}']")).FirstOrDefault(e => e.Displayed && e.Enabled))!.Click();
        Wait.Until(d => d.FindElements(By.TagName("h1")).FirstOrDefault(h => h.Text.Contains(heading)));
    }

    public void PickGrower(string memberNo)
    {
        if (Driver.FindElements(By.CssSelector("#grower button")).FirstOrDefault() is { } change) change.Click();
        var search = Wait.Until(d => d.FindElements(By.Id("growerSearch")).FirstOrDefault(e => e.Displayed && e.Enabled))!;
        Replace(search, memberNo);
        Wait.Until(d => d.FindElements(By.CssSelector("ul.choices button")).FirstOrDefault(b => b.Text.Contains(memberNo)))!.Click();
        Wait.Until(d => d.FindElements(By.Id("grower")).FirstOrDefault(e => e.Text.Contains(memberNo)));
    }

    /// <summary>
    /// Cuts the network or gives it back: Chromium's network emulation (the page's requests fail, <c>navigator.onLine</c>
    /// turns false and the window hears <c>offline</c>/<c>online</c>, as when the village's line drops).
    /// </summary>
    public void SetOffline(bool offline)
    {
        Driver.ExecuteCdpCommand("Network.enable", []);
        Driver.ExecuteCdpCommand("Network.emulateNetworkConditions", new Dictionary<string, object?>
        {
            ["offline"] = offline, ["latency"] = 0, ["downloadThroughput"] = -1, ["uploadThroughput"] = -1,
        });
    }

    /// <summary>
    /// Waits until the service worker controls the page and its caches hold the app's WebAssembly files: only then does
    /// the app open without a network. The worker keeps a framework file as it passes through it, so the first visit
    /// (before the worker controls the page) is followed by one reload.
    /// </summary>
    public void WaitForShellCached()
    {
        Wait.Until(_ => Driver.ExecuteScript("return !!navigator.serviceWorker.controller;") is true);
        const string cached = """
            return caches.keys().then(names => Promise.all(names.map(n => caches.open(n).then(c => c.keys()))))
              .then(lists => lists.flat().some(r => /\/_framework\/dotnet\.native\.[^/]*wasm$/.test(new URL(r.url).pathname)));
            """;
        if (Driver.ExecuteScript(cached) is not true)
        {
            Driver.Navigate().Refresh();
            Wait.Until(_ => Driver.ExecuteScript("return !!navigator.serviceWorker.controller && !!document.getElementById('who');") is true);
        }
        Wait.Until(_ => Driver.ExecuteScript(cached) is true);
    }

    /// <summary>The captures waiting on this device, as the layout shows them.</summary>
    public int QueueCount => int.Parse(Visible("queueCount").Text.Trim());

    public IWebElement Visible(string id) => Wait.Until(d => d.FindElements(By.Id(id)).FirstOrDefault(e => e.Displayed))!;

    /// <summary>Clears the field and types the value, then leaves it (Blazor's @bind takes the value on change).</summary>
    public static void Replace(IWebElement field, string value)
    {
        field.SendKeys(Keys.Control + "a");
        field.SendKeys(Keys.Delete);
        field.SendKeys(value + Keys.Tab);
    }

    /// <summary>Saves what the browser shows as <c>journey-NN-step.png</c> (scrolled to <paramref name="show"/>'s element); returns the file.</summary>
    public string Screenshot(string step, string? show = null)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        if (show is not null && Driver.FindElements(By.Id(show)).FirstOrDefault() is { } element)
            Driver.ExecuteScript("arguments[0].scrollIntoView({block: 'center'});", element);
        var file = Path.Combine(ScreenshotFolder, $"{journey}-{++_step:D2}-{step}.png");
        Driver.GetScreenshot().SaveAsFile(file);
        return file;
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
    }
}
