using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Testing;
using OpenQA.Selenium.Chrome;

namespace MelonChain.EndToEnd.Tests;

/// <summary>
/// One started system for every workstation journey (starting it is most of a journey's time): the whole system as
/// processes on real PostgreSQL and RabbitMQ, Shangxiang onboarded by its admin, and a clerk's API client to check
/// what the browser did. Each journey registers growers of its own and opens its own Chromium (a fresh profile: no
/// service worker, cache or queue of another journey).
/// </summary>
public sealed class WorkstationFixture : IAsyncLifetime
{
    private TestVirtualHost _broker = null!;

    /// <summary>SF's limit from collection to a final scan in this system: 45 s.</summary>
    public const double FinalScanWithinHours = 0.0125;

    public MelonSystem System { get; private set; } = null!;
    public Scenario Scenario { get; private set; } = null!;
    public HttpClient Clerk => Scenario.Clerk;

    public async Task InitializeAsync()
    {
        await Chromium.EnsureInstalledAsync();
        _broker = await TestVirtualHost.CreateAsync("workstation");
        System = await MelonSystem.StartAsync(TestServers.Postgres, _broker.ConnectionString, new Dictionary<string, IDictionary<string, string>>
        {
            // SF's limit from collection to a final scan in real seconds rather than 120 h, so a parcel that stops being
            // scanned shows on 异常/理赔 within a journey; the others' deliveries (about 20 s) end well within it.
            ["Dispatch"] = new Dictionary<string, string> { ["Carrier:sf:FinalScanWithinHours"] = FinalScanWithinHours.ToString(CultureInfo.InvariantCulture) },
        });
        Scenario = await Scenario.StartAsync(System);
    }

    /// <summary>A member grower of Shangxiang with a name and number of its own (the journeys look for both on pages).</summary>
    public async Task<(Guid Id, string MemberNo, string Name)> GrowerAsync(string name)
    {
        var memberNo = "SX-W" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var grower = await Scenario.PostAsync(Clerk, "/api/v1/cooperative/growers",
            new { memberNo, name, phone = "13800138000", village = "上巷村", kind = "member" });
        return (grower.GetProperty("id").GetGuid(), memberNo, name);
    }

    /// <summary>
    /// The grower's receipts as the API holds them, in number order (the order they were recorded); <paramref name="direct"/>
    /// asks the Cooperative itself, for a journey that has stopped the Gateway.
    /// </summary>
    public async Task<List<JsonElement>> ReceiptsOfAsync(Guid growerId, bool direct = false)
    {
        using var cooperative = new HttpClient { BaseAddress = System["Cooperative"].BaseAddress };
        cooperative.DefaultRequestHeaders.Authorization = Clerk.DefaultRequestHeaders.Authorization;
        return (await SeasonFixture.AllAsync(direct ? cooperative : Clerk, "/api/v1/cooperative/receipts"))
            .Where(r => r.GetProperty("growerId").GetGuid() == growerId)
            .OrderBy(r => r.GetProperty("receiptNo").GetString(), StringComparer.Ordinal).ToList();
    }

    public async Task<string> GrowerLinkAsync(Guid growerId) =>
        (await Clerk.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/growers/{growerId}/link")).GetProperty("url").GetString()!;

    /// <summary>A fresh Chromium the size of a 10-inch tablet held sideways.</summary>
    public WorkstationBrowser Browser(string journey)
    {
        var driver = Chromium.Start();
        driver.Manage().Window.Size = new System.Drawing.Size(1280, 800);
        return new(driver, System.Gateway, journey);
    }

    public async Task DisposeAsync()
    {
        if (System is not null) await System.DisposeAsync();
        if (_broker is not null) await _broker.DisposeAsync();
    }
}
