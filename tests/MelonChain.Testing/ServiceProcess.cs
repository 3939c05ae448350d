using System.Diagnostics;
using System.Net;

namespace MelonChain.Testing;

/// <summary>
/// One service as a real operating-system process: the built <c>MelonChain.&lt;Service&gt;.dll</c> run by
/// <c>dotnet</c>, configured through environment variables, on a free loopback port. It can be stopped gracefully
/// (SIGTERM), killed outright (SIGKILL) and started again with the same settings.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly Queue<string> _log = new();
    private Process? _process;

    public string Name { get; }

    /// <summary>Which replica of the service this process is (1, 2, ...), recorded as its <c>Service:InstanceId</c>.</summary>
    public int Replica { get; }
    public string InstanceId => $"{Name}-{Replica}";
    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");
    public bool IsRunning => _process is { HasExited: false };
    public int? ProcessId => _process?.Id;

    /// <summary>
    /// The folder its <c>MelonChain.&lt;Service&gt;.dll</c> runs from: the build (<c>services/&lt;Service&gt;/bin/&lt;Configuration&gt;/net10.0</c>)
    /// unless set, for the next start, to a <c>dotnet publish</c> output (what the images run: the benchmark's P9
    /// measures the Gateway's published, trimmed and compressed workstation).
    /// </summary>
    public string Folder { get; set; }

    /// <summary>From process start to the first ready answer, at the last start (the benchmark's P6).</summary>
    public TimeSpan? StartupTime { get; private set; }

    public ServiceProcess(string name, IDictionary<string, string> settings, int replica = 1)
    {
        Name = name;
        Replica = replica;
        Port = Cli.FreePort();
        Folder = Path.Combine(Repository.Root, "services", name, "bin", Repository.Configuration, "net10.0");
        _environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Urls"] = BaseAddress.ToString().TrimEnd('/'),
            ["DataProtection__Path"] = Path.Combine(Path.GetTempPath(), "melontest-keys"),
            ["Logging__LogLevel__Default"] = "Warning",
            ["DOTNET_gcServer"] = "0",
            ["Service__InstanceId"] = InstanceId,
        };
        foreach (var (key, value) in settings) Configure(key, value);
    }

    /// <summary>Sets a configuration value (<c>Section:Key</c>) for the next start.</summary>
    public void Configure(string key, string value) => _environment[key.Replace(":", "__")] = value;

    /// <summary>The last lines the process wrote, for a failing test's message.</summary>
    public string RecentOutput { get { lock (_log) return string.Join('\n', _log); } }

    /// <summary>Starts the process and waits for <c>/health/ready</c> (database migrated, broker connected).</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        if (IsRunning) return;
        var dll = Path.Combine(Folder, $"MelonChain.{Name}.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"{Name} is not built: {dll}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var (key, value) in _environment) start.Environment[key] = value;
        StartupTime = null;
        var clock = Stopwatch.StartNew();
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                // HasExited can be true before the asynchronous readers have delivered the last lines (the refusal a
                // test looks for): the parameterless WaitForExit waits for both redirected streams to end.
                _process.WaitForExit();
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{RecentOutput}");
            }
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    StartupTime = clock.Elapsed;
                    return;
                }
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException($"{Name} did not become ready on {BaseAddress}:\n{RecentOutput}");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing — what a power cut or the OOM killer does.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the host's graceful shutdown (what <c>deploy/dev.sh down</c> and systemd send).</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited) return;
        await Cli.Run("kill", ["-TERM", _process.Id.ToString()]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try { await _process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { await KillAsync(); }
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    private void Remember(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.Enqueue(line);
            while (_log.Count > 200) _log.Dequeue();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }
}

/// <summary>Where the checkout is and which configuration the tests were built in, to find the services' builds.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>Release or Debug: the same as the running test assembly (…/bin/&lt;Configuration&gt;/net10.0/).</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MelonChain.sln"))) return dir.FullName;
        throw new InvalidOperationException("MelonChain.sln not found above " + AppContext.BaseDirectory);
    }
}
