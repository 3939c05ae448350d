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
            **What limits it.** The relay publishes each outbox row through MassTransit (deserialise the stored
            JSON, serialise MassTransit's envelope, one confirm per message, awaited together per batch of 200) while
            the consumers of the same events run on the same two cores; the raw loop publishes prebuilt bytes and its
            consumer only acks. The 1,000 events/s latency run is limited by P1: the API accepts ~150–200 receipts/s
            here, so requests queue before commit and the relay runs in small batches.

            **What was tried.** Nothing yet beyond P1's fixes. Next: publish the stored JSON as the message body
            without a deserialise/serialise round trip, larger batches, and a quiet machine.
            """,
        ["P3"] = """
            **What limits it.** Service CPU per request: ~0.9 ms in Tracking for any authenticated endpoint against
            0.02 ms for bare Kestrel; with wrk on a diagnostic instance an unauthenticated 404 through the same
            pipeline (auth middleware included) costs 0.1 ms, an authenticated endpoint 0.85–1.1 ms with or without a
            database. The sampled profile (`--trace`) shows no managed hotspot in the request (JSON, JWT HMAC and the
            handler are a few % together); 8% is unresolved native code and the finalizer thread is busy destroying
            DynamicMethods, i.e. code generated at run time, not found yet.

            **What was tried.** Five queries → one round trip with four results (Tracking CPU 1.51 → 0.84–1.05 ms
            per request), Npgsql auto-prepare (PostgreSQL CPU per GET 1.6–1.8 → 0.35 ms), OpenTelemetry off without
            an exporter: 410–468 → 526–833 req/s; bare Kestrel does 13,000–33,000 on the same machine. Next: native profile
            (dotnet-trace collect-linux / perf) of the endpoint path to find the run-time code generation.
            """,
        ["P4"] = """
            **What limits it.** The same ~1 ms of service CPU per authenticated request as P3 (Dispatch), now with no
            database work at all: the quote's own arithmetic, JSON and validation are under 5% of the samples.

            **What was tried.** The rate card cached per cooperative for 10 s (forgotten after a PUT commits) and the
            quote marked read-only so no transaction is opened: PostgreSQL CPU per quote 0.51 → 0.06 ms; throughput
            on this machine 551–878 → ~600–1,200 req/s against 20,000–33,000 for bare Kestrel.
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
