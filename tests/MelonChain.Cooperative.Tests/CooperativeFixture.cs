using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MassTransit;
using MelonChain.Messages;
using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults.Security;
using Microsoft.Extensions.DependencyInjection;

namespace MelonChain.Cooperative.Tests;

/// <summary>Cooperative on its own database and virtual host; a clerk arranges everything through the API.</summary>
public sealed class CooperativeFixture : IAsyncLifetime
{
    public TestDatabase Db { get; private set; } = null!;
    public TestVirtualHost Broker { get; private set; } = null!;
    public ServiceHost<Program> Cooperative { get; private set; } = null!;
    public string RequestedQueue { get; private set; } = "";
    public string GradedQueue { get; private set; } = "";
    public string GradingReversedQueue { get; private set; } = "";
    public string CancelledQueue { get; private set; } = "";
    public string SettledQueue { get; private set; } = "";
    public string CancellationRequestedQueue { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Db = TestDatabase.Create("coop");
        Broker = await TestVirtualHost.CreateAsync("coop");
        RequestedQueue = await Broker.CaptureAsync(typeof(ShipmentRequested));
        GradedQueue = await Broker.CaptureAsync(typeof(HarvestGraded));
        GradingReversedQueue = await Broker.CaptureAsync(typeof(HarvestGradingReversed));
        CancelledQueue = await Broker.CaptureAsync(typeof(OrderCancelled));
        SettledQueue = await Broker.CaptureAsync(typeof(SettlementClosed));
        CancellationRequestedQueue = await Broker.CaptureAsync(typeof(CancellationRequested));
        Cooperative = new ServiceHost<Program>(Db.ConnectionString, Broker.ConnectionString);
        await Cooperative.StartAsync();
    }

    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    /// <summary>A clerk of a cooperative of its own, so each test's stock and periods are its own.</summary>
    public async Task<ClerkSession> NewCooperativeAsync(int commissionBps = 500, long boxFeeFen = 300)
    {
        var id = "coop-" + Guid.NewGuid().ToString("N")[..8];
        await Onboarding.SaveProfileAsync(Cooperative.As(Roles.Admin, "admin-1", cooperative: id), id,
            profile: Onboarding.Profile(id, commissionBps: commissionBps, boxFeeFen: boxFeeFen));
        return new ClerkSession(id, Cooperative.As(Roles.Clerk, "clerk-1", cooperative: id));
    }

    public async Task PublishAsync(params IEvent[] events)
    {
        var bus = Cooperative.Services.GetRequiredService<IBus>();
        foreach (var e in events) await bus.Publish(e, e.GetType(), ctx => ctx.MessageId = e.EventId);
    }

    /// <summary>ContractGrowing signs a contract with the cooperative; returns once the Cooperative has learnt it.</summary>
    public async Task SignContractAsync(string coop, Guid contractId, Guid growingGrowerId, IReadOnlyDictionary<string, long>? minPrice = null,
        MelonChain.Messages.ContractGrowing.ContractGrower? grower = null, string seedlingBatch = "DR-2026-01")
    {
        await PublishAsync(new MelonChain.Messages.ContractGrowing.ContractSigned(Guid.NewGuid(), DateTimeOffset.UtcNow, coop, contractId, growingGrowerId,
            "恩平市大田镇", 6_700, "2026-autumn", 3_000_000,
            minPrice ?? new Dictionary<string, long> { ["premium"] = 900, ["grade1"] = 700, ["grade2"] = 400, ["offgrade"] = 100 }, seedlingBatch,
            grower ?? new MelonChain.Messages.ContractGrowing.ContractGrower("梁叔", "13622220001", "恩平市大田镇", "朗北村")));
        await Eventually.Until(() => CountAsync("select count(*) from contract_terms where contract_id = @contractId", new { contractId }),
            n => n == 1, TimeSpan.FromSeconds(30), "the contract known to the Cooperative");
    }

