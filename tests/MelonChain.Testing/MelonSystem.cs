using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace MelonChain.Testing;

/// <summary>
/// The whole system as processes: the carrier simulator, the four services and the Gateway, each on a free port,
/// each service with a database of its own on the given PostgreSQL, all on the given RabbitMQ (a virtual host or a
/// private broker). Requests go through the Gateway with tokens from its development token endpoint.
/// With <c>replicas</c> above 1, each of the four services runs that many processes, all of them destinations of its
/// Gateway cluster, and the simulator pushes routes through the Gateway; the simulator (its carrier orders live in
/// memory) and the Gateway (the one address the clients know) run once.
/// </summary>
public sealed class MelonSystem : IAsyncDisposable
{
    public const string Cooperative = "shangxiang";

    /// <summary>In start order: the simulator first (Dispatch books with it), the Gateway last (it routes to the rest).</summary>
    public static readonly string[] Services = ["CarrierSimulator", "Cooperative", "ContractGrowing", "Dispatch", "Tracking", "Gateway"];

    private static readonly Dictionary<string, string> Clusters = new()
    {
        ["Cooperative"] = "cooperative", ["ContractGrowing"] = "growing", ["Dispatch"] = "dispatch", ["Tracking"] = "tracking",
    };

    private readonly Dictionary<string, ServiceProcess> _processes = new();
    private readonly Dictionary<string, List<ServiceProcess>> _replicas = new();

    /// <summary>Each service's database (Cooperative, ContractGrowing, Dispatch, Tracking).</summary>
    public IReadOnlyDictionary<string, TestDatabase> Databases { get; }

    public string RabbitMq { get; }
    public ServiceProcess this[string service] => _processes[service];

    /// <summary>Every process of the service, replica 1 first.</summary>
    public IReadOnlyList<ServiceProcess> Replicas(string service) => _replicas[service];
    public Uri Gateway => _processes["Gateway"].BaseAddress;

    private MelonSystem(string postgres, string rabbitMq)
    {
        RabbitMq = rabbitMq;
        Databases = Clusters.Keys.ToDictionary(s => s, s => TestDatabase.Create("e2e_" + Clusters[s], postgres));
    }

    /// <param name="postgres">A server connection string without a database.</param>
    /// <param name="rabbitMq">An AMQP URI, with the virtual host to use.</param>
    /// <param name="settings">Extra settings per service (e.g. <c>Simulator:SecondsPerDay</c> for CarrierSimulator).</param>
    public static async Task<MelonSystem> StartAsync(string postgres, string rabbitMq,
        IDictionary<string, IDictionary<string, string>>? settings = null, int replicas = 1)
    {
        var system = new MelonSystem(postgres, rabbitMq);
        try
        {
            foreach (var name in Services)
            {
                var count = Clusters.ContainsKey(name) ? replicas : 1;
                system._replicas[name] = Enumerable.Range(1, count).Select(i => new ServiceProcess(name, system.SettingsFor(name, settings), i)).ToList();
                system._processes[name] = system._replicas[name][0];
            }
            // Ports are known before anything starts, so the Gateway, Dispatch and the simulator can name each other.
            foreach (var (service, cluster) in Clusters)
                foreach (var replica in system.Replicas(service))
                    system["Gateway"].Configure($"ReverseProxy:Clusters:{cluster}:Destinations:{(replica.Replica == 1 ? "local" : $"replica{replica.Replica}")}:Address",
                        replica.BaseAddress.ToString());
            // Labels' QR codes, the trace page's QR and the growers' own links point at this system's Gateway.
            system.Configure("Cooperative", "Documents:PublicTraceBaseUrl", system["Gateway"].BaseAddress.ToString());
            system.Configure("Cooperative", "GrowerPage:PublicBaseUrl", system["Gateway"].BaseAddress.ToString());
            system.Configure("Tracking", "Tracking:PublicBaseUrl", system["Gateway"].BaseAddress.ToString());
            system.Configure("Dispatch", "Dispatch:CarrierBaseUrl", system["CarrierSimulator"].BaseAddress.ToString());
            system["CarrierSimulator"].Configure("Simulator:RoutePushUrl", new Uri(replicas > 1 ? system.Gateway : system["Dispatch"].BaseAddress,
                "/api/v1/dispatch/carriers/sf/routes").ToString());
            system["CarrierSimulator"].Configure("Simulator:FeePushUrl", new Uri(replicas > 1 ? system.Gateway : system["Dispatch"].BaseAddress,
                "/api/v1/dispatch/carriers/sf/fees").ToString());
            // A bill differs from the quote only when a test asks for it (POST /admin/waybills/{waybillNo}/bill): no re-weighed share.
            system["CarrierSimulator"].Configure("Simulator:Fees:RevisedShare", "0");
            foreach (var name in Services)
                foreach (var replica in system.Replicas(name))
                    await replica.StartAsync();
            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sets a configuration value on every replica of the service, for their next start.</summary>
    public void Configure(string service, string key, string value)
    {
        foreach (var replica in Replicas(service)) replica.Configure(key, value);
    }

    private Dictionary<string, string> SettingsFor(string name, IDictionary<string, IDictionary<string, string>>? overrides)
    {
        var values = new Dictionary<string, string>();
        if (Databases.TryGetValue(name, out var database))
        {
            values["ConnectionStrings:Db"] = database.ConnectionString;
            values["ConnectionStrings:RabbitMq"] = RabbitMq;
        }
        if (overrides?.TryGetValue(name, out var extra) == true)
            foreach (var (key, value) in extra) values[key] = value;
        return values;
    }

    /// <summary>A Gateway client carrying a development token for the role.</summary>
    public async Task<HttpClient> AsAsync(string role, string subject, string cooperative = Cooperative,
        Guid? buyerId = null, string? courierId = null)
    {
        var client = new HttpClient { BaseAddress = Gateway };
        var response = await client.PostAsJsonAsync("/api/v1/dev/tokens", new { role, subject, cooperativeId = cooperative, buyerId, courierId });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// Reads a service's database directly. Unpooled: a test that restarts PostgreSQL must not trip over connections
    /// it pooled before the restart.
    /// </summary>
    public async Task<T?> ScalarAsync<T>(string service, string sql, object? args = null)
    {
        await using var connection = OpenUnpooled(service);
        return await connection.ExecuteScalarAsync<T>(sql, args);
    }

    /// <inheritdoc cref="ScalarAsync{T}"/>
    public async Task<IReadOnlyList<T>> QueryAsync<T>(string service, string sql, object? args = null)
    {
        await using var connection = OpenUnpooled(service);
        return (await connection.QueryAsync<T>(sql, args)).AsList();
    }

    private NpgsqlConnection OpenUnpooled(string service)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Databases[service].ConnectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>What each process wrote last, for a failing test's message.</summary>
    public string RecentOutput() =>
        string.Join("\n", _replicas.Values.SelectMany(r => r).Select(p => $"--- {p.InstanceId}\n{p.RecentOutput}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _replicas.Values.SelectMany(r => r).Reverse()) await process.DisposeAsync();
        foreach (var database in Databases.Values) await database.DisposeAsync();
    }
}
