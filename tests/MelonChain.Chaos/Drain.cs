namespace MelonChain.Chaos;

/// <summary>The end of the season: waits until every collected order has ended and no event waits anywhere.</summary>
public static class Drain
{
    private static readonly string[] Services = ["Cooperative", "ContractGrowing", "Dispatch", "Tracking"];

    public static async Task WaitAsync(MelonSystem system, PrivateRabbitMq broker, Action<string> log)
    {
        var ended = await Api.PollAsync(() => system.ScalarAsync<long>("Cooperative",
                "select count(*) from orders where collected_at is not null and cancelled_at is null and ended_at is null"),
            n => n == 0, TimeSpan.FromMinutes(5));
        log(ended == 0 ? "every collected order has ended" : "some collected orders have not ended after 5 minutes");
        var quiet = 0;
        var settled = await Api.PollAsync(async () =>
        {
            long waiting = (await broker.QueuesAsync()).Where(q => !q.Key.EndsWith("_error")).Sum(q => q.Value);
            foreach (var service in Services) waiting += await system.ScalarAsync<long>(service, "select count(*) from outbox");
            quiet = waiting == 0 ? quiet + 1 : 0;
            return quiet;
        }, n => n >= 5, TimeSpan.FromMinutes(3));
        log(settled >= 5 ? "no event waiting anywhere" : "events still waiting after 3 minutes");
    }
}
