namespace MelonChain.Testing;

/// <summary>
/// A RabbitMQ node of the test's own (own node name, ports and folders on 127.0.0.1), for tests that stop the
/// broker. <see cref="StopAsync"/> stops the RabbitMQ application (connections drop, the port closes) and
/// <see cref="StartAsync"/> brings it back with its queues.
/// </summary>
public sealed class PrivateRabbitMq : IAsyncDisposable
{
    private const string Bin = "/usr/lib/rabbitmq/bin";
    private readonly string _dir;
    private readonly Dictionary<string, string> _env;

    public string Node { get; }
    public int Port { get; }
    public string ConnectionString => $"amqp://guest:guest@127.0.0.1:{Port}/";

    private PrivateRabbitMq(string dir, string node, int port)
    {
        _dir = dir;
        Node = node;
        Port = port;
        _env = new Dictionary<string, string>
        {
            ["RABBITMQ_NODENAME"] = node,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = port.ToString(),
            ["RABBITMQ_DIST_PORT"] = Cli.FreePort().ToString(),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(dir, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(dir, "log"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(dir, "rabbit.pid"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(dir, "enabled_plugins"),
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
        };
    }

    public static async Task<PrivateRabbitMq> StartNodeAsync()
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var dir = Path.Combine("/var/tmp", "melontest-mq-" + id);
        Directory.CreateDirectory(Path.Combine(dir, "log"));
        await File.WriteAllTextAsync(Path.Combine(dir, "enabled_plugins"), "[].");
        var broker = new PrivateRabbitMq(dir, $"melontest-{id}@localhost", Cli.FreePort());
        await Cli.Run(Path.Combine(Bin, "rabbitmq-server"), ["-detached"], broker._env);
        await broker.Ctl("wait", "--timeout", "120", broker._env["RABBITMQ_PID_FILE"]);
        return broker;
    }

    public Task StopAsync() => Ctl("stop_app");

    public Task StartAsync() => Ctl("start_app");

    /// <summary>Every queue of the node with the messages in it (ready and unacknowledged).</summary>
    public async Task<IReadOnlyDictionary<string, long>> QueuesAsync()
    {
        var output = await Ctl("list_queues", "--no-table-headers", "name", "messages");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t'))
            .Where(cells => cells.Length == 2 && long.TryParse(cells[1], out _))
            .ToDictionary(cells => cells[0], cells => long.Parse(cells[1]));
    }

    private Task<string> Ctl(params string[] args) => Cli.Run(Path.Combine(Bin, "rabbitmqctl"), ["-q", "-n", Node, .. args], _env);

    public async ValueTask DisposeAsync()
    {
        try { await Ctl("stop"); } catch (InvalidOperationException) { /* already gone */ }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
