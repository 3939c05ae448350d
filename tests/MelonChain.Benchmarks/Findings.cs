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
            **What limits it.** PostgreSQL's commit, not the endpoint. A receipt is three round trips on one connection
            (issue 33; nine on two before): the Idempotency-Key's lock with BEGIN; profile, grower, contract and the
            day's number in one batch; the receipt, its outbox row, the stored response and COMMIT in one batch
            (`ReceiptRoundTripTests`), and pgbench runs the same three pipelines. The ratio went 0.41 → 0.62–0.79 (two
            runs of this round). The p99 is pgbench's own: the same transaction at 64 connections has a p99 of
            742–1,116 ms in the same runs (the disk's flushes; `pg_test_fsync` in the machine section), so no endpoint
            can bring it under 50 ms on this machine. Profile `profiles/P1-Cooperative.perf.txt` (measured window):
            28% of the Cooperative's samples in the kernel, `finish_task_switch` 15% (waiting for PostgreSQL),
            `Db.BatchAsync` 30% including callees; no frame of ours above 1.5% (System.Text.Json writing the answer).
            """,
        ["P2"] = """
            **What limits it.** Waiting, on the same two cores. Profile `profiles/P2-Cooperative.perf.txt` (the
            Cooperative while the relay drains 20,000 events): 42% of its samples in the kernel and
            `finish_task_switch` 18.6% — the relay waits for its claim, the broker's confirms and its commit while
            ContractGrowing and Tracking write a row per event on the other core; the raw loop's consumer only acks,
            and the raw limit itself moves 28–110% within a run, so the ratio is soft in every run so far. Commit →
            effect at 1,000 events/s is bounded by P1: the endpoint accepts a few hundred receipts/s here, so the
            requests queue before they commit.

            **What was tried.** The stored JSON wrapped in MassTransit's envelope on a confirming channel, confirms
            per batch of 200 (relay / raw 0.14 → 0.30–0.36); two relay workers. Issue 33's step for P2 — the
            consumer's inbox row sent with its handler's first statement (one round trip fewer per event) — was built
            and not taken: one ContractGrowing fulfilment test failed once with it and the cause was not found, so it
            has no figure.
            """,
        ["P3"] = """
            **What limits it.** The two cores, shared by Tracking, PostgreSQL and the load client: per GET Tracking
            spends 0.3 ms of CPU and PostgreSQL 0.55 ms (what the four SELECTs cost it under pgbench too), so the
            ratio tops out near 0.5. Profile `profiles/P3-Tracking.perf.txt`: 39% of Tracking's samples in the kernel
            (sockets; `finish_task_switch` 21.6%), then System.Text.Json writing the answer (1.1%). Npgsql's
            `SqlQueryParser.ParseRawQuery` and `Marvin.ComputeHash32` (2.0% and 1.8% in the earlier round) are gone:
            the four SELECTs are one `NpgsqlBatch` with positional parameters, read without Dapper (issue 33; the same
            bytes, `ShipmentAnswerTests`).
            """,
        ["P4"] = """
            **What limits it.** Reading 60 parcels of JSON into positional records, against a bare app that only
            validates the token and writes fixed bytes. Profile `profiles/P4-Dispatch.perf.txt` (before the last
            step below): `System.Text.Json`'s `ObjectWithParameterizedConstructorConverter` and `Utf8JsonReader` —
            source-generated metadata (issue 33, `QuoteJson`) gives writing a fast path but reading positional records
            still goes through that converter — then `BoundInput.NullElements` (3.0%), `RuntimeAssembly.GetName`
            (1.3%) and the memset of fresh garbage (4%): the filter that names a `null` inside a list asked each
            parcel's assembly its name and boxed each number.

            **Taken.** The bound-input walk decides once per type and skips value-typed properties (after that
            profile): Dispatch's CPU per quote 0.242 → 0.167 ms, the ratio 0.37 → 0.47 in the round's two runs. The
            source-generated JSON alone had not moved it (0.40 before, 0.37 after, within the runs' spread). Tried before: the rate card cached and the quote read-only; the tariff in integer grams and fen
            (0.38 → 0.44).
            """,
        ["P5"] = """
            **What limits it.** PostgreSQL grouping a season's million box sources. Issue 33 summed the shares in SQL
            (one grouping-sets query instead of a million rows sorted on disk and sent over: 5.36 → 3.36–3.65 s).
            Its profile (`profiles/P5-settlement-queries.txt`, EXPLAIN ANALYZE) then put most of the query in hashing
            the season's 1.1M lots (two batches, spilled) and probing it, and the Cooperative's
            (`profiles/P5-Cooperative.perf.txt`) put 8.6% in `ListWhereIterator.ToList` under `Settlements.Load` (each
            of 5,000 growers' statement lines searched among 15,000) and 30% in the JIT (a settlement's code runs
            once per call, so tiering compiles it during the call). Taken: each box source carries its lot's grower
            (migration 0024; the query joins no lots: 3.1 → 1.9 s for it at 1M under the same load) and the
            statement lines looked up per grower: 3.65 → 2.99 s in the round's last run (met, at the edge).
            """,
        ["P6"] = """
            **What limits it.** Not the JIT, on a quiet machine. The Cooperative's first start creates its database,
            runs 24 migrations and declares the broker's quorum queues and exchanges before it is ready; the earlier
            profile of a start (`profiles/P6-Tracking-start.perf.txt`, on the busy machine) had 27% of its samples in
            the JIT and 46% in the runtime's type loading. ReadyToRun images of the services' and their packages'
            assemblies (issue 33) take the JIT's part, and did not pay: side by side with `--only P6` on the idle
            machine the slowest first start was 2.66 s and 3.33 s with them and 2.99 s without, and every service's
            idle memory was about 10 MB higher with them; they also cost each clean build about two minutes. Taken
            out again (the round's last run, without them: slowest first start 3.28 s, idle 124–155 MB). Next: a trace
            of the first start's waits (database creation, migrations, topology).
            """,
        ["P7"] = """
            **What limits it.** The hop itself, on the same two cores as Dispatch and the load client. Profile
            `profiles/P7-Gateway.perf.txt`: flat — no frame of ours, 34% of the Gateway's samples in the kernel (two TCP
            connections per proxied request). The Gateway spends ~0.15 ms of CPU per proxied quote against Dispatch's
            ~0.24 ms, so through / direct ≈ D / (D + G) ≈ 0.6 at best here; a cheaper Dispatch lowers the ratio (in
            the last run Dispatch spent 0.167 ms and the Gateway 0.176 ms: 0.47). Issue 33 bounded, renewed and
            tuned the Gateway's connections to the services (`GatewayHopTests`); the ratio moved within its spread
            (0.51–0.54 → 0.47–0.56), so that step is kept for what it holds (a bounded pool that follows replicas),
            not for speed. Not tried: HTTP/2 to the services.
            """,
        ["P8"] = """
            **What limits it.** The slowest of 30 calls. The bar's p99 over 30 calls is their slowest one, and on this
            machine it spread from 28 to 87 ms over five runs of issue 33's round while the median stayed at 15–26 ms
            (200 boxes of one grower's 200 lots in each answer): with ReadyToRun and before box sources carried their
            grower 28.2 ms (p50 15.3); with both 54.3 ms (p50 16.9); without ReadyToRun 56.7 and 86.9 ms (p50 26.4 and
            19.7). No build was consistently under or over 50 ms; a call that meets another process's burst on two
            cores is what the figure catches. Not profiled: the window is 30 calls of ~20 ms.
            """,
        ["P9"] = """
            **What limits it.** Downloading and starting the .NET WebAssembly runtime. The published workstation is
            2.2 MB on the wire (Brotli), of which the runtime `dotnet.native.wasm` is 0.98 MB and
            `System.Private.CoreLib` 0.5 MB: at 10 Mbit/s that alone is ~1.8 s, and the sign-in form is usable only
            once the runtime has compiled and started (4.06–4.07 s in the round's runs; signing in and loading the
            register take the rest). From the service worker's cache the visit is the runtime's start and the API's
            answers (27 KiB). Not tried: relinking `dotnet.native.wasm` (the `wasm-tools` workload, not installed on
            these machines) and lazy-loading the screens' assemblies.
            """,
        ["P11"] = """
            **What limits it.** Two cores. No backend was seen waiting on another's lock while the 14 settled (sampled
            every 20 ms), so none waits for another; but each settlement is CPU-bound, its own CPU and PostgreSQL's.
            P5's steps made each cheaper (one alone 0.90 → 0.49 s, fourteen at once 6.08 → 3.81 s), and 14 × 0.49 s of
            work on two cores cannot end before ~3.4 s: 7.86× measured, 6.75× before (a faster one alone raises the
            ratio). The bar's 2× needs about seven cores to spare. Profile `profiles/P11-Cooperative.perf.txt`:
            32% of the Cooperative's samples in the JIT and 32% in the runtime (GC, tiering) — fourteen settlements
            at once tier the same code up while they run — and 19% in its own compiled code.
            """,
    };

    public static void Annotate(Report report)
    {
        foreach (var bar in report.Bars)
            if (bar.Verdict != "met" && Notes.TryGetValue(bar.Id, out var notes)) bar.Notes = notes;
    }
}
