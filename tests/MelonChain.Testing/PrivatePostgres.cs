namespace MelonChain.Testing;

/// <summary>
/// A PostgreSQL server of the test's own (initdb in a temporary folder, random port on 127.0.0.1), for tests
/// that stop or restart it. initdb and pg_ctl refuse root, so they run as the postgres user.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _bin = TestServers.PostgresBin;

    public int Port { get; }
    public string Server => $"Host=127.0.0.1;Port={Port};Username=postgres;Timeout=3;Command Timeout=10";

    private PrivatePostgres(string dir, int port)
    {
        _dir = dir;
        Port = port;
    }

    public static async Task<PrivatePostgres> StartAsync()
    {
        var dir = Path.Combine("/var/tmp", "melontest-pg-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        if (Cli.IsRoot) await Cli.Run("chown", ["postgres:postgres", dir]);
        var server = new PrivatePostgres(dir, Cli.FreePort());
        await Cli.Run(Path.Combine(server._bin, "initdb"), ["-D", Path.Combine(dir, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8"], asUser: "postgres");
        await server.StartServerAsync();
        return server;
    }

    public Task StartServerAsync() => Cli.Run(Path.Combine(_bin, "pg_ctl"),
        ["-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "log"), "-w", "-t", "60",
         "-o", $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start"], asUser: "postgres");

    public Task StopServerAsync() => Cli.Run(Path.Combine(_bin, "pg_ctl"),
        ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"], asUser: "postgres");

    public async ValueTask DisposeAsync()
    {
        try { await StopServerAsync(); } catch (InvalidOperationException) { /* already stopped */ }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
