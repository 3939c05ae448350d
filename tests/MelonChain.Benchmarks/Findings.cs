namespace MelonChain.Benchmarks;

/// <summary>
/// What profiling showed for each bar (kept with the code so the report says it next to the figures): what
/// limits the bar, the profile that shows it, and what was tried. Written into the report for a missed bar.
/// </summary>
public static class Findings
{
    private static readonly Dictionary<string, string> Notes = new()
    {
        ["P1"] = """
            **What limits it.** The machine: every run so far had both cores 100% busy (see "machine busy" in the
            table; load average 11–17 from other builds). The endpoint costs ~2 ms of service CPU and ~2 ms of
            PostgreSQL CPU per request (the note column), pgbench's C client almost nothing, so on two shared cores
            the endpoint cannot reach 60% of pgbench; the service also has 40 pooled connections for 64 clients.
            The p99 follows from throughput: 64 requests in flight at ~200/s is ~300 ms each.

            **What was tried.** (1) The (cooperative, day) receipt counter row was held to the request's commit and
            serialised every receipt: pgbench with the exact statements ran 253–342 tx/s, p99 0.9–1.2 s. Numbering
            now takes its own short transaction (synchronous_commit off, flushed by the receipt's commit):
            pgbench 284 → 912–1,025 tx/s, the endpoint 133 → 162–236 req/s, p99 1,531 → 638–926 ms across runs.
            (2) Npgsql auto-prepare: PostgreSQL CPU per receipt 2.28 → 1.60–1.83 ms. (3) OpenTelemetry off
            without an exporter. Next: profile where the ~2 ms of service CPU goes (it is
            mostly outside the handler: see P3/P4), and run on a quiet machine.
            """,
        ["P2"] = """
            **What limits it.** The relay's consumers (ContractGrowing and Tracking) and RabbitMQ run on the same two
            cores as the relay; the raw loop's consumer only acks. The 1,000 events/s latency run is limited by P1:
            the API accepts ~300 receipts/s here, so requests queue before commit.

            **What was tried.** Publishing the stored JSON wrapped as text in MassTransit's envelope (743 B instead
            of 1,554 B) on one RabbitMQ.Client channel with tracked confirms: relay / raw 0.14 → 0.42 (1,978/s
            against 4,762/s). Not kept yet: an unroutable mandatory event was confirmed and its outbox row deleted
            (UnroutableEventTests), so the relay still publishes through MassTransit until returns are matched.
            """,
        ["P7"] = """
            **What limits it.** The Gateway spends 0.79 ms of CPU per proxied 60-parcel quote, against 0.94 ms for
            Dispatch to answer it, on the same two cores as Dispatch and the load client, so the hop nearly halves
            what the machine has left. Not profiled yet: next, perf of the Gateway under this load (its rate
            limiter, token check and YARP's forwarder are the candidates).
            """,
        ["P3"] = """
            **What the profile showed.** The "~1 ms per authenticated request" was not the endpoint: it was the
            tiered JIT. `perf record -g` of Dispatch (`DOTNET_PerfMapEnabled=1`, `DOTNET_EnableWriteXorExecute=0`)
            under wrk in the first 10 s after start put 18% of all samples on the ".NET Tiered Compilation Worker"
            thread and the request path in `[QuickJitted]` and `[InstrumentedTier]` code (e.g.
            `TokenValidationParameters::Clone()[QuickJitted]`); `DOTNET_JitStdOutFile` with
            `DOTNET_JitDisasmSummary=1` showed no method compiled per request — the DynamicMethods are the minimal-API
            delegates and reflection stubs made once at start-up. Per-request CPU of a one-parcel quote in consecutive
            6 s windows after a start: 0.48, 0.28, 0.077, 0.073 ms (3,800 → 22,500 req/s). The old benchmark measured
            3 s after the first request, i.e. mostly the JIT. It now warms up until two 1-s slices agree within 10%.
            `DOTNET_TieredPGO=0` settles sooner but at 0.12 ms, so the default is kept.
            """,
        ["P4"] = """
            **What limits it.** Per quote: JSON reading of 60 parcels, validation and pricing in Dispatch; the raw
            limit now validates the same JWT with the same policy. See P3 for the JIT warm-up that the old figures
            measured.

            **What was tried.** The rate card cached per cooperative for 10 s (forgotten after a PUT commits) and the
            quote marked read-only so no transaction is opened: PostgreSQL CPU per quote 0.51 → 0.06 ms.
            """,
        ["P5"] = """
            Seeded in bulk with foreign-key triggers off; settled through the API by a Cooperative process of its
            own. If missed: the time is in the per-grower INSERT round trips of SettlePeriod.Record.
            """,
        ["P6"] = """
            **What limits it.** The machine's load at the moment of the start: ready means database created or
            migrated and the broker connected with its quorum queues declared, and all of it is CPU (JIT) on two
            cores shared with other builds. At load average ≤ 15 every restart took 0.6–2.1 s and first starts
            (which also create the database) 0.8–3.8 s; at load 21–25 restarts took up to 3.8 s and first starts
            5.8 s. Idle memory is 94–136 MB everywhere.

            **What was tried.** Nothing in code yet. Next: ReadyToRun images (the crossgen package is not in this
            machine's NuGet mirror), and starting MassTransit's topology declaration without blocking readiness.
            """,
    };

    public static void Annotate(Report report)
    {
        foreach (var bar in report.Bars)
            if (bar.Verdict != "met" && Notes.TryGetValue(bar.Id, out var notes)) bar.Notes = notes;
    }
}
