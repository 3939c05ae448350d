using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace MelonChain.Reliability.Tests;

/// <summary>
/// The whole system as processes on a PostgreSQL server and a RabbitMQ node of its own, so that tests can stop,
/// restart and kill any of them. Tests share it and keep their totals apart by using a grower of their own.
/// </summary>
public sealed class PrivateServersSystem : IAsyncLifetime
{
    public PrivatePostgres Postgres { get; private set; } = null!;
    public PrivateRabbitMq Broker { get; private set; } = null!;
    public MelonSystem System { get; private set; } = null!;
    public Scenario Scenario { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var servers = await Task.WhenAll(
            Task.Run(async () => (object)await PrivatePostgres.StartAsync()),
            Task.Run(async () => (object)await PrivateRabbitMq.StartNodeAsync()));
        Postgres = (PrivatePostgres)servers[0];
        Broker = (PrivateRabbitMq)servers[1];
        System = await MelonSystem.StartAsync(Postgres.Server, Broker.ConnectionString);
        Scenario = await Scenario.StartAsync(System);
    }

    public async Task DisposeAsync()
    {
        if (System is not null) await System.DisposeAsync();
        if (Broker is not null) await Broker.DisposeAsync();
        if (Postgres is not null) await Postgres.DisposeAsync();
    }
}

/// <summary>
/// Receipts posted by several clerks' apps at once, each with its own Idempotency-Key, and what each got back.
/// A failed POST is retried later with the same key and body, exactly as the app does on a village network.
/// </summary>
public sealed class ReceiptLoad(Scenario scenario, Guid growerId)
{
    public sealed record Attempt(string Key, HttpStatusCode Status, string? ContentType, string Body);

    private readonly ConcurrentDictionary<string, decimal> _sent = new();
    private readonly ConcurrentQueue<Attempt> _attempts = new();
    private int _next;

    public IReadOnlyCollection<Attempt> Attempts => _attempts;
    public int Keys => _sent.Count;
    public long Grams => _sent.Values.Sum(kg => (long)(kg * 1000));

    /// <summary>Posts <paramref name="count"/> receipts (or until <paramref name="until"/> is cancelled) from <paramref name="clients"/> apps.</summary>
    public Task RunAsync(int clients, int count = int.MaxValue, CancellationToken until = default, TimeSpan? pause = null) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (!until.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref _next);
                if (n > count) return;
                var key = $"{growerId:N}-{n}";
                var kg = 10m + n / 1000m;
                _sent[key] = kg;
                var (status, type, body) = await scenario.TryReceiptAsync(scenario.Clerk, key, Scenario.Receipt(growerId, kg));
                _attempts.Enqueue(new Attempt(key, status, type, body));
                if (pause is { } p) await Task.Delay(p, CancellationToken.None);
            }
        }));

    public IReadOnlyList<string> Failed() =>
        _sent.Keys.Where(k => !_attempts.Any(a => a.Key == k && a.Status == HttpStatusCode.Created)).ToList();

    /// <summary>Retries every failed receipt with its own key and body until it is recorded; returns the receipt ids.</summary>
    public async Task<IReadOnlyList<Guid>> CompleteAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var key in Failed())
        {
            while (true)
            {
                var (status, type, body) = await scenario.TryReceiptAsync(scenario.Clerk, key, Scenario.Receipt(growerId, _sent[key]));
                _attempts.Enqueue(new Attempt(key, status, type, body));
                if (status == HttpStatusCode.Created) break;
                Assert.True(DateTime.UtcNow < deadline, $"receipt {key} still refused: {(int)status} {body}");
                await Task.Delay(250);
            }
        }
        // Every key's answers name one receipt: replays return the stored response of the first success.
        return _attempts.Where(a => a.Status == HttpStatusCode.Created)
            .GroupBy(a => a.Key)
            .Select(g => Assert.Single(g.Select(a => JsonDocument.Parse(a.Body).RootElement.GetProperty("id").GetGuid()).Distinct()))
            .ToList();
    }
}
