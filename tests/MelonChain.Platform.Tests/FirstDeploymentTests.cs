using System.Net;
using System.Net.Http.Json;
using MelonChain.Testing;

namespace MelonChain.Platform.Tests;

/// <summary>The slice with only the producer running: ContractGrowing (the subscriber) has never started.</summary>
public sealed class ProducerFirstFixture : SliceFixture
{
    protected override bool StartSubscriber => false;
}

/// <summary>R9: events published before any consumer of theirs has run are not lost.</summary>
public class FirstDeploymentTests(ProducerFirstFixture f) : IClassFixture<ProducerFirstFixture>
{
    [Fact]
    public async Task An_event_published_before_its_subscriber_ever_started_is_delivered_once_it_starts()
    {
        var grower = await f.RegisterContractGrowerAsync("EP-901");

        var response = await f.Clerk.PostAsJsonAsync("/api/v1/cooperative/receipts", SliceFixture.Receipt(grower, 42.5m));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var receipt = (await response.Content.ReadFromJsonAsync<SliceFixture.IdOnly>())!;
        // Relayed while ContractGrowing has never run: the Cooperative declared ContractGrowing's queue at start-up.
        await Eventually.Until(() => f.CountAsync(f.CooperativeDb, "select count(*) from outbox"), n => n == 0,
            TimeSpan.FromSeconds(30), "the outbox to drain");
        await Eventually.Until(() => f.Queue("growing-harvest-received"), q => q.Ready == 1,
            TimeSpan.FromSeconds(30), "the event waiting in ContractGrowing's queue (the management API refreshes every few seconds)");

        await f.Growing.StartAsync();

        await Eventually.Until(
            () => f.CountAsync(f.GrowingDb, $"select count(*) from deliveries where receipt_id = '{receipt.Id}' and gross_grams = 42500"),
            n => n == 1, TimeSpan.FromSeconds(30), "the delivery in ContractGrowing");
        Assert.Equal(1, await f.CountAsync(f.GrowingDb, "select count(*) from inbox where consumer = 'growing-harvest-received'"));
    }
}

/// <summary>A second producer-only slice, for the unroutable case.</summary>
public sealed class NoQueueFixture : SliceFixture
{
    protected override bool StartSubscriber => false;
}

public class UnroutableEventTests(NoQueueFixture f) : IClassFixture<NoQueueFixture>
{
    [Fact]
    public async Task An_event_no_queue_can_take_keeps_its_outbox_row_and_is_delivered_once_the_subscriber_exists()
    {
        var grower = await f.RegisterContractGrowerAsync("EP-902");
        // The subscriber's queue is gone (deleted, or a broker that never saw the topology): nothing can route HarvestReceived.
        await f.Host.DeleteQueueAsync("growing-harvest-received");

        var response = await f.Clerk.PostAsJsonAsync("/api/v1/cooperative/receipts", SliceFixture.Receipt(grower, 17.25m));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var receipt = (await response.Content.ReadFromJsonAsync<SliceFixture.IdOnly>())!;

        // Published mandatory: the broker returns it, and the row stays to be tried again.
        await Eventually.Until(() => f.CountAsync(f.CooperativeDb,
                "select count(*) from outbox where message_type = 'harvest-received' and attempts >= 2 and last_error like '%returned%'"),
            n => n == 1, TimeSpan.FromSeconds(30), "the returned event to stay in the outbox");

        await f.Growing.StartAsync();

        await Eventually.Until(
            () => f.CountAsync(f.GrowingDb, $"select count(*) from deliveries where receipt_id = '{receipt.Id}' and gross_grams = 17250"),
            n => n == 1, TimeSpan.FromSeconds(30), "the delivery once the subscriber's queue exists");
        await Eventually.Until(() => f.CountAsync(f.CooperativeDb, "select count(*) from outbox"), n => n == 0,
            TimeSpan.FromSeconds(30), "the outbox to drain");
    }
}
