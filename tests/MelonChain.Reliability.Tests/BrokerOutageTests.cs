using System.Net;

namespace MelonChain.Reliability.Tests;

/// <summary>R1: RabbitMQ stopped while receipts are posted, then started.</summary>
[Collection(PrivateServers.Name)]
public class BrokerOutageTests(PrivateServersSystem f)
{
    private const int Receipts = 1000;

    [Fact]
    public async Task A_thousand_receipts_posted_while_RabbitMQ_is_down_all_succeed_and_each_arrives_once_after_it_returns()
    {
        var grower = await f.Scenario.GrowerAsync(contractId: await f.Scenario.SignedContractAsync());
        var load = new ReceiptLoad(f.Scenario, grower);

        await f.Broker.StopAsync();
        try
        {
            await load.RunAsync(clients: 8, count: Receipts);

            var refused = load.Attempts.Where(a => a.Status != HttpStatusCode.Created).ToList();
            Assert.True(refused.Count == 0, $"{refused.Count} receipts refused, e.g. {refused.FirstOrDefault()}");
            // Every event waits in Cooperative's outbox, written in its receipt's own transaction.
            Assert.True(await f.System.ScalarAsync<long>("Cooperative", "select count(*) from outbox where message_type = 'harvest-received'") >= Receipts);
            Assert.Equal(0, await f.System.ScalarAsync<long>("ContractGrowing", "select count(*) from deliveries where member_id = @grower", new { grower }));
        }
        finally
        {
            await f.Broker.StartAsync();
        }

        var receipts = await load.CompleteAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(Receipts, receipts.Count);
        await Totals.ReceiptsArriveOnceAsync(f.System, grower, receipts, load.Grams, f.Broker.QueuesAsync);
    }
}
