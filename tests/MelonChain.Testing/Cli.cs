using System.Diagnostics;

namespace MelonChain.Testing;

/// <summary>Runs server tools (pg_ctl, rabbitmqctl) for the tests that start and stop their own servers.</summary>
public static class Cli
{
    public static bool IsRoot => Environment.UserName == "root";

    public static async Task<string> Run(string file, IEnumerable<string> args, IDictionary<string, string>? env = null,
        string? asUser = null, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo
        {
            WorkingDirectory = workingDirectory ?? "",
            FileName = asUser is not null && IsRoot ? "runuser" : file,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asUser is not null && IsRoot)
        {
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(asUser);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(file);
        }
        foreach (var arg in args) start.ArgumentList.Add(arg);
        if (env is not null)
            foreach (var (key, value) in env) start.Environment[key] = value;

        using var process = Process.Start(start)!;
        // Detached servers inherit the pipes: read only until the command itself has exited.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(cts.Token);
        var output = await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(2000)) is Task<string[]> both
            ? string.Join("\n", both.Result) : "";
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', start.ArgumentList)} exited {process.ExitCode}: {output}");
        return output;
    }

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A free loopback port for a server a test starts. Chosen below the kernel's ephemeral range (32768–60999):
    /// a port found there by binding to port 0 can be handed again to another bind-to-0 or an outgoing connection
    /// before our server binds it, and then the server fails or, worse, the test talks to someone else's.
    /// </summary>
    public static int FreePort()
    {
        lock (HandedOut)
            while (true)
            {
                var port = Random.Shared.Next(20_000, 32_000);
                if (!HandedOut.Add(port)) continue;
                var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
                try
                {
                    listener.Start();
                    return port;
                }
                catch (System.Net.Sockets.SocketException) { /* taken: try another */ }
                finally { listener.Stop(); }
            }
    }
}
