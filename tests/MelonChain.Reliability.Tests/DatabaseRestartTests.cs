using System.Net;
using System.Text.Json;

namespace MelonChain.Reliability.Tests;

/// <summary>R3: PostgreSQL restarted while clerks keep posting receipts.</summary>
[Collection(PrivateServers.Name)]
public class DatabaseRestartTests(PrivateServersSystem f)
{
    [Fact]
    public async Task Requests_during_a_PostgreSQL_restart_fail_with_503_ProblemDetails_the_services_recover_alone_and_no_receipt_is_partial_or_doubled()
    {
        var grower = await f.Scenario.GrowerAsync(contractId: await f.Scenario.SignedContractAsync());
        var load = new ReceiptLoad(f.Scenario, grower);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(clients: 4, until: stop.Token, pause: TimeSpan.FromMilliseconds(20));

        await Task.Delay(1500);
        await f.Postgres.StopServerAsync();
        // Longer than a consumer's in-memory retries: messages in flight must wait for the database, not be dead-lettered.
        await Task.Delay(TimeSpan.FromSeconds(12));
        await f.Postgres.StartServerAsync();
        var restartedAt = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(4));
        await stop.CancelAsync();
        await running;

        var failed = load.Attempts.Where(a => a.Status != HttpStatusCode.Created).ToList();
        Assert.NotEmpty(failed); // the outage was felt
        foreach (var attempt in failed)
        {
            Assert.True(attempt.Status == HttpStatusCode.ServiceUnavailable, $"{attempt.Key}: {(int)attempt.Status} {attempt.Body}");
            Assert.Equal("application/problem+json", attempt.ContentType);
            Assert.Equal("urn:melonchain:problem:unavailable", JsonDocument.Parse(attempt.Body).RootElement.GetProperty("type").GetString());
        }

        // Nobody restarted the services: they answer again on their own, and say they are ready.
        foreach (var service in new[] { "Cooperative", "ContractGrowing", "Dispatch", "Tracking" })
            await Eventually.Until(async () => (await new HttpClient().GetAsync(new Uri(f.System[service].BaseAddress, "/health/ready"))).StatusCode,
                s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30), $"{service} ready again");
        var receipts = await load.CompleteAsync(TimeSpan.FromSeconds(30));
        Assert.True(DateTime.UtcNow - restartedAt < TimeSpan.FromSeconds(60));

        await Totals.ReceiptsArriveOnceAsync(f.System, grower, receipts, load.Grams, f.Broker.QueuesAsync);
        // Receipt numbers stay one per receipt: no number was used twice and no receipt lost its counter step.
        Assert.Equal(receipts.Count, await f.System.ScalarAsync<long>("Cooperative",
            "select count(distinct receipt_no) from receipts where grower_id = @grower", new { grower }));
    }
}
