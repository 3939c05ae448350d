using System.Net;
using System.Net.Http.Json;
using MassTransit;
using MelonChain.Messages.Cooperative;
using MelonChain.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MelonChain.Platform.Tests;

public class ThinSliceTests(SliceFixture f) : IClassFixture<SliceFixture>
{
    [Fact]
    public async Task A_recorded_receipt_reaches_contract_growing_exactly_once()
    {
        var grower = await f.RegisterContractGrowerAsync("EP-101");

        var response = await f.Clerk.PostAsJsonAsync("/api/v1/cooperative/receipts", SliceFixture.Receipt(grower, 88.125m));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var receipt = (await response.Content.ReadFromJsonAsync<SliceFixture.IdOnly>())!;
        var delivered = await Eventually.Until(
            () => f.CountAsync(f.GrowingDb, $"select count(*) from deliveries where receipt_id = '{receipt.Id}' and gross_grams = 88125"),
            n => n == 1, what: "the delivery in ContractGrowing");
        Assert.Equal(1, delivered);
        Assert.Equal(0, await f.CountAsync(f.CooperativeDb, "select count(*) from outbox"));
    }

    [Fact]
    public async Task The_same_message_delivered_twice_has_one_effect()
    {
        var grower = await f.RegisterContractGrowerAsync("EP-102");
        var receiptId = Guid.NewGuid();
        var message = new HarvestReceived(Guid.NewGuid(), DateTimeOffset.UtcNow, "shangxiang", receiptId, "SX-TEST-0001",
            grower, "EP-102", SliceFixture.ContractId, SliceFixture.ChinaToday(), 50_000, 3, DateTimeOffset.UtcNow);
        var bus = f.Cooperative.Services.GetRequiredService<IBus>();

        await bus.Publish(message, ctx => ctx.MessageId = message.EventId);
        await bus.Publish(message, ctx => ctx.MessageId = message.EventId);

        // Both copies were consumed and acknowledged; the second left no trace.
        await Eventually.Until(() => f.Queue("growing-harvest-received"), q => q.Ready == 0 && q.Acked >= 2,
            TimeSpan.FromSeconds(30), "both copies to be acknowledged");
        Assert.Equal(1, await f.CountAsync(f.GrowingDb, $"select count(*) from inbox where message_id = '{message.EventId}'"));
        Assert.Equal(1, await f.CountAsync(f.GrowingDb, $"select count(*) from deliveries where receipt_id = '{receiptId}'"));
    }
}
