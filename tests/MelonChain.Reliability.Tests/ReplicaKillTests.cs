using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Messages;

namespace MelonChain.Reliability.Tests;

/// <summary>
/// Two processes of each service on a PostgreSQL server and a RabbitMQ node of their own, behind one Gateway that
/// balances over them and skips one that is not ready. The carrier simulator (its orders live in memory) and the
/// Gateway (the clients' one address) run once; the simulator pushes routes through the Gateway.
/// </summary>
public sealed class ReplicatedSystem : IAsyncLifetime
{
    public PrivatePostgres Postgres { get; private set; } = null!;
    public PrivateRabbitMq Broker { get; private set; } = null!;
    public MelonSystem System { get; private set; } = null!;
    /// <summary>Every copy of every event the broker routed, counted before any inbox (started before the services).</summary>
    public BrokerTap Tap { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var servers = await Task.WhenAll(
            Task.Run(async () => (object)await PrivatePostgres.StartAsync()),
            Task.Run(async () => (object)await PrivateRabbitMq.StartNodeAsync()));
        Postgres = (PrivatePostgres)servers[0];
        Broker = (PrivateRabbitMq)servers[1];
        Tap = await BrokerTap.StartAsync(Broker.ConnectionString);
        System = await MelonSystem.StartAsync(Postgres.Server, Broker.ConnectionString, new Dictionary<string, IDictionary<string, string>>
        {
            ["CarrierSimulator"] = new Dictionary<string, string> { ["Simulator:SecondsPerDay"] = "5", ["Simulator:PushIntervalMs"] = "100" },
        }, replicas: 2);
    }

