using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MelonChain.Testing;

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

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _gateway.DisposeAsync();
    }
}
