extern alias cooperative;
extern alias growing;
using System.Net.Http.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using MelonChain.ServiceDefaults.Security;
using MelonChain.Testing;

namespace MelonChain.Platform.Tests;

using CooperativeHost = ServiceHost<cooperative::Program>;
using GrowingHost = ServiceHost<growing::Program>;

/// <summary>
/// The thin slice: Cooperative (publishes HarvestReceived through its outbox) and ContractGrowing (consumes it
/// through its inbox), each with its own database, over one broker.
/// </summary>
public class SliceFixture : IAsyncLifetime
{
    public static readonly Guid ContractId = Guid.Parse("0195d3a0-0000-7000-8000-0000000000c1");

    public TestDatabase CooperativeDb { get; private set; } = null!;
    public TestDatabase GrowingDb { get; private set; } = null!;
    public CooperativeHost Cooperative { get; private set; } = null!;
    public GrowingHost Growing { get; private set; } = null!;
    public HttpClient Clerk { get; private set; } = null!;
    protected TestVirtualHost? VirtualHost { get; private set; }

    /// <summary>The broker and database server; the default is the shared test servers.</summary>
    protected virtual async Task<(string Broker, string? DbServer)> ServersAsync()
    {
        VirtualHost = await TestVirtualHost.CreateAsync("slice");
        return (VirtualHost.ConnectionString, null);
    }

    /// <summary>False: ContractGrowing (the subscriber) is not started with the fixture; the test starts it.</summary>
    protected virtual bool StartSubscriber => true;

    public async Task InitializeAsync()
    {
        var (broker, server) = await ServersAsync();
        CooperativeDb = TestDatabase.Create("coop", server);
        GrowingDb = TestDatabase.Create("growing", server);
        Cooperative = new CooperativeHost(CooperativeDb.ConnectionString, broker);
        Growing = new GrowingHost(GrowingDb.ConnectionString, broker);
        Clerk = Cooperative.As(Roles.Clerk, "clerk-1");
        await Task.WhenAll(Cooperative.StartAsync(), StartSubscriber ? Growing.StartAsync() : Task.CompletedTask);
        await Onboarding.SaveProfileAsync(Cooperative.As(Roles.Admin, "admin-1"), CooperativeHost.Cooperative);

        // The contract the slice's contract growers deliver under, signed with the cooperative (ContractSigned):
        // a member names only a contract the Cooperative has learnt.
        await SignContractAsync(ContractId);
    }

    /// <summary>ContractSigned in the first stage's shape (no grower details); returns once the Cooperative knows it.</summary>
    private async Task SignContractAsync(Guid contractId)
    {
        var signed = new MelonChain.Messages.ContractGrowing.ContractSigned(Guid.NewGuid(), DateTimeOffset.UtcNow, CooperativeHost.Cooperative, contractId,
            Guid.NewGuid(), "恩平市大田镇", 6_700, "2026-autumn", 2_000_000, new Dictionary<string, long> { ["grade1"] = 700 }, null);
        await Cooperative.Services.GetRequiredService<MassTransit.IBus>().Publish(signed, ctx => ctx.MessageId = signed.EventId);
        await Eventually.Until(() => CountAsync(CooperativeDb, $"select count(*) from contract_terms where contract_id = '{contractId}'"),
            n => n == 1, TimeSpan.FromSeconds(30), "the contract known to the Cooperative");
    }

    /// <summary>
    /// A contract grower of a contract of their own (a grower is a member once), signed in the first stage's shape: the
    /// event names no grower details, so the clerk types them.
    /// </summary>
    public async Task<Guid> RegisterContractGrowerAsync(string memberNo)
    {
        var contractId = Guid.NewGuid();
        await SignContractAsync(contractId);
        var response = await Clerk.PostAsJsonAsync("/api/v1/cooperative/growers", new
        {
            memberNo, name = "黄伯", phone = "13800138000", village = "恩平大田", kind = "contract", contractId,
        });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IdOnly>())!.Id;
    }

    public static object Receipt(Guid growerId, decimal grossKg = 120.5m) => new
    {
        growerId, harvestedOn = ChinaToday().ToString("yyyy-MM-dd"), grossKg, crates = 6,
    };

    public static DateOnly ChinaToday() => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    public Task<(long Ready, long Acked)> Queue(string name) => VirtualHost!.QueueAsync(name);

    public TestVirtualHost Host => VirtualHost!;

    public async Task<long> CountAsync(TestDatabase db, string sql)
    {
        await using var connection = db.Open();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    public virtual async Task DisposeAsync()
    {
        await Cooperative.DisposeAsync();
        await Growing.DisposeAsync();
        await CooperativeDb.DisposeAsync();
        await GrowingDb.DisposeAsync();
        if (VirtualHost is not null) await VirtualHost.DisposeAsync();
    }

    public sealed record IdOnly(Guid Id);
}
