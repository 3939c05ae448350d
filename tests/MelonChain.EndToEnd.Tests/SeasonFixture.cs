using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Testing;

namespace MelonChain.EndToEnd.Tests;

/// <summary>
/// Starts the whole system as processes, plays the demo season (<c>deploy/demo.sh</c>, the script <c>up</c> runs)
/// through the Gateway, records every service's data, plays the same season again with the same
/// Idempotency-Keys, and records it again. The tests then read the season through the API.
/// </summary>
public sealed class SeasonFixture : IAsyncLifetime
{
    private TestVirtualHost _broker = null!;
    private readonly DateOnly _day = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    public MelonSystem System { get; private set; } = null!;
    public string FirstPlay { get; private set; } = "";
    public string SecondPlay { get; private set; } = "";
    public IReadOnlyDictionary<string, string> AfterFirstPlay { get; private set; } = null!;
    public IReadOnlyDictionary<string, string> AfterSecondPlay { get; private set; } = null!;

    public HttpClient Clerk { get; private set; } = null!;
    public HttpClient Officer { get; private set; } = null!;
    public HttpClient Dispatcher { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _broker = await TestVirtualHost.CreateAsync("season");
        System = await MelonSystem.StartAsync(TestServers.Postgres, _broker.ConnectionString);
        Clerk = await System.AsAsync("clerk", "e2e-clerk");
        Officer = await System.AsAsync("officer", "e2e-officer");
        Dispatcher = await System.AsAsync("dispatcher", "e2e-dispatcher");

        FirstPlay = await PlayAsync(replay: false);
        AfterFirstPlay = await SettledSnapshotAsync();
        SecondPlay = await PlayAsync(replay: true);
        AfterSecondPlay = await SettledSnapshotAsync();
    }

    private async Task<string> PlayAsync(bool replay)
    {
        // Both plays are the same China day, even when the replay starts after midnight in Beijing: its keys name the day.
        var env = new Dictionary<string, string>
        {
            ["GATEWAY"] = System.Gateway.ToString().TrimEnd('/'), ["SIMULATOR"] = System["CarrierSimulator"].BaseAddress.ToString().TrimEnd('/'),
            ["DEMO_WAIT_SECONDS"] = "120", ["DEMO_DAY"] = _day.ToString("yyyy-MM-dd"),
        };
        if (replay) env["DEMO_REPLAY"] = "1";
        try
        {
            return await Cli.Run("bash", [Path.Combine(Repository.Root, "deploy", "demo.sh")], env, timeout: TimeSpan.FromMinutes(5));
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException(e.Message + "\n" + System.RecentOutput(), e);
        }
    }

    /// <summary>
    /// Every table of every service (row count and a digest of its content), once events have stopped moving:
    /// two readings a second apart agree.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>> SettledSnapshotAsync()
    {
        var previous = await SnapshotAsync();
        for (var i = 0; i < 60; i++)
        {
            await Task.Delay(1000);
            var current = await SnapshotAsync();
            if (current.Count == previous.Count && current.All(kv => previous.GetValueOrDefault(kv.Key) == kv.Value)) return current;
            previous = current;
        }
        throw new TimeoutException("The services kept changing their data a minute after the season was played.");
    }

    private async Task<Dictionary<string, string>> SnapshotAsync()
    {
        var snapshot = new Dictionary<string, string>();
        foreach (var (service, database) in System.Databases)
            foreach (var (table, digest) in (await DatabaseSnapshot.TakeAsync(database.ConnectionString)).Tables)
                snapshot[$"{service}.{table}"] = digest;
        return snapshot;
    }

    public async Task<HttpClient> BuyerAsync(Guid buyerId) => await System.AsAsync("buyer", "e2e-buyer-" + buyerId, buyerId: buyerId);

    /// <summary>Every item of a paged list (<c>{items, next}</c>).</summary>
    public static async Task<List<JsonElement>> AllAsync(HttpClient client, string path)
    {
        var items = new List<JsonElement>();
        string? next = null;
        do
        {
            var separator = path.Contains('?') ? '&' : '?';
            var page = await client.GetFromJsonAsync<JsonElement>($"{path}{separator}limit=500" + (next is null ? "" : $"&after={Uri.EscapeDataString(next)}"));
            items.AddRange(page.GetProperty("items").EnumerateArray());
            next = page.GetProperty("next").GetString();
        } while (next is not null);
        return items;
    }

    public async Task DisposeAsync()
    {
        if (System is not null) await System.DisposeAsync();
        await _broker.DisposeAsync();
    }
}