    public async Task DisposeAsync()
    {
        if (System is not null) await System.DisposeAsync();
        if (Tap is not null) await Tap.DisposeAsync();
        if (Broker is not null) await Broker.DisposeAsync();
        if (Postgres is not null) await Postgres.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class Replicated : ICollectionFixture<ReplicatedSystem>
{
    public const string Name = "two replicas of every service";
}

/// <summary>R11: two replicas of every service, one of each SIGKILLed in the middle of the demo season and started again.</summary>
[Collection(Replicated.Name)]
public class ReplicaKillTests(ReplicatedSystem f)
{
    private static readonly string[] Services = ["Cooperative", "ContractGrowing", "Dispatch", "Tracking"];
    private static readonly Dictionary<string, string> ServiceOfQueuePrefix = new()
    {
        ["cooperative-"] = "Cooperative", ["growing-"] = "ContractGrowing", ["dispatch-"] = "Dispatch", ["tracking-"] = "Tracking",
    };

    [Fact]
    public async Task The_demo_season_played_while_one_replica_of_each_service_is_killed_and_restarted_loses_nothing_and_doubles_nothing()
    {
        var system = f.System;
        var play = PlayDemoAsync();

        // The clerk's week of receipts: the publisher (Cooperative) and the consumer of its harvest events (ContractGrowing)
        // lose a replica while receipts are being posted, with requests, relay batches and prefetched messages in flight.
        var receipts = () => system.ScalarAsync<long>("Cooperative", "select count(*) from receipts");
        var atKill = await WhileDemoRunsAsync(play, receipts, n => n >= 10, "10 receipts");
        await KillAsync(("Cooperative", 1), ("ContractGrowing", 0));
        // The season goes on through the replicas left (the Gateway skips the dead ones) before the killed ones return.
        await WhileDemoRunsAsync(play, receipts, n => n >= atKill + 10, "10 more receipts with one Cooperative and one ContractGrowing");
        await Task.WhenAll(system.Replicas("Cooperative")[1].StartAsync(), system.Replicas("ContractGrowing")[0].StartAsync());

        // The orders' shipments: Dispatch (booking, route pushes) and Tracking lose a replica once the first pickup is
        // open, and come back once a shipment has been booked by the replica left.
        await WhileDemoRunsAsync(play, () => system.ScalarAsync<long>("Dispatch", "select count(*) from pickups"), n => n >= 1, "the first pickup");
        await KillAsync(("Dispatch", 0), ("Tracking", 1));
        await WhileDemoRunsAsync(play, () => system.ScalarAsync<long>("Dispatch", "select count(*) from shipments"), n => n >= 1, "the first booking");
        await Task.WhenAll(system.Replicas("Dispatch")[0].StartAsync(), system.Replicas("Tracking")[1].StartAsync());

        var output = await play;
        Assert.Contains("Settlement", output);
        await QuietAsync();

        await EveryReceiptPickupWaybillAndSettlementOnceAsync();
        await EveryEventPublishedOnceAndAppliedOnceBySubscriberAsync();
        await EveryEventReachedTheBrokerOnceOrAgainOnlyAcrossAKillOfItsPublisherAsync();
    }

    /// <summary>When each replica was killed: the moment before the signal and the moment it was gone.</summary>
    private readonly List<(string Service, DateTimeOffset From, DateTimeOffset To)> _kills = [];

    private async Task KillAsync(params (string Service, int Replica)[] victims)
    {
        var from = DateTimeOffset.UtcNow;
        await Task.WhenAll(victims.Select(v => f.System.Replicas(v.Service)[v.Replica].KillAsync()));
        var to = DateTimeOffset.UtcNow;
        _kills.AddRange(victims.Select(v => (v.Service, from, to)));
    }

    [Fact]
    public async Task The_gateway_balances_over_both_replicas_and_skips_one_that_is_down_until_it_is_ready_again()
    {
        using var clerk = await f.System.AsAsync("clerk", "r11-clerk");
        var cooperative = f.System.Replicas("Cooperative");

        // Who served each of a burst of reads (the Gateway names the destination in Development); any failure counts.
        async Task<List<string>> BurstAsync(int requests)
        {
            var served = new List<string>();
            for (var i = 0; i < requests; i++)
            {
                using var response = await clerk.GetAsync("/api/v1/cooperative/growers?limit=1");
                served.Add(response.IsSuccessStatusCode ? string.Join(",", response.Headers.GetValues("X-Destination")) : $"failed {(int)response.StatusCode}");
            }
            return served;
        }

        Assert.Equal(["local", "replica2"], (await BurstAsync(20)).Distinct().Order());

        await cooperative[1].KillAsync();
        // Within its health check's period the Gateway stops choosing the dead replica; from then on nothing fails.
        await Eventually.Until(async () => string.Join(" ", await BurstAsync(10)), s => s.Split(' ').All(d => d == "local"),
            TimeSpan.FromSeconds(15), "the Gateway to skip the killed replica");
        Assert.All(await BurstAsync(30), d => Assert.Equal("local", d));

        await cooperative[1].StartAsync();
        // Once it answers ready again, the Gateway sends to it again.
        await Eventually.Until(async () => string.Join(" ", await BurstAsync(10)), s => s.Contains("replica2") && s.Contains("local"),
            TimeSpan.FromSeconds(15), "the Gateway to send to the restarted replica again");
    }

    private async Task EveryReceiptPickupWaybillAndSettlementOnceAsync()
    {
        var system = f.System;
        // Each receipt the clerks were answered 201 for (its Idempotency-Key's stored answer) is one receipt row, and each
        // contract grower's receipt is one delivery in ContractGrowing.
        var answered = await system.ScalarAsync<long>("Cooperative",
            "select count(*) from idempotency_keys where key like '%receipt-%' and status_code = 201");
        Assert.True(answered > 0);
        Assert.Equal(answered, await system.ScalarAsync<long>("Cooperative", "select count(*) from receipts"));
        Assert.Equal(
            await system.QueryAsync<Guid>("Cooperative", "select id from receipts where contract_id is not null order by id"),
            await system.QueryAsync<Guid>("ContractGrowing", "select receipt_id from deliveries order by receipt_id"));

        // One pickup per packed order, one shipment per pickup, one waybill per box — and the carrier issued no
        // waybill Dispatch does not have.
        var packed = await system.QueryAsync<Guid>("Cooperative", "select distinct order_id from boxes order by order_id");
        Assert.Equal(5, packed.Count);   // Beijing and Shanghai for Shangxiang; Beijing, the 301-box Shanghai order and the lost one for Changqiao
        Assert.Equal(packed, await system.QueryAsync<Guid>("Dispatch", "select order_id from pickups order by order_id"));
        Assert.Equal(packed.Count, await system.ScalarAsync<long>("Dispatch", "select count(*) from shipments"));
        var boxes = await system.QueryAsync<string>("Cooperative", "select trace_code from boxes order by trace_code");
        Assert.Equal(boxes, await system.QueryAsync<string>("Dispatch", "select trace_code from waybills order by trace_code"));   // the master is the first box's
        using var carrier = new HttpClient { BaseAddress = system["CarrierSimulator"].BaseAddress };
        var issued = (await carrier.GetFromJsonAsync<JsonElement>("/admin/orders")).EnumerateArray().Sum(o => o.GetProperty("parcels").GetInt32());
        Assert.Equal(boxes.Count, issued);

        // Each settlement the clerks asked for exists once, and each delivered order is in exactly one of them.
        Assert.Equal(3, await system.ScalarAsync<long>("Cooperative", "select count(*) from settlements"));
        Assert.Equal(packed, await system.QueryAsync<Guid>("Cooperative", "select id from orders where settlement_id is not null order by id"));
        // Tracking's read model: each order once, delivered when the Cooperative's is delivered whole, with each of its boxes
        // once and each box's outcome the Cooperative's (every box ended somewhere: delivered, returned or lost).
        var whole = await system.QueryAsync<Guid>("Cooperative", "select id from orders where delivered_at is not null order by id");
        Assert.Equal(3, whole.Count);
        Assert.Equal(whole, await system.QueryAsync<Guid>("Tracking", "select order_id from shipments where delivered_at is not null order by order_id"));
        Assert.Equal(boxes, await system.QueryAsync<string>("Tracking", "select trace_code from boxes order by trace_code"));
        var outcomes = await system.QueryAsync<(string TraceCode, string Outcome)>("Cooperative", "select trace_code, outcome from boxes where outcome is not null order by trace_code");
        Assert.Equal(boxes, outcomes.Select(o => o.TraceCode));
        Assert.Equal(outcomes, await system.QueryAsync<(string TraceCode, string Outcome)>("Tracking", "select trace_code, outcome from box_outcomes order by trace_code"));
        Assert.Equal(["delivered", "lost", "returned"], outcomes.Select(o => o.Outcome).Distinct().Order());
    }

    /// <summary>Every event the relays recorded as published, with its service (filled from outbox_published).</summary>
    private readonly List<(string Service, Guid MessageId, string MessageType)> _published = [];

    /// <summary>
    /// Counted at the broker, not in any table the relay writes: every event the relays say they published reached the
    /// broker, nothing else did, and each reached it once. A second copy is legitimate in one window only: a relay
    /// SIGKILLed after the broker confirmed its batch and before its delete committed (the row's lock dies with it and
    /// another relay publishes the row again; the inbox absorbs the copy). So a copy may follow another only if a
    /// replica of the publishing service was killed between the two.
    /// </summary>
    private async Task EveryEventReachedTheBrokerOnceOrAgainOnlyAcrossAKillOfItsPublisherAsync()
    {
        // The queues are empty, but the tap's last deliveries may still be on their way to it: wait for them (what is
        // still missing after the deadline is reported below, with everything else).
        try
        {
            await Eventually.Until(() => Task.FromResult(f.Tap.Deliveries.Select(d => d.EventId).ToHashSet()),
                seen => _published.All(p => seen.Contains(p.MessageId)), TimeSpan.FromSeconds(30), "every published event counted at the broker");
        }
        catch (TimeoutException) { }
        var deliveries = f.Tap.Deliveries;
        var problems = f.Tap.Unreadable.Select(u => "unreadable at the broker: " + u).ToList();
        var serviceOf = _published.ToDictionary(p => p.MessageId, p => p.Service);
        var atBroker = deliveries.GroupBy(d => d.EventId).ToDictionary(g => g.Key, g => g.OrderBy(d => d.SentAt).ToList());
        problems.AddRange(_published.Where(p => !atBroker.ContainsKey(p.MessageId))
            .Select(p => $"{p.Service}: {p.MessageType} {p.MessageId} recorded as published, never reached the broker"));
        problems.AddRange(atBroker.Keys.Where(id => !serviceOf.ContainsKey(id))
            .Select(id => $"{atBroker[id][0].Exchange} {id} reached the broker, published by no relay's record"));
        foreach (var (id, copies) in atBroker.Where(c => c.Value.Count > 1 && serviceOf.ContainsKey(c.Key)))
            for (var i = 1; i < copies.Count; i++)
            {
                var (before, after) = (copies[i - 1].SentAt, copies[i].SentAt);
                if (!_kills.Any(k => k.Service == serviceOf[id] && before <= k.To && after >= k.From))
                    problems.Add($"{serviceOf[id]}: {copies[i].Exchange} {id} reached the broker {copies.Count} times " +
                                 $"(sent {string.Join(", ", copies.Select(c => c.SentAt.ToString("HH:mm:ss.fff")))}) with no kill of a {serviceOf[id]} replica between copies");
            }
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(30)) + $"\n({problems.Count} problems; {deliveries.Count} deliveries at the broker)");
    }

