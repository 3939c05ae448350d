namespace MelonChain.Benchmarks;

/// <summary>
/// What profiling showed for each bar (kept with the code so the report says it next to the figures): what
/// limits the bar, the profile that shows it (in <c>tests/MelonChain.Benchmarks/profiles/</c>, made with
/// <c>--perf</c> and <c>--jit</c>), and what was tried. Written into the report for a missed bar.
/// </summary>
public static class Findings
{
    private static readonly Dictionary<string, string> Notes = new()
    {
        ["P1"] = """
            **What limits it.** Round trips to PostgreSQL, on the two cores PostgreSQL also needs. Profile
            `profiles/P1-Cooperative.perf.txt` (measured window, JIT settled): 42% of the Cooperative's samples are
            in the kernel; `__send` is 25.8% including callees and `NpgsqlCommand.ExecuteReader` 31% — each statement
            of a receipt (idempotency key, grower, number in its own short transaction, receipt, outbox row, stored
            response, commit) is a send and a wake-up; `PoolingDataSource.RentAsync` is 10.9% (two connections per
            receipt: the number's transaction and the receipt's). Per receipt the service spends ~0.66 ms of CPU and
            PostgreSQL ~1.5 ms, on two cores: at most ~900 receipts/s before anything else runs, against pgbench's
            ~1,400–1,550 tx/s for the same statements. The p99 bar is below what pgbench itself reaches here at 64
            connections (p99 100–125 ms in the same runs).

            **What was tried.** Numbering in its own short transaction (pgbench 284 → ~1,000 tx/s, earlier stop);
            auto-prepare (PostgreSQL CPU per receipt 2.28 → 1.6 ms); warming up until the JIT has tiered the
            request path (0.21 → 0.40–0.44 of pgbench). Next: send the receipt, its outbox row and its stored
            response as one `NpgsqlBatch` (one round trip instead of three), and take the number from the same
            connection.

            **Taken since (issue 33).** Three round trips on one connection instead of nine on two: the key's lock and
            stored response with the BEGIN; the profile, grower, contract and the day's number (now in the receipt's
            own transaction, its row locked until the commit one round trip later); the receipt, outbox row, stored
            response and COMMIT (`ReceiptRoundTripTests`). pgbench's script runs the same three pipelines.
            """,
        ["P2"] = """
            **What limits it.** The consumers, on the same two cores. Profile `profiles/P2-Cooperative.perf.txt`
            (the Cooperative while the relay drains 20,000 events): 62% of its samples in the kernel and 34% in
            `finish_task_switch` — the relay mostly waits, for its claim, the broker's confirms and its commit, while
            ContractGrowing and Tracking write a row per event on the other core; the raw loop's consumer only acks.
            The raw limit itself moved 41–80% within a run. Commit → effect at 1,000 events/s is bounded by P1: the
            endpoint accepts 450–650 receipts/s here, so the 1,000/s requests queue before they commit.

            **What was tried.** The stored JSON wrapped as text in MassTransit's envelope and published on a
            confirming RabbitMQ.Client channel, confirms awaited per batch of 200, returns matched to their rows
            (relay / raw 0.14 → 0.30–0.36); two relay workers, each with its own channel (no change beyond the
            limit's drift); consumers at 32 prefetched, 8 at a time.
            """,
        ["P3"] = """
            **What limits it.** The two cores, shared by Tracking, PostgreSQL and the load client. Per GET Tracking
            spends ~0.22 ms of CPU and PostgreSQL ~0.41 ms — about what the four SELECTs cost PostgreSQL under pgbench
            — so the ratio can reach ~0.55 at most, and run to run it lands at 0.48–0.55 (met in one run, p99 19.8
            ms). Profile `profiles/P3-Tracking.perf.txt`: 35% kernel (sockets), then Npgsql's
            `SqlQueryParser.ParseRawQuery` (2.0%, the named parameters rewritten on every execution) and
            `Marvin.ComputeHash32` (1.8%, the SQL text hashed for Dapper's and Npgsql's statement caches).

            **What the profile showed first.** The "~1 ms per authenticated request" was the tiered JIT, not the
            endpoint: perf over the measured windows put 14–26% of each service's CPU on the ".NET Tiered
            Compilation Worker" thread, and `DOTNET_JitStdOutFile` listed 2,981 methods compiled while P1 was
            measured (the JWT handler's among them at Instrumented Tier0). A load now also waits until that thread is
            quiet; then 27–57 methods compile while measuring (`profiles/P3-Tracking.jit.txt`) and the GET costs
            Tracking 0.21–0.25 ms of CPU (0.51 ms before). Next: positional parameters for the four SELECTs and one
            batch instead of Dapper's multi-mapping.

            **Taken since (issue 33).** The four SELECTs are one `NpgsqlBatch` with positional parameters, read
            without Dapper (no `ParseRawQuery`, no SQL text hashed for Dapper's cache); the answer is the same bytes
            (`ShipmentAnswerTests`).
            """,
        ["P4"] = """
            **What limits it.** Reading 60 parcels of JSON into positional records and Kestrel's own work, against a
            bare app that only validates the token and writes fixed bytes. Profile `profiles/P4-Dispatch.perf.txt`:
            `System.Text.Json` `ObjectWithParameterizedConstructorConverter` and `Utf8JsonReader` are the hottest
            frames now; before, `RateCalculator.Quote` (6.2%) and `Decimal+DecCalc.VarDecDiv` (5.7%) were
            (`profiles/P4-Dispatch-before.perf.txt`).

            **What was tried.** The rate card cached per cooperative and the quote read-only (PostgreSQL CPU per
            quote 0.51 → 0 ms, earlier stop); the tariff in integer grams and fen and no field-name strings for valid
            parcels (Dispatch CPU per quote 0.139 → 0.111 ms, ratio 0.38 → 0.44). Next: a source-generated JSON
            context for the request and response types.
            """,
        ["P5"] = """
            **What limits it.** Grouping a season's million growers' shares. PostgreSQL's plan
            (`profiles/P5-settlement-queries.txt`, EXPLAIN ANALYZE of settlement's reads) spent 2.8 s of a 7.0 s
            settlement on the shares query, sorting on disk ("external merge") at the default 4 MB work_mem; the
            Cooperative's profile (`profiles/P5-Cooperative.perf.txt`) is materialising the million rows:
            `clear_page_erms` (fresh heap pages) 15%, libcoreclr (GC) 36%, `Lookup.Create` and
            `NpgsqlDataReader.GetValue`.

            **What was tried.** work_mem 128 MB for settlement's transaction, so the shares would be grouped in
            memory: PostgreSQL then chose a single-process HashAggregate instead of the parallel sort (4.2 s instead
            of 2.8 s, settlement 9.1 s), so it was taken out. Next: group the shares per grower and grade in SQL and
            read per-order shares only for the freight split, so a million rows never cross the wire.
            """,
        ["P6"] = """
            **What limits it.** The runtime at start-up. Profile `profiles/P6-Tracking-start.perf.txt` (one first
            start, exec to ready): 46% of the samples in libcoreclr (type loading, binding) and 27% in libclrjit, only
            2% in JIT-compiled code — ready means the database created or migrated and the broker's quorum queues
            declared, all of it first-time code on two cores. Idle memory is 94–138 MB.

            **What was tried.** Nothing in code yet. ReadyToRun images would take most of the JIT's part: the
            compiler package (Microsoft.NETCore.App.Crossgen2) is now served here, but the services run from
            `dotnet build` output, which ReadyToRun does not compile; that needs the dev script and the tests to run
            published services.
            """,
        ["P7"] = """
            **What limits it.** The hop itself, on the same two cores as Dispatch and the load client. Profile
            `profiles/P7-Gateway.perf.txt`: flat — no user frame above 1.1%, 40% of the Gateway's samples in the
            kernel (two TCP connections per proxied request: `finish_task_switch`, `tcp_ack`, `tcp_recvmsg`). The
            Gateway spends ~0.13 ms of CPU per proxied quote, as much as Dispatch spends answering it, so the hop
            halves what the machine has for Dispatch: through / direct ≈ D / (D + G) ≈ 0.5. Making Dispatch cheaper
            lowers this ratio further. Next: HTTP/2 (one multiplexed connection) between the Gateway and the
            services.
            """,
        ["P9"] = """
            **What limits it.** Downloading and starting the .NET WebAssembly runtime. The published workstation is
            2.2 MB on the wire (Brotli), of which the runtime `dotnet.native.wasm` is 0.98 MB and
            `System.Private.CoreLib` 0.5 MB; at 10 Mbit/s that alone is ~1.8 s before the runtime compiles and starts
            on the shared two cores (first run here: sign-in form usable at 3.5 s, the receiving screen at 3.9 s;
            from the service worker's cache 0.84 s median). The build output that `deploy/dev.sh up` and the tests
            serve is not what this bar measures: untrimmed and its .gz files stored uncompressed, it is 22 MB.

            **What was tried.** Nothing yet. Next: the `wasm-tools` workload in the image's build (relinks
            `dotnet.native.wasm` without the parts the app does not use), and lazy-loading System.Text.Json's
            reflection paths with a source-generated context.
            """,
    };

    public static void Annotate(Report report)
    {
        foreach (var bar in report.Bars)
            if (bar.Verdict != "met" && Notes.TryGetValue(bar.Id, out var notes)) bar.Notes = notes;
    }
}
