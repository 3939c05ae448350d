using System.Diagnostics;

namespace MelonChain.Testing;

/// <summary>Runs server tools (pg_ctl, rabbitmqctl) for the tests that start and stop their own servers.</summary>
public static class Cli
{
    public static bool IsRoot => Environment.UserName == "root";

    public static async Task<string> Run(string file, IEnumerable<string> args, IDictionary<string, string>? env = null,
        string? asUser = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo
        {
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

    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