    private async Task EveryEventPublishedOnceAndAppliedOnceBySubscriberAsync()
    {
        var system = f.System;
        var problems = new List<string>();
        var published = _published;
        foreach (var service in Services)
        {
            var rows = await system.QueryAsync<(Guid MessageId, string MessageType, string PublishedBy)>(service,
                "select message_id, message_type, published_by from outbox_published");
            // SKIP LOCKED kept the relays apart: no row was published (and deleted) by two relays.
            foreach (var twice in rows.GroupBy(r => r.MessageId).Where(g => g.Count() > 1))
                problems.Add($"{service}: {twice.First().MessageType} {twice.Key} published by {string.Join(" and ", twice.Select(r => r.PublishedBy))}");
            // Both replicas' relays worked (Tracking publishes nothing).
            var by = rows.GroupBy(r => r.PublishedBy).ToDictionary(g => g.Key, g => g.Count());
            if (service != "Tracking")
                foreach (var replica in system.Replicas(service).Select(r => r.InstanceId).Where(id => !by.ContainsKey(id)))
                    problems.Add($"{service}: replica {replica} published nothing (published: {string.Join(", ", by.Select(b => $"{b.Key} {b.Value}"))})");
            if (await system.ScalarAsync<long>(service, "select count(*) from outbox") is var left and > 0)
                problems.Add($"{service}: {left} events never left the outbox");
            published.AddRange(rows.Select(r => (service, r.MessageId, r.MessageType)).DistinctBy(r => r.MessageId));
        }

        // Every published event is in each subscriber's inbox (once: the inbox's key is message id and consumer).
        var inboxes = new Dictionary<string, HashSet<(Guid, string)>>();
        foreach (var service in Services)
            inboxes[service] = (await system.QueryAsync<(Guid MessageId, string Consumer)>(service, "select message_id, consumer from inbox")).ToHashSet();
        foreach (var (service, messageId, type) in published)
            foreach (var queue in EventCatalogue.Named(type).Subscribers)
            {
                var subscriber = ServiceOfQueuePrefix.Single(p => queue.StartsWith(p.Key)).Value;
                if (!inboxes[subscriber].Contains((messageId, queue))) problems.Add($"{type} {messageId} from {service} never applied by {queue}");
            }

        // And the events say what the rows say: one HarvestReceived per receipt, one ShipmentBooked per shipment, ...
        long Count(string type) => published.Count(p => p.MessageType == type);
        Assert.Equal(await system.ScalarAsync<long>("Cooperative", "select count(*) from receipts"), Count("harvest-received"));
        Assert.Equal(await system.ScalarAsync<long>("Dispatch", "select count(*) from shipments"), Count("shipment-booked"));
        Assert.Equal(await system.ScalarAsync<long>("Dispatch", "select count(*) from pickups"), Count("shipment-requested"));
        Assert.Equal(await system.ScalarAsync<long>("Cooperative", "select count(*) from settlements"), Count("settlement-closed"));
        // A shipment is delivered (once) only when every carrier order of it was; each carrier order ends once.
        Assert.Equal(await system.ScalarAsync<long>("Dispatch", "select count(*) from shipments where delivered_at is not null"), Count("shipment-delivered"));
        Assert.Equal(3, Count("shipment-delivered"));
        Assert.Equal(await system.ScalarAsync<long>("Dispatch", "select count(*) from carrier_orders"), Count("shipment-part-ended"));
        Assert.Equal(await system.ScalarAsync<long>("Dispatch", "select count(*) from carrier_claims where status = 'paid'"), Count("carrier-compensation-paid"));
        Assert.Equal(1, Count("carrier-compensation-paid"));
        Assert.Equal(await system.ScalarAsync<long>("Cooperative", "select count(*) from claims where status <> 'open'"), Count("claim-decided"));
        Assert.Equal(1, Count("claim-decided"));

        var deadLettered = (await f.Broker.QueuesAsync()).Where(q => q.Key.EndsWith("_error") && q.Value > 0).ToList();
        problems.AddRange(deadLettered.Select(q => $"dead-lettered: {q.Key} {q.Value}"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Plays deploy/demo.sh through the Gateway, as <c>deploy/dev.sh up</c> does.</summary>
    private Task<string> PlayDemoAsync() => Task.Run(async () =>
    {
        var env = new Dictionary<string, string>
        {
            ["GATEWAY"] = f.System.Gateway.ToString().TrimEnd('/'), ["SIMULATOR"] = f.System["CarrierSimulator"].BaseAddress.ToString().TrimEnd('/'),
            ["DEMO_WAIT_SECONDS"] = "120",
            ["DEMO_DAY"] = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).ToString("yyyy-MM-dd"),
        };
        try
        {
            return await Cli.Run("bash", [Path.Combine(Repository.Root, "deploy", "demo.sh")], env, timeout: TimeSpan.FromMinutes(6));
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException(e.Message + "\n" + f.System.RecentOutput(), e);
        }
    });

    /// <summary>Polls until <paramref name="done"/>; the demo must still be playing then, or the fault would not be mid-stream.</summary>
    private static async Task<long> WhileDemoRunsAsync(Task<string> play, Func<Task<long>> read, Func<long, bool> done, string what)
    {
        var value = await Eventually.Until(async () => play.IsCompleted ? -1 : await read(), n => n < 0 || done(n), TimeSpan.FromMinutes(3), what);
        if (value < 0)
        {
            await play;   // a failed demo says why
            Assert.Fail($"the demo season ended before {what}: the replica would not have been killed mid-stream");
        }
        return value;
    }

    /// <summary>Waits until no event is waiting anywhere: every outbox empty and every queue drained, five polls running.</summary>
    private async Task QuietAsync()
    {
        var quiet = 0;
        await Eventually.Until(async () =>
        {
            long waiting = (await f.Broker.QueuesAsync()).Where(q => !q.Key.EndsWith("_error")).Sum(q => q.Value);
            foreach (var service in Services) waiting += await f.System.ScalarAsync<long>(service, "select count(*) from outbox");
            quiet = waiting == 0 ? quiet + 1 : 0;
            return quiet;
        }, n => n >= 5, TimeSpan.FromSeconds(90), "the system to settle");
    }
}
