using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MelonChain.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace MelonChain.Platform.Tests;

/// <summary>
/// The Gateway, run as the built process deploy/dev.sh starts, serves the clerk's workstation at /app/ beside the API:
/// the page, the framework files the browser loads next, and the app's pages on reload; the API routes are unchanged.
/// </summary>
public sealed class WorkstationHostingTests : IAsyncLifetime
{
    private readonly ServiceProcess _gateway = new("Gateway", new Dictionary<string, string>());
    private readonly HttpClient _browser = new();

    public async Task InitializeAsync()
    {
        await _gateway.StartAsync();
        _browser.BaseAddress = _gateway.BaseAddress;
    }

    [Theory]
    [InlineData("/app/")]
    [InlineData("/app")]
    [InlineData("/app/receiving")]
    public async Task The_workstation_page_is_served_in_Chinese_at_app(string path)
    {
        var response = await _browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"zh-CN\">", html);
        Assert.Contains("<title>合作社工作台</title>", html);
        Assert.Contains("<base href=\"/app/\" />", html);
        Assert.Contains("<link rel=\"manifest\" href=\"manifest.webmanifest\" />", html);
    }

    [Fact]
    public async Task The_framework_files_the_page_loads_are_served_and_name_the_workstation_assembly()
    {
        var script = await _browser.GetAsync("/app/_framework/blazor.webassembly.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);

        // dotnet.js carries the boot configuration: the app's own assembly under its fingerprinted name.
        var runtime = await _browser.GetStringAsync("/app/_framework/dotnet.js");
        var assembly = Regex.Match(runtime, @"MelonChain\.Workstation\.[a-z0-9]+\.wasm");
        Assert.True(assembly.Success, "dotnet.js names no MelonChain.Workstation.<fingerprint>.wasm");
        var wasm = await _browser.GetAsync("/app/_framework/" + assembly.Value);
        Assert.Equal(HttpStatusCode.OK, wasm.StatusCode);
        Assert.Equal("application/wasm", wasm.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_app_is_installable_its_manifest_and_service_worker_are_served_under_app()
    {
        var manifest = await _browser.GetAsync("/app/manifest.webmanifest");
        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
        var json = await manifest.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("/app/", json.GetProperty("start_url").GetString());
        Assert.Equal("/app/", json.GetProperty("scope").GetString());
        Assert.Equal("standalone", json.GetProperty("display").GetString());

        // PNG icons of the sizes installers ask for (Android wants 192 and 512; not every one takes SVG).
        var icons = json.GetProperty("icons").EnumerateArray().ToList();
        foreach (var size in new[] { 192, 512 })
        {
            var icon = icons.Single(i => i.GetProperty("sizes").GetString() == $"{size}x{size}");
            Assert.Equal("image/png", icon.GetProperty("type").GetString());
            var png = await _browser.GetAsync("/app/" + icon.GetProperty("src").GetString());
            Assert.Equal(HttpStatusCode.OK, png.StatusCode);
            Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
            var bytes = await png.Content.ReadAsByteArrayAsync();
            Assert.Equal("\x89PNG", System.Text.Encoding.Latin1.GetString(bytes, 0, 4));
            Assert.Equal(size, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16))); // IHDR width
            Assert.Equal(size, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20))); // IHDR height
        }

        var worker = await _browser.GetAsync("/app/service-worker.js");
        Assert.Equal(HttpStatusCode.OK, worker.StatusCode);
        Assert.Equal("text/javascript", worker.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_missing_file_under_app_is_404_not_the_page_and_the_API_beside_it_still_answers()
    {
        // A framework file that is not there must fail loudly, not load index.html as a script.
        Assert.Equal(HttpStatusCode.NotFound, (await _browser.GetAsync("/app/_framework/missing.js")).StatusCode);

        var token = await _browser.PostAsJsonAsync("/api/v1/dev/tokens", new { role = "clerk", subject = "clerk-1", cooperativeId = MelonSystem.Cooperative });
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _browser.GetAsync("/swagger/v1/swagger.json")).StatusCode);
    }

    [Fact]
    public async Task The_sign_in_page_learns_from_the_Gateway_that_development_signs_in_with_dev_tokens()
    {
        var options = await _browser.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/workstation/sign-in");

        Assert.True(options.GetProperty("devTokens").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, options.GetProperty("authority").ValueKind);
    }

    /// <summary>
    /// Production: the Gateway names the OpenID Connect authority the services trust and the app's public client id, no
    /// dev tokens; the authority is the one origin besides its own the app may call and frame (the code exchange, the
    /// discovery document, silent renewal).
    /// </summary>
    [Fact]
    public async Task With_an_authority_the_Gateway_tells_the_app_to_sign_in_there_and_lets_the_app_reach_it()
    {
        await using var production = new ServiceProcess("Gateway", new Dictionary<string, string>
        {
            ["Auth__Authority"] = "https://id.example.org/realms/melonchain",
            ["Workstation__ClientId"] = "workstation-shangxiang",
            ["DevTokens__Enabled"] = "false",
        });
        await production.StartAsync();
        using var browser = new HttpClient { BaseAddress = production.BaseAddress };

        var options = await browser.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/workstation/sign-in");
        Assert.False(options.GetProperty("devTokens").GetBoolean());
        Assert.Equal("https://id.example.org/realms/melonchain", options.GetProperty("authority").GetString());
        Assert.Equal("workstation-shangxiang", options.GetProperty("clientId").GetString());
        Assert.Contains("openid", options.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        var policy = (await browser.GetAsync("/app/")).Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("connect-src 'self' https://id.example.org;", policy);
        Assert.Contains("frame-src 'self' https://id.example.org;", policy);
        Assert.Contains("script-src 'self' 'wasm-unsafe-eval';", policy);
    }

    /// <summary>
    /// S14: a shared tablet keeps no clerk's token once the tab is closed. The real app signs in in Chromium through the
    /// Gateway's dev tokens; the token is then in sessionStorage (this tab only, gone with it), never in localStorage.
    /// </summary>
    [Fact]
    public async Task A_clerk_signed_in_in_the_browser_leaves_no_token_in_localStorage_only_in_this_tabs_sessionStorage()
    {
        await Chromium.EnsureInstalledAsync();
        using var browser = Chromium.Start();

        SignInAsClerk(browser);

        var js = (IJavaScriptExecutor)browser;
        var token = js.ExecuteScript("return sessionStorage.getItem('melonchain.token');") as string;
        Assert.NotNull(token);
        Assert.Equal(3, token.Split('.').Length);
        // Other things may live in localStorage (a device's settings); no value there holds the token or a piece of it.
        var stored = (js.ExecuteScript("return Object.keys(localStorage).map(k => k + '=' + localStorage.getItem(k));") as IEnumerable<object>)!
            .Cast<string>().ToList();
        Assert.DoesNotContain(stored, entry => entry.Contains(token.Split('.')[1], StringComparison.Ordinal));
    }

    /// <summary>
    /// S14: the Gateway sets a Content-Security-Policy on /app/ (scripts only from the app's own origin, WebAssembly
    /// compiled but no eval, no inline script, no plug-ins, not framed, API calls to the same origin), and the app runs
    /// under it: in Chromium it signs in, shows the receiving screen and registers its service worker, and the browser
    /// reports no violation.
    /// </summary>
    [Fact]
    public async Task The_workstation_runs_under_the_Content_Security_Policy_the_Gateway_sets_on_app()
    {
        foreach (var path in new[] { "/app/", "/app/receiving", "/app/js/token.js" })
        {
            var response = await _browser.GetAsync(path);
            var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            var directives = policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ')[1..]);
            Assert.Equal(["'self'", "'wasm-unsafe-eval'"], directives["script-src"]);
            Assert.Equal(["'self'"], directives["default-src"]);
            Assert.Equal(["'self'"], directives["connect-src"]);
            Assert.Equal(["'none'"], directives["object-src"]);
            Assert.Equal(["'none'"], directives["frame-ancestors"]);
            Assert.Equal(["'self'"], directives["base-uri"]);
        }
        // The API beside it is not the app's: its JSON answers carry no page policy.
        Assert.False((await _browser.GetAsync("/swagger/v1/swagger.json")).Headers.Contains("Content-Security-Policy"));

        await Chromium.EnsureInstalledAsync();
        using var browser = Chromium.Start();
        // Recorded by a script the page's policy does not govern (DevTools), before the page's own scripts run.
        browser.ExecuteCdpCommand("Page.addScriptToEvaluateOnNewDocument", new Dictionary<string, object?>
        {
            ["source"] = "window.__violations = []; document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));",
        });

        SignInAsClerk(browser);

        var js = (IJavaScriptExecutor)browser;
        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(30));
        wait.Until(_ => js.ExecuteAsyncScript("const done = arguments[arguments.length - 1]; navigator.serviceWorker.getRegistration().then(r => done(!!r));") is true);
        var violations = (js.ExecuteScript("return window.__violations;") as IEnumerable<object>)!.Cast<string>().ToList();
        Assert.Empty(violations);
    }

    /// <summary>Signs in through the app's own page as deploy/dev.sh's demo clerk and waits for the receiving screen.</summary>
    private void SignInAsClerk(OpenQA.Selenium.Chrome.ChromeDriver browser)
    {
        browser.Navigate().GoToUrl(new Uri(_gateway.BaseAddress, "/app/signin"));
        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(60));
        wait.Until(d => d.FindElements(By.CssSelector("#signIn:not([disabled])")).FirstOrDefault())!.Click();
        wait.Until(d => d.FindElements(By.Id("who")).FirstOrDefault() is { Displayed: true } who && who.Text.Contains("clerk-1"));
        wait.Until(d => d.FindElements(By.Id("grossKg")).Count > 0);
    }

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _gateway.DisposeAsync();
    }
}
