using System.Net.Http.Json;

namespace MelonChain.Chaos;

/// <summary>
/// The fault schedule: one fault at a time, drawn from the seed — a replica of a service SIGKILLed (or the Gateway),
/// PostgreSQL stopped (immediate), RabbitMQ's application stopped, or the carrier simulator slowed through its fault
/// admin API (<c>POST /admin/faults</c>: latency, held answers, timeouts) — held for a while, then healed, then a
/// pause. The same seed draws the same schedule (kinds, targets, durations, pauses).
/// </summary>
public sealed class Faults(MelonSystem system, PrivatePostgres postgres, PrivateRabbitMq broker, int seed, Action<string> log)
{
    private static readonly string[] Services = ["Cooperative", "ContractGrowing", "Dispatch", "Tracking"];
    private readonly Random _random = new(seed);
    private readonly HttpClient _simulator = new() { BaseAddress = system["CarrierSimulator"].BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Faults injected, by kind and target ("kill Dispatch-2", "stop PostgreSQL", ...).</summary>
    public SortedDictionary<string, int> Injected { get; } = new();

    public async Task RunAsync(DateTime until)
    {
        await Task.Delay(TimeSpan.FromSeconds(5));
        while (DateTime.UtcNow < until)
        {
            var roll = _random.Next(100);
            var hold = TimeSpan.FromSeconds(_random.Next(3, 16));
            var pause = TimeSpan.FromSeconds(_random.Next(4, 21));
            if (roll < 55)
            {
                var service = Services[_random.Next(Services.Length)];
                var replica = system.Replicas(service)[_random.Next(system.Replicas(service).Count)];
                await InjectAsync($"kill {replica.InstanceId}", replica.KillAsync, hold, () => replica.StartAsync());
            }
            else if (roll < 62)
            {
                var gateway = system["Gateway"];
                await InjectAsync("kill Gateway", gateway.KillAsync, hold, () => gateway.StartAsync());
            }
            else if (roll < 75)
                await InjectAsync("stop PostgreSQL", postgres.StopServerAsync, hold, postgres.StartServerAsync);
            else if (roll < 88)
                await InjectAsync("stop RabbitMQ", broker.StopAsync, hold, broker.StartAsync);
            else
            {
                var latency = _random.Next(500, 3001);
                var timeouts = _random.Next(0, 3) * 0.1;
                var slow = new { latencyMs = latency, answerDelayMs = latency / 2, timeoutShare = timeouts, timeoutMs = 8000 };
                await InjectAsync($"slow the simulator", () => SimulatorFaultsAsync(slow), hold * 3, () => SimulatorFaultsAsync(new { }),
                    $"latency {latency} ms, timeouts {timeouts:P0}");
            }
            await Task.Delay(pause);
        }
    }

    private async Task InjectAsync(string fault, Func<Task> inject, TimeSpan hold, Func<Task> heal, string? detail = null)
    {
        log($"fault: {fault}{(detail is null ? "" : $" ({detail})")} for {hold.TotalSeconds:0} s");
        Injected[fault] = Injected.GetValueOrDefault(fault) + 1;
        await inject();
        await Task.Delay(hold);
        await HealAsync(heal, fault);
    }

    /// <summary>Heals until it works (a replica restarting while the database restarts, say): the system is never left broken.</summary>
    private async Task HealAsync(Func<Task> heal, string fault)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await heal();
                log($"healed: {fault}");
                return;
            }
            catch (Exception e) when (attempt < 20)
            {
                log($"healing {fault} failed ({e.GetType().Name}: {e.Message.Split('\n')[0]}); again");
                await Task.Delay(3000);
            }
        }
    }

    private async Task SimulatorFaultsAsync(object faults)
    {
        using var response = await _simulator.PostAsJsonAsync("/admin/faults", faults);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>After the season: everything running and the simulator at full speed.</summary>
    public async Task HealAllAsync()
    {
        await HealAsync(async () => { try { await postgres.StartServerAsync(); } catch (InvalidOperationException) { /* running */ } }, "PostgreSQL");
        await HealAsync(broker.StartAsync, "RabbitMQ");
        await HealAsync(() => SimulatorFaultsAsync(new { }), "the simulator's faults");
        foreach (var process in MelonSystem.Services.SelectMany(system.Replicas))
            if (!process.IsRunning) await HealAsync(() => process.StartAsync(), process.InstanceId);
    }
}
