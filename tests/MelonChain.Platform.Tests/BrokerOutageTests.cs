using System.Net;
using System.Net.Http.Json;
using MelonChain.Testing;

namespace MelonChain.Platform.Tests;

/// <summary>The slice on a broker of its own, so the test can stop it.</summary>
public sealed class PrivateBrokerFixture : SliceFixture
{
    public PrivateRabbitMq Broker { get; private set; } = null!;

    protected override async Task<(string Broker, string? DbServer)> ServersAsync()
    {
        Broker = await PrivateRabbitMq.StartNodeAsync();
        return (Broker.ConnectionString, null);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Broker.DisposeAsync();
    }
}

public class BrokerOutageTests(PrivateBrokerFixture f) : IClassFixture<PrivateBrokerFixture>
{
    private const int Receipts = 200;

    [Fact]
    public async Task Receipts_posted_while_RabbitMQ_is_down_all_succeed_and_each_arrives_once_after_it_returns()
    {
        var grower = await f.RegisterContractGrowerAsync("EP-401");
        await f.Broker.StopAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Receipts; i++)
            statuses.Add((await f.Clerk.PostAsJsonAsync("/api/v1/cooperative/receipts", SliceFixture.Receipt(grower, 10m + i / 1000m))).StatusCode);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));
        // Every receipt's event waits in the outbox, written in the receipt's own transaction.
        Assert.Equal(Receipts, await f.CountAsync(f.CooperativeDb,
            "select count(*) from outbox where message_type = 'harvest-received'"));
        Assert.Equal(0, await f.CountAsync(f.GrowingDb, "select count(*) from deliveries"));

        await f.Broker.StartAsync();

        await Eventually.Until(() => f.CountAsync(f.GrowingDb, "select count(*) from deliveries"), n => n >= Receipts,
            TimeSpan.FromSeconds(90), "every delivery after the broker returned");
        await Eventually.Until(() => f.CountAsync(f.CooperativeDb, "select count(*) from outbox"), n => n == 0,
            TimeSpan.FromSeconds(30), "the outbox to drain");
        Assert.Equal(Receipts, await f.CountAsync(f.GrowingDb, "select count(*) from deliveries"));
        Assert.Equal(Receipts, await f.CountAsync(f.GrowingDb, "select count(distinct receipt_id) from deliveries"));
        Assert.Equal(Receipts, await f.CountAsync(f.GrowingDb, "select count(*) from inbox where consumer = 'growing-harvest-received'"));
    }
}
