using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MelonChain.Messages.ContractGrowing;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.ContractGrowing.Tests;

/// <summary>ContractGrowing on its own database and virtual host, with capture queues for the events it publishes.</summary>
public sealed class GrowingFixture : IAsyncLifetime
{
    public TestDatabase Db { get; private set; } = null!;
    public TestVirtualHost Broker { get; private set; } = null!;
    public ServiceHost<Program> Growing { get; private set; } = null!;
    public HttpClient Officer { get; private set; } = null!;
    public string SignedQueue { get; private set; } = "";
    public string AmendedQueue { get; private set; } = "";
    public string IssuedQueue { get; private set; } = "";
    public string CompletedQueue { get; private set; } = "";
    public string TerminatedQueue { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Db = TestDatabase.Create("growing");
        Broker = await TestVirtualHost.CreateAsync("growing");
        SignedQueue = await Broker.CaptureAsync(typeof(ContractSigned));
        AmendedQueue = await Broker.CaptureAsync(typeof(ContractAmended));
        IssuedQueue = await Broker.CaptureAsync(typeof(SeedlingsIssued));
        CompletedQueue = await Broker.CaptureAsync(typeof(ContractCompleted));
        TerminatedQueue = await Broker.CaptureAsync(typeof(ContractTerminated));
        Growing = new ServiceHost<Program>(Db.ConnectionString, Broker.ConnectionString);
        await Growing.StartAsync();
        Officer = Growing.As(Roles.Officer, "officer-1");
    }

    public async Task<Guid> PostForId(string path, object body, HttpClient? client = null)
    {
        var response = await (client ?? Officer).PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static object Prices(long premium = 900, long grade1 = 700, long grade2 = 500, long offgrade = 200) =>
        new { premium, grade1, grade2, offgrade };

    /// <summary>A grower with a plot and a draft contract for the autumn season.</summary>
    public async Task<(Guid Grower, Guid Plot, Guid Contract)> DraftAsync(decimal expectedKg = 1000m)
    {
        var grower = await PostForId("/api/v1/growing/growers", new { name = "梁叔", phone = "13622223333", idNumber = "440785197001011234", town = "恩平市大田镇", village = "朗北村" });
        var plot = await PostForId("/api/v1/growing/plots", new { growerId = grower, areaM2 = 6_700m, location = "朗北村东侧坡地", latitude = 22.18m, longitude = 112.30m });
        var contract = await PostForId("/api/v1/growing/contracts", new
        {
            growerId = grower, plotId = plot, season = "2026-autumn", variety = "杜阮凉瓜", seedlings = 1500, densityPerMu = 600,
            expectedKg, minPriceFenPerKg = Prices(), qualityTerms = "短粗、平顶、粗瘤，单果 0.4–0.8 kg",
        });
        return (grower, plot, contract);
    }

    public async Task<Guid> BatchAsync(int count)
    {
        var batchNo = "DR-" + Guid.NewGuid().ToString("N")[..8];
        return await PostForId("/api/v1/growing/seedling-batches", new
        {
            batchNo, nursery = "杜阮育苗场", motherField = "杜阮北芦村母本田", sownOn = DateTime.UtcNow.AddDays(-30).ToString("yyyy-MM-dd"), count, germinationRate = 0.92m,
        });
    }

    public async Task<long> CountAsync(string sql, object? args = null)
    {
        await using var connection = Db.Open();
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }

    public async Task DisposeAsync()
    {
        await Growing.DisposeAsync();
        await Db.DisposeAsync();
        await Broker.DisposeAsync();
    }
}
