using System.Net;

namespace MelonChain.Reliability.Tests;

/// <summary>R6: services killed with SIGKILL in the middle of a stream of receipts, then started again.</summary>
[Collection(PrivateServers.Name)]
public class ServiceKillTests(PrivateServersSystem f)
{
    [Fact]
    public async Task Killing_the_publisher_and_the_consumer_mid_stream_loses_nothing_and_doubles_nothing()
    {
        var grower = await f.Scenario.GrowerAsync(contractId: await f.Scenario.SignedContractAsync());
        var load = new ReceiptLoad(f.Scenario, grower);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(clients: 4, until: stop.Token, pause: TimeSpan.FromMilliseconds(10));

        await Task.Delay(1500);
        await f.System["ContractGrowing"].KillAsync();   // the consumer, with messages prefetched and unacknowledged
        await Task.Delay(1000);
        await f.System["Cooperative"].KillAsync();       // the publisher, with requests and relay batches in flight
        await Task.Delay(500);
        await Task.WhenAll(f.System["Cooperative"].StartAsync(), f.System["ContractGrowing"].StartAsync());
        await Task.Delay(1500);
        await stop.CancelAsync();
        await running;

        Assert.Contains(load.Attempts, a => a.Status != HttpStatusCode.Created); // the kill was felt by the clerks
        var receipts = await load.CompleteAsync(TimeSpan.FromSeconds(30));
        await Totals.ReceiptsArriveOnceAsync(f.System, grower, receipts, load.Grams, f.Broker.QueuesAsync);
    }
}
