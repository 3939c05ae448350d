using MelonChain.Benchmarks;

// dotnet MelonChain.Benchmarks.dll [--smoke] [--out DIR]      the benchmark run (deploy/dev.sh bench)
//     [--only P3,P4] [--trace DIR] [--perf DIR] [--jit DIR]   some bars only; dotnet-trace / perf profiles of the services under
//                                                             load; the methods the JIT compiled while a bar was measured
// dotnet MelonChain.Benchmarks.dll bare-kestrel PORT BODYFILE  the bare Kestrel raw limit (started by the run)
if (args is ["bare-kestrel", var port, var bodyFile])
{
    await BareKestrel.ServeAsync(int.Parse(port), bodyFile);
    return 0;
}
var smoke = args.Contains("--smoke");
var outAt = Array.IndexOf(args, "--out");
var outDir = outAt >= 0 && outAt + 1 < args.Length ? args[outAt + 1] : Path.Combine(Repository.Root, "deploy", ".local", "bench");
string? Arg(string name) { var at = Array.IndexOf(args, name); return at >= 0 && at + 1 < args.Length ? args[at + 1] : null; }
// JIT-compiled frames get names in perf's reports (the services inherit this).
// (W^X off: with it on, JIT-compiled code runs from a double mapping perf cannot name).
if (Arg("--perf") is not null)
{
    Environment.SetEnvironmentVariable("DOTNET_PerfMapEnabled", "1");
    Environment.SetEnvironmentVariable("DOTNET_EnableWriteXorExecute", "0");
}
var report = await Bench.RunAsync(new BenchOptions(smoke, Path.GetFullPath(outDir))
{
    Only = Arg("--only")?.Split(',') ?? [],
    TraceDir = Arg("--trace") is { } trace ? Path.GetFullPath(trace) : null,
    PerfDir = Arg("--perf") is { } perf ? Path.GetFullPath(perf) : null,
    JitDir = Arg("--jit") is { } jit ? Path.GetFullPath(jit) : null,
});
Console.WriteLine(report.Markdown());
return report.Bars.Any(b => b.Verdict is "error" or "incorrect") ? 1 : 0;
