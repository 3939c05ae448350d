using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using MelonChain.ServiceDefaults.Security;
using Npgsql;

namespace MelonChain.Benchmarks;

/// <summary>
/// P5: a season settled at three sizes, each its own cooperative in a Cooperative process of its own (so its peak
/// memory is the settlement's): receipts graded into one lot each, five lots to a 10 kg box, twenty boxes to a
/// delivered order, a grower per 200 receipts (5,000 at 1M), one in five a contract grower with a guarantee.
/// </summary>
public static class Settlement
{
    public static async Task RunAsync(BenchContext context, Bar bar, Bar recall, Bar exports)
    {
        await using var database = TestDatabase.Create("bench_settle");
        await using var cooperative = new ServiceProcess("Cooperative", new Dictionary<string, string>
        {
            ["ConnectionStrings:Db"] = database.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = context.VirtualHost.ConnectionString,
        });
        await cooperative.StartAsync();
        var times = new List<(int Receipts, double Seconds, double PeakMb)>();
        foreach (var receipts in context.Options.SettlementSizes)
        {
            var coop = $"p5-{receipts}";
            var seeding = Stopwatch.StartNew();
            var (growers, boxes, orders) = await SeedAsync(database.ConnectionString, coop, receipts);
            BenchContext.Log($"  P5 {receipts} receipts seeded in {seeding.Elapsed.TotalSeconds:F1} s");

            using var http = new HttpClient { BaseAddress = cooperative.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
            http.DefaultRequestHeaders.Authorization = BenchContext.Bearer(BenchContext.Token(Roles.Clerk, "clerk-1", coop));
            await using var perf = context.Options.PerfDir is { } perfDir && receipts == context.Options.SettlementSizes[^1]
                ? new PerfRecording(cooperative.ProcessId!.Value, Path.Combine(perfDir, "P5-Cooperative")) : null;
            perf?.Start();
            var clock = Stopwatch.StartNew();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cooperative/settlements")
            {
                Content = new StringContent("""{"from":"2026-06-01","to":"2026-06-10"}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", $"p5-{receipts}-{Guid.NewGuid()}");
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var seconds = clock.Elapsed.TotalSeconds;
            if (perf is not null) await perf.ReportAsync();
            var (rss, peak) = Machine.Memory(cooperative.ProcessId!.Value);
            times.Add((receipts, seconds, peak));
            BenchContext.Log($"  P5 {receipts} receipts settled in {seconds:F2} s, peak RSS {peak:F0} MB");
            bar.Measurements.Add(new Measurement($"settle {receipts:N0} receipts", receipts / seconds, seconds * 1000, seconds * 1000, receipts,
                response.StatusCode == HttpStatusCode.Created ? 0 : 1,
                $"{growers:N0} growers, {boxes:N0} boxes, {orders:N0} orders; {seconds:F2} s; process peak RSS {peak:F0} MB (now {rss:F0} MB)"));
            if (response.StatusCode != HttpStatusCode.Created)
            {
                bar.Verify(false, $"{receipts}: {(int)response.StatusCode} {body[..Math.Min(300, body.Length)]}");
                continue;
            }
            await VerifyAsync(bar, database.ConnectionString, coop, receipts, orders, JsonDocument.Parse(body).RootElement);
            if (context.Options.PerfDir is { } dir && receipts == context.Options.SettlementSizes[^1])
                await ExplainAsync(database.ConnectionString, coop, Path.Combine(dir, "P5-settlement-queries.txt"));
        }
        if (context.Options.Runs(recall.Id))
        {
            try { await RecallAsync(cooperative, database.ConnectionString, context.Options.SettlementSizes[^1], recall); }
            catch (Exception ex) { recall.Error = ex.GetType().Name + ": " + ex.Message; }
        }
        if (context.Options.Runs(exports.Id))
        {
            try { await Exports.RunAsync(cooperative, context.Options.SettlementSizes, exports); }
            catch (Exception ex) { exports.Error = ex.GetType().Name + ": " + ex.Message; }
        }
        var largest = times[^1];
        bar.Checks.Add(new Check($"time at {largest.Receipts:N0} receipts", largest.Seconds, " s", "<", 3));
        bar.Checks.Add(new Check("peak resident memory", largest.PeakMb, " MB", "<", 512));
        if (times.Count >= 2)
        {
            var (a, b) = (times[^2], times[^1]);
            // Linear: 10× the receipts may cost at most 15× the time (fixed costs make small runs relatively slower).
            bar.Checks.Add(new Check($"time growth {a.Receipts:N0} → {b.Receipts:N0} (×{b.Receipts / a.Receipts} receipts)",
                b.Seconds / a.Seconds, "×", "<=", 1.5 * b.Receipts / a.Receipts));
        }
        await cooperative.StopAsync();
    }

    /// <summary>
    /// PostgreSQL's own profile of settlement's reads over the whole season (EXPLAIN ANALYZE of the same statements
    /// SettlePeriod runs, for every order of the cooperative): where the database spends the settlement's time.
    /// </summary>
    private static async Task ExplainAsync(string connectionString, string coop, string file)
    {
        await using var db = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 600 }.ConnectionString);
        await db.OpenAsync();
        var ids = (await db.QueryAsync<Guid>("select id from orders where cooperative_id = @Coop", new { Coop = coop })).ToArray();
        // The statements SettlePeriod and SummedShares run (the pooled-box condition left out: every box here is delivered),
        // in the settings its transaction sets.
        var queries = new (string Name, string Sql)[]
        {
            ("orders", "select o.id, o.freight_fen, coalesce(o.delivered_at, o.ended_at) as delivered_at, o.delivered_at is not null as whole from orders o where o.id = any(@Ids)"),
            ("order lines", "select order_id, grade, grams, price_fen_per_kg from order_lines where order_id = any(@Ids)"),
            ("boxes per order and grade", "select order_id, grade, count(*)::int from boxes where order_id = any(@Ids) group by 1, 2"),
            ("growers' shares summed: each order's packed grams per grade, each grower's grams per grade",
                """
                select t.order_id, t.grade, t.grower_id, g.member_no, t.grams, t.under_contract
                from (select b.order_id, b.grade, l.grower_id, sum(s.grams)::bigint as grams, bool_or(l.contract_id is not null) as under_contract
                      from boxes b join box_sources s on s.trace_code = b.trace_code join lots l on l.id = s.lot_id
                      where b.order_id = any(@Ids)
                      group by grouping sets ((b.order_id, b.grade), (b.grade, l.grower_id))) t
                left join growers g on g.id = t.grower_id
                """),
        };
        await using var tx = await db.BeginTransactionAsync();
        await db.ExecuteAsync("set local work_mem = '32MB'; set local jit = off", transaction: tx);
        var text = new StringBuilder($"# EXPLAIN (ANALYZE, BUFFERS) of settlement's reads, {ids.Length:N0} orders of {coop}\n");
        foreach (var (name, sql) in queries)
        {
            // The plan without the 10,000 order ids it filters on.
            var plan = (await db.QueryAsync<string>("explain (analyze, buffers) " + sql, new { Ids = ids }, tx))
                .Select(line => System.Text.RegularExpressions.Regex.Replace(line, @"'\{[0-9a-f,-]+\}'", "'{…order ids…}'"));
            text.Append($"\n## {name}\n").AppendJoin('\n', plan).Append('\n');
        }
        await File.WriteAllTextAsync(file, text.ToString());
    }

    /// <summary>
    /// P8: trace-forward of one grower over the largest season just settled (a grower's 200 receipts spread over
    /// 200 boxes at 1M), through the API: a few calls to warm up, then 30 timed one after another.
    /// </summary>
    private static async Task RecallAsync(ServiceProcess cooperative, string connectionString, int receipts, Bar bar)
    {
        BenchContext.Log($"P8: {bar.What}");
        var coop = $"p5-{receipts}";
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        var grower = await db.ExecuteScalarAsync<Guid>("select id from growers where cooperative_id = @Coop order by member_no limit 1", new { Coop = coop });
        var expected = await db.ExecuteScalarAsync<long>(
            "select count(distinct s.trace_code) from lots l join box_sources s on s.lot_id = l.id where l.grower_id = @Grower", new { Grower = grower });

        using var http = new HttpClient { BaseAddress = cooperative.BaseAddress };
        http.DefaultRequestHeaders.Authorization = BenchContext.Bearer(BenchContext.Token(Roles.Clerk, "clerk-1", coop));
        var times = new List<double>();
        var boxes = -1;
        var timed = new Stopwatch();
        for (var i = 0; i < 35; i++)
        {
            if (i == 5) timed.Start();
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync($"/api/v1/cooperative/recall?growerId={grower}");
            var body = await response.Content.ReadAsStringAsync();
            var ms = clock.Elapsed.TotalMilliseconds;
            response.EnsureSuccessStatusCode();
            if (i < 5) continue;
            times.Add(ms);
            boxes = JsonDocument.Parse(body).RootElement.GetProperty("boxes").GetArrayLength();
        }
        var measured = Measurement.From($"recall one grower, {receipts:N0} receipts", times, timed.Elapsed.TotalSeconds, 0,
            $"{boxes} boxes of {expected} expected; slowest {times.Max():F1} ms");
        bar.Measurements.Add(measured);
        bar.Verify(boxes == expected, $"recall lists {boxes} boxes; the grower's lots are in {expected}");
        bar.Checks.Add(new Check($"p99 at {receipts:N0} receipts", measured.P99Ms, " ms", "<", 50));
    }

    /// <summary>A season of <paramref name="receipts"/> for cooperative <paramref name="coop"/> (P11 seeds fourteen with it).</summary>
    internal static async Task<(int Growers, int Boxes, int Orders)> SeedAsync(string connectionString, string coop, int receipts)
    {
        var growers = Math.Max(5, receipts / 200);
        var boxes = receipts / 5;
        var orders = (boxes + 19) / 20;
        await using var db = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, CommandTimeout = 900 }.ConnectionString);
        await db.OpenAsync();
        // Bulk load: foreign keys are checked by construction here, not row by row.
        await db.ExecuteAsync("set session_replication_role = replica");
        await Scenarios.SeedProfileAsync(db, coop, Onboarding.PrefixOf(coop));
        await db.ExecuteAsync(
            """
            insert into growers (id, cooperative_id, member_no, name, phone, village, kind, contract_id, registered_at)
            select md5(@Coop || 'g' || n)::uuid, @Coop, 'M' || lpad(n::text, 5, '0'), 'Grower ' || n, '138' || lpad(n::text, 8, '0'), 'Village',
                   case when n % 5 = 0 then 'contract' else 'member' end, case when n % 5 = 0 then md5(@Coop || 'c' || n)::uuid end, now()
            from generate_series(1, @G) n;
            insert into contract_terms (contract_id, cooperative_id, growing_grower_id, min_price, version, changed_at)
            select md5(@Coop || 'c' || n)::uuid, @Coop, md5(@Coop || 'g' || n)::uuid, '{"premium": 1000, "grade1": 800, "grade2": 600}'::jsonb, 1, now()
            from generate_series(5, @G, 5) n;
            insert into receipts (id, cooperative_id, receipt_no, grower_id, contract_id, harvested_on, gross_grams, crates, note, received_at, recorded_by)
            select md5(@Coop || 'r' || r)::uuid, @Coop, 'R' || r, md5(@Coop || 'g' || (r % @G + 1))::uuid, null, date '2026-06-05', 2200, 1, null,
                   timestamptz '2026-06-05 02:00Z', 'bench'
            from generate_series(0, @R - 1) r;
            insert into gradings (id, receipt_id, grading_no, cooperative_id, graded_grams, shrink_grams, graded_at, graded_by)
            select md5(@Coop || 'r' || r)::uuid, md5(@Coop || 'r' || r)::uuid, 1, @Coop, 2000, 200, timestamptz '2026-06-05 03:00Z', 'bench'
            from generate_series(0, @R - 1) r;
            insert into lots (id, cooperative_id, receipt_id, grading_id, grower_id, contract_id, harvested_on, graded_at, grade, grams, fruit_count, allocated_grams)
            select md5(@Coop || 'l' || r)::uuid, @Coop, md5(@Coop || 'r' || r)::uuid, md5(@Coop || 'r' || r)::uuid, md5(@Coop || 'g' || (r % @G + 1))::uuid, null, date '2026-06-05',
                   timestamptz '2026-06-05 03:00Z', (array['premium','grade1','grade2'])[(r / 5) % 3 + 1], 2000, null, 2000
            from generate_series(0, @R - 1) r;
            insert into buyers (id, cooperative_id, name, city, address, contact_name, phone, created_at)
            values (md5(@Coop || 'buyer')::uuid, @Coop, 'Beijing Fresh', 'Beijing', 'Xinfadi market', 'Wang', '13800000000', now());
            insert into orders (id, cooperative_id, buyer_id, dest_city, dest_address, dest_contact, dest_phone, box_net_grams, box_length_cm, box_width_cm,
                                box_height_cm, product, placed_at, packed_at, shipment_id, freight_fen, booked_at, delivered_at, on_time)
            select md5(@Coop || 'o' || o)::uuid, @Coop, md5(@Coop || 'buyer')::uuid, 'Beijing', 'Xinfadi market', 'Wang', '13800000000', 10000, 40, 30, 25,
                   'express', timestamptz '2026-06-08 02:00Z', timestamptz '2026-06-08 06:00Z', md5(@Coop || 's' || o)::uuid, 30000,
                   timestamptz '2026-06-08 07:00Z', timestamptz '2026-06-10 04:00Z', true
            from generate_series(0, @O - 1) o;
            insert into boxes (trace_code, order_id, seq, grade, net_grams)
            select @Coop || '-B' || b, md5(@Coop || 'o' || (b / 20))::uuid, b % 20 + 1, (array['premium','grade1','grade2'])[b % 3 + 1], 10000
            from generate_series(0, @B - 1) b;
            insert into box_sources (trace_code, lot_id, grams, grower_id, under_contract)
            select @Coop || '-B' || (r / 5), md5(@Coop || 'l' || r)::uuid, 2000, md5(@Coop || 'g' || (r % @G + 1))::uuid, false
            from generate_series(0, @B * 5 - 1) r;
            insert into order_lines (order_id, grade, grams, price_fen_per_kg)
            select b.order_id, b.grade, sum(b.net_grams), case b.grade when 'premium' then 1200 when 'grade1' then 900 else 600 end
            from boxes b join orders o on o.id = b.order_id where o.cooperative_id = @Coop group by b.order_id, b.grade;
            """, new { Coop = coop, G = growers, R = receipts, B = boxes, O = orders });
        await db.ExecuteAsync("set session_replication_role = origin");
        await db.ExecuteAsync("analyze growers, contract_terms, receipts, lots, orders, boxes, box_sources, order_lines");
        return (growers, boxes, orders);
    }

    /// <summary>The settlement balances to the fen: every order in it once, the statements' kilograms and payouts its totals, a credit per grower.</summary>
    internal static async Task VerifyAsync(Bar bar, string connectionString, string coop, int receipts, int orders, JsonElement view, string? label = null)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        var id = view.GetProperty("id").GetGuid();
        var settled = await db.ExecuteScalarAsync<long>("select count(*) from orders where cooperative_id = @Coop and settlement_id = @Id", new { Coop = coop, Id = id });
        var totals = await db.QuerySingleAsync<(long Revenue, long Freight, long Packaging, long Commission, long Payout, long TopUp)>(
            "select revenue_fen, freight_fen, packaging_fen, commission_fen, payout_fen, top_up_fen from settlements where id = @Id", new { Id = id });
        var lines = await db.QuerySingleAsync<(long Grams, long Payout, long TopUp, long Growers)>(
            "select sum(grams)::bigint, sum(payout_fen)::bigint, sum(top_up_fen)::bigint, count(distinct grower_id) from statement_lines where settlement_id = @Id", new { Id = id });
        var entries = await db.ExecuteScalarAsync<long>("select count(*) from account_entries where settlement_id = @Id and kind = 'settlement'", new { Id = id });
        var ok = settled == orders && lines.Grams == (long)receipts / 5 * 5 * 2000 && lines.Payout == totals.Payout && lines.TopUp == totals.TopUp
            && totals.Revenue == totals.Payout + totals.Freight + totals.Packaging + totals.Commission && entries == lines.Growers;
        bar.Verify(ok, $"{label ?? receipts.ToString("N0")}: {settled}/{orders} orders settled once, {lines.Grams / 1000:N0} kg on statements, payouts {lines.Payout} = total {totals.Payout}, " +
            $"revenue balances to the fen, {entries} account credits for {lines.Growers} growers");
    }
}
