namespace MelonChain.Reliability.Tests;

[CollectionDefinition(Name)]
public sealed class PrivateServers : ICollectionFixture<PrivateServersSystem>
{
    public const string Name = "private servers";
}

/// <summary>The end of every fault test: counted across services, nothing lost and nothing doubled.</summary>
public static class Totals
{
    /// <summary>
    /// Every receipt the clerks were answered for exists once in Cooperative, and its HarvestReceived has had exactly
    /// one effect in ContractGrowing (one delivery per receipt, the same kilograms); no event is left in the outbox
    /// and none was dead-lettered.
    /// </summary>
    public static async Task ReceiptsArriveOnceAsync(MelonSystem system, Guid growerId, IReadOnlyList<Guid> answered, long grams,
        Func<Task<IReadOnlyDictionary<string, long>>>? queues = null)
    {
        var recorded = await system.QueryAsync<Guid>("Cooperative", "select id from receipts where grower_id = @growerId", new { growerId });
        Assert.Equal(answered.Order(), recorded.Order());
        Assert.Equal(grams, await system.ScalarAsync<long>("Cooperative",
            "select coalesce(sum(gross_grams), 0)::bigint from receipts where grower_id = @growerId", new { growerId }));

        try
        {
            await Eventually.Until(() => system.ScalarAsync<long>("ContractGrowing",
                    "select count(*) from deliveries where member_id = @growerId", new { growerId }),
                n => n >= answered.Count, TimeSpan.FromSeconds(90), $"{answered.Count} deliveries in ContractGrowing");
        }
        catch (TimeoutException e) when (queues is not null)
        {
            throw new TimeoutException($"{e.Message}; queues: {string.Join(", ", await queues())}\n{system.RecentOutput()}", e);
        }
        await Eventually.Until(() => system.ScalarAsync<long>("Cooperative", "select count(*) from outbox"), n => n == 0,
            TimeSpan.FromSeconds(30), "Cooperative's outbox to drain");

        var delivered = await system.QueryAsync<Guid>("ContractGrowing", "select receipt_id from deliveries where member_id = @growerId", new { growerId });
        Assert.Equal(answered.Order(), delivered.Order());
        Assert.Equal(grams, await system.ScalarAsync<long>("ContractGrowing",
            "select coalesce(sum(gross_grams), 0)::bigint from deliveries where member_id = @growerId", new { growerId }));
        if (queues is not null)
        {
            var deadLettered = (await queues()).Where(q => q.Key.EndsWith("_error") && q.Value > 0).ToList();
            Assert.True(deadLettered.Count == 0, "dead-lettered: " + string.Join(", ", deadLettered));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedServers : ICollectionFixture<SharedServersSystem>
{
    public const string Name = "shared servers";
}