    /// <summary>Dispatch's events for a delivered order (delivered may overtake booked), until the order shows both.</summary>
    public async Task DeliverAsync(ClerkSession c, Guid order, long freightFen, DateTimeOffset deliveredAt)
    {
        var shipment = Guid.NewGuid();
        await PublishAsync(new MelonChain.Messages.Dispatch.ShipmentDelivered(Guid.NewGuid(), deliveredAt, c.CooperativeId, shipment, order, deliveredAt, deliveredAt.AddHours(6), true));
        await PublishAsync(new MelonChain.Messages.Dispatch.ShipmentBooked(Guid.NewGuid(), deliveredAt.AddDays(-2), c.CooperativeId, shipment, order, Guid.NewGuid(), "SF", "express",
            "SF1000000000001", [], 10_000, freightFen * 4 / 3, freightFen, deliveredAt.AddHours(6)));
        await Eventually.Until(() => c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{order}"),
            o => o.GetProperty("status").GetString() == "delivered" && o.GetProperty("freightFen").ValueKind == JsonValueKind.Number,
            TimeSpan.FromSeconds(30), "the order delivered and booked");
    }

    public async Task<long> CountAsync(string sql, object? args = null)
    {
        await using var connection = Db.Open();
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }

    public async Task DisposeAsync()
    {
        await Cooperative.DisposeAsync();
        await Db.DisposeAsync();
        await Broker.DisposeAsync();
    }
}

/// <summary>What a clerk does through the API, in one cooperative.</summary>
public sealed class ClerkSession(string cooperativeId, HttpClient http)
{
    public string CooperativeId { get; } = cooperativeId;
    public HttpClient Http { get; } = http;
    private int _members;

    /// <summary>A POST as the clerk's app sends it: with an Idempotency-Key of its own (money that moves needs one).</summary>
    public async Task<JsonElement> Post(string path, object body, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var response = await (client ?? Http).SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<(Guid Id, string MemberNo)> Grower(string kind = "member", Guid? contractId = null)
    {
        var memberNo = $"{(kind == "contract" ? "EP" : "SX")}-{Interlocked.Increment(ref _members):D3}-{Guid.NewGuid().ToString()[..4]}";
        // A contract grower comes from its signed contract (ContractGrowing typed it in); a member is typed here.
        var grower = await Post("/api/v1/cooperative/growers", kind == "contract"
            ? new { memberNo, kind, contractId }
            : (object)new { memberNo, name = "社员" + memberNo, phone = "13800001111", village = "上巷村", kind });
        return (grower.GetProperty("id").GetGuid(), memberNo);
    }

    /// <summary>A receipt graded into the given kg per grade (gross = graded + 1% shrink).</summary>
    public async Task<Guid> Harvest(Guid grower, DateOnly harvestedOn, params (string Grade, decimal Kg)[] lines)
    {
        var graded = lines.Sum(l => l.Kg);
        var receipt = await Post("/api/v1/cooperative/receipts", new { growerId = grower, harvestedOn = harvestedOn.ToString("yyyy-MM-dd"), grossKg = decimal.Round(graded * 1.01m, 3), crates = 3 });
        var id = receipt.GetProperty("id").GetGuid();
        await Post($"/api/v1/cooperative/receipts/{id}/grading", new { lines = lines.Select(l => new { grade = l.Grade, kg = l.Kg }) });
        return id;
    }

    public async Task<Guid> Buyer(string city = "北京")
    {
        var buyer = await Post("/api/v1/cooperative/buyers", new { name = "京味餐厅", city, address = "朝阳区建国路88号", contactName = "王经理", phone = "13911112222" });
        return buyer.GetProperty("id").GetGuid();
    }

    public Task<HttpResponseMessage> PlaceOrder(Guid buyer, params (string Grade, decimal Kg, long Price)[] lines) =>
        Http.PostAsJsonAsync("/api/v1/cooperative/orders", new
        {
            buyerId = buyer, destination = new { city = "北京", address = "朝阳区建国路88号", contactName = "王经理", phone = "13911112222" },
            lines = lines.Select(l => new { grade = l.Grade, kg = l.Kg, priceFenPerKg = l.Price }),
        });

    public async Task<Guid> Order(Guid buyer, params (string Grade, decimal Kg, long Price)[] lines)
    {
        var response = await PlaceOrder(buyer, lines);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

}
