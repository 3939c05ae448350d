using System.Diagnostics;
using MelonChain.Chaos;

// R16, the chaos season: deploy/dev.sh chaos [minutes] [--seed N]. See tests/RELIABILITY.md.
var minutes = 20.0;
var seed = Random.Shared.Next(1, 1_000_000);
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--seed" && i + 1 < args.Length) seed = int.Parse(args[++i]);
    else if (args[i] == "--minutes" && i + 1 < args.Length) minutes = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
    else if (double.TryParse(args[i], System.Globalization.CultureInfo.InvariantCulture, out var m)) minutes = m;
    else
    {
        Console.Error.WriteLine("usage: MelonChain.Chaos [minutes] [--seed N]");
        return 2;
    }
}

var clock = Stopwatch.StartNew();
void Log(string line) => Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] {line}");
Log($"chaos season: {minutes} minutes, seed {seed} (replay with --seed {seed})");

Log("starting a PostgreSQL server and a RabbitMQ node of its own, then two replicas of every service");
var servers = await Task.WhenAll(
    Task.Run(async () => (object)await PrivatePostgres.StartAsync()),
    Task.Run(async () => (object)await PrivateRabbitMq.StartNodeAsync()));
await using var postgres = (PrivatePostgres)servers[0];
await using var broker = (PrivateRabbitMq)servers[1];
await using var system = await MelonSystem.StartAsync(postgres.Server, broker.ConnectionString, new Dictionary<string, IDictionary<string, string>>
{
    ["CarrierSimulator"] = new Dictionary<string, string> { ["Simulator:SecondsPerDay"] = "5", ["Simulator:PushIntervalMs"] = "200" },
}, replicas: 2);
Log($"system up: Gateway {system.Gateway}, PostgreSQL :{postgres.Port}, RabbitMQ :{broker.Port}");

var counts = new SeasonCounts();
var seasons = new[]
{
    new CooperativeSeason(system, "shangxiang", Onboarding.Profile("shangxiang", prefix: "SX"), new Random(seed + 1), counts, Log),
    new CooperativeSeason(system, "changqiao", Onboarding.Profile("changqiao", prefix: "CQ", commissionBps: 600, boxFeeFen: 350), new Random(seed + 2), counts, Log),
};
foreach (var season in seasons) await season.SetUpAsync(members: 12);
Log("both cooperatives onboarded with members and buyers; the season starts, and the faults with it");

var until = DateTime.UtcNow.AddMinutes(minutes);
var faults = new Faults(system, postgres, broker, seed, Log);
await Task.WhenAll(seasons.Select(s => s.PlayAsync(until)).Append(faults.RunAsync(until)));
Log("time is up: healing every fault and letting everything drain");
await faults.HealAllAsync();
await Drain.WaitAsync(system, broker, Log);
foreach (var season in seasons) await season.CloseAsync();
await Drain.WaitAsync(system, broker, Log);

var checks = await new Invariants(system, broker, seasons).CheckAsync();

Console.WriteLine();
Console.WriteLine($"================ chaos season · seed {seed} · {minutes} minutes ================");
Console.WriteLine("Season:");
foreach (var (what, n) in counts.All) Console.WriteLine($"  {what,-36} {n,6}");
Console.WriteLine($"Faults injected ({faults.Injected.Values.Sum()}):");
foreach (var (fault, n) in faults.Injected) Console.WriteLine($"  {fault,-36} {n,6}");
Console.WriteLine($"Answers the season did not expect ({counts.UnexpectedAnswers.Count}):");
foreach (var line in counts.UnexpectedAnswers.Take(20)) Console.WriteLine($"  {line}");
Console.WriteLine("Invariants:");
foreach (var check in checks)
{
    Console.WriteLine($"  {(check.Holds ? "holds " : "BROKEN")}  {check.Invariant} (over {check.Over})");
    foreach (var line in check.Broken.Take(10)) Console.WriteLine($"          {line}");
}
var ok = checks.All(c => c.Holds);
Console.WriteLine(ok ? $"every invariant holds (seed {seed})" : $"INVARIANTS BROKEN (seed {seed}; replay with --seed {seed})");
return ok ? 0 : 1;
