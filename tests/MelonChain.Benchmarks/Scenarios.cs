using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using MelonChain.Messages;
using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Messaging;
using MelonChain.ServiceDefaults.Security;
using Npgsql;

namespace MelonChain.Benchmarks;

/// <summary>P1–P4 and the raw limits they are compared with.</summary>
public sealed class Scenarios(BenchContext context) : IAsyncDisposable
{
    private const int Growers = 100;
    private static readonly Guid Buyer = Guid.Parse("0b0b0b0b-0000-4000-8000-00000000b0b0");
    private readonly BenchOptions _o = context.Options;
    private readonly string _runId = Guid.NewGuid().ToString("N")[..6];
    private string _shipmentJson = "", _quoteJson = "", _quoteRequest = "";
    private string[] _waybills = [];
    private int _messageBytes = 1000;
    private TestDatabase? _pgbenchDb;
    private Measurement? _p1, _relay, _p3, _p4;

    private Uri Cooperative => context.System["Cooperative"].BaseAddress;
    private static Guid GrowerId(string coop, int n) => Md5Uuid($"bench-grower-{coop}-{n}");
    private static Guid ContractId(int n) => Md5Uuid($"bench-contract-{n}");

    /// <summary>PostgreSQL's <c>md5(text)::uuid</c>, so pgbench's script names the same growers.</summary>
    private static Guid Md5Uuid(string text) => Guid.Parse(Convert.ToHexString(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(text))));
    private static DateOnly Today => ChinaTime.Today(TimeProvider.System);

    // ---------------------------------------------------------------- preparation

    public async Task PrepareAsync()
    {
        // Contract growers, so each receipt's event has an effect downstream (a ContractGrowing delivery row).
        await using (var coop = await context.OpenAsync("Cooperative"))
        {
            await SeedProfileAsync(coop, BenchContext.Coop, "BN");
            await SeedGrowersAsync(coop, BenchContext.Coop);
        }
        // Measurement hook on the bench's own database: when each delivery row was written.
        await using (var growing = await context.OpenAsync("ContractGrowing"))
            await growing.ExecuteAsync("alter table deliveries add column if not exists effect_at timestamptz not null default clock_timestamp()");
        await SeedShipmentsAsync();

        // pgbench's database: the same schema (the same migration files), growers of its own.
        _pgbenchDb = TestDatabase.Create("bench_pgbench");
        await using (var admin = new NpgsqlConnection(TestServers.Postgres + ";Database=postgres"))
        {
            await admin.OpenAsync();
            await admin.ExecuteAsync($"create database {_pgbenchDb.Name}");
        }
        await using (var pg = _pgbenchDb.Open())
        {
            await pg.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "shared/MelonChain.ServiceDefaults/Migrations/0001_platform.sql")));
            await pg.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "services/Cooperative/Migrations/0001_members_receipts.sql")));
            await pg.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "services/Cooperative/Migrations/0006_cooperative_profiles.sql")));
            await SeedProfileAsync(pg, "pgbench", "PB");
            await SeedGrowersAsync(pg, "pgbench");
        }

        // The same JSON for the bare Kestrel limits: what the endpoints answer.
        using (var tracking = new HttpClient { BaseAddress = context.System["Tracking"].BaseAddress })
        {
            tracking.DefaultRequestHeaders.Authorization = BenchContext.Bearer(BenchContext.Token(Roles.Buyer, "buyer-1", buyerId: Buyer));
            _shipmentJson = await Ok(await tracking.GetAsync($"/api/v1/tracking/shipments/{_waybills[0]}"));
        }
        _quoteRequest = JsonSerializer.Serialize(new
        {
            destinationCity = "Beijing", product = (string?)null, oldestHarvestedOn = Today.AddDays(-1),
            parcels = Enumerable.Range(0, 60).Select(i => new { weightKg = 8 + i % 5 * 0.5m, lengthCm = 40, widthCm = 30, heightCm = 25 + i % 3 }),
        });
        using (var dispatch = new HttpClient { BaseAddress = context.System["Dispatch"].BaseAddress })
        {
            dispatch.DefaultRequestHeaders.Authorization = BenchContext.Bearer(BenchContext.Token(Roles.Dispatcher, "dispatcher-1"));
            _quoteJson = await Ok(await dispatch.PostAsync("/api/v1/dispatch/quotes", new StringContent(_quoteRequest, Encoding.UTF8, "application/json")));
        }
        _messageBytes = await CaptureMessageSizeAsync();
        BenchContext.Log($"prepared: shipment JSON {_shipmentJson.Length} B, quote JSON {_quoteJson.Length} B, event message {_messageBytes} B");
    }

    /// <summary>The cooperative's profile (its receipt prefix and rules), as its admin would have saved it.</summary>
    internal static async Task SeedProfileAsync(NpgsqlConnection connection, string coop, string prefix) =>
        await connection.ExecuteAsync(
            """
            insert into cooperative_profiles (cooperative_id, name, short_name, village, province, city, county, street, contact_name, phone,
                receipt_prefix, commission_bps, box_fee_fen, max_shrink_bps, max_lot_age_days, certificate_producer, certificate_origin,
                certificate_contact, certificate_basis, version, updated_at, updated_by)
            values (@Coop, 'Bench cooperative', 'Bench', 'Village', 'Guangdong', 'Jiangmen', 'Pengjiang', 'Street 1', 'Contact', '0750-3000000',
                @Prefix, 500, 300, 300, 4, 'Bench cooperative', 'Jiangmen', '0750-3000000', '内部质量控制', 1, now(), 'bench')
            """, new { Coop = coop, Prefix = prefix });

    private static async Task SeedGrowersAsync(NpgsqlConnection connection, string coop) =>
        await connection.ExecuteAsync(
            """
            insert into growers (id, cooperative_id, member_no, name, phone, village, kind, contract_id, registered_at)
            select id, @Coop, 'M' || lpad(n::text, 4, '0'), 'Grower ' || n, '1380000' || lpad(n::text, 4, '0'), 'Village', 'contract', contract_id, now()
            from unnest(@Ids, @Contracts, @Numbers) as g(id, contract_id, n)
            """, new { Coop = coop, Ids = Enumerable.Range(1, Growers).Select(n => GrowerId(coop, n)).ToArray(),
                       Contracts = Enumerable.Range(1, Growers).Select(ContractId).ToArray(), Numbers = Enumerable.Range(1, Growers).ToArray() });

    /// <summary>A buyer's shipments in the Tracking read model: 6 boxes with their child waybills and an 8-step timeline each.</summary>
    private async Task SeedShipmentsAsync()
    {
        const int count = 1000;
        await using var tracking = await context.OpenAsync("Tracking");
        await tracking.ExecuteAsync(
            """
            insert into shipments (order_id, cooperative_id, buyer_id, product, destination_city, phone_last4, requested_at, shipment_id, carrier,
                                   master_waybill_no, list_fen, negotiated_fen, booked_at, promised_by)
            select md5('order' || n)::uuid, @Coop, @Buyer, 'express', 'Beijing', '1234', now() - interval '30 hours', md5('shipment' || n)::uuid, 'sf',
                   'SF' || lpad(n::text, 10, '0'), 13200, 9900, now() - interval '29 hours', now() + interval '19 hours'
            from generate_series(1, @Count) n;
            insert into boxes (trace_code, order_id, cooperative_id, grade, net_grams, packed_at, sources)
            select 'SX' || lpad(n::text, 6, '0') || k, md5('order' || n)::uuid, @Coop, 'premium', 10000, now() - interval '30 hours',
                   jsonb_build_array(jsonb_build_object('lotId', md5('lot' || n || k)::uuid, 'receiptId', md5('r' || n || k)::uuid, 'growerId', md5('g' || k)::uuid,
                                     'memberNo', 'M000' || k, 'village', 'Village', 'contractId', null, 'harvestedOn', (current_date - 1)::text, 'grams', 10000))
            from generate_series(1, @Count) n, generate_series(1, 6) k;
            insert into waybills (waybill_no, order_id, trace_code, cooperative_id)
            select 'SF' || lpad(n::text, 10, '0') || '-' || k, md5('order' || n)::uuid, 'SX' || lpad(n::text, 6, '0') || k, @Coop
            from generate_series(1, @Count) n, generate_series(1, 6) k;
            insert into timeline (event_id, order_id, waybill_no, status, status_at, location, carrier_code, remark, cooperative_id)
            select gen_random_uuid(), md5('order' || n)::uuid, 'SF' || lpad(n::text, 10, '0'),
                   (array['picked_up','in_transit','in_transit','in_transit','in_transit','in_transit','out_for_delivery','out_for_delivery'])[s],
                   now() - interval '28 hours' + s * interval '3 hours', '广州转运中心', '50', 'Parcel scanned at the transfer centre', @Coop
            from generate_series(1, @Count) n, generate_series(1, 8) s;
            """, new { Coop = BenchContext.Coop, Buyer, Count = count });
        _waybills = Enumerable.Range(1, count).Select(n => "SF" + n.ToString("D10")).ToArray();
    }

    /// <summary>The size of one HarvestReceived as the relay puts it on the wire (MassTransit's envelope included).</summary>
    private async Task<int> CaptureMessageSizeAsync()
    {
        var queue = await context.VirtualHost.CaptureAsync(typeof(HarvestReceived));
        using var clerk = ClerkClient(1);
        await Ok(await clerk.SendAsync(ReceiptRequest(0, 0, "size-probe")));
        using var management = new HttpClient { BaseAddress = new Uri(TestServers.RabbitManagement) };
        management.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        var path = $"/api/queues/{Uri.EscapeDataString(context.VirtualHost.Name)}/{queue}";
        try
        {
            for (var i = 0; i < 200; i++)
            {
                var got = await management.PostAsJsonAsync(path + "/get", new { count = 1, ackmode = "ack_requeue_false", encoding = "auto" });
                var messages = await got.Content.ReadFromJsonAsync<JsonElement>();
                if (messages.ValueKind == JsonValueKind.Array && messages.GetArrayLength() > 0)
                    return messages[0].GetProperty("payload_bytes").GetInt32();
                await Task.Delay(100);
            }
            throw new TimeoutException("no HarvestReceived reached the capture queue");
        }
        finally
        {
            await management.DeleteAsync(path);
        }
    }

    // ---------------------------------------------------------------- raw limits

    private readonly List<(Measurement Before, Measurement After)> _raw = [];
    private readonly List<Measurement> _rawRuns = [];

    public async Task<List<(string Name, string Unit, double Value)>> RawLimitsAsync()
    {
        var phase = _rawRuns.Count == 0 ? "before" : "after";
        var pgbench = await Pgbench.RunAsync($"pgbench, receipt transaction ({phase})", _pgbenchDb!.ConnectionString, PgbenchScript(),
            _o.Connections, _o.Duration, context.WorkDir);
        var shipment = await Pgbench.RunAsync($"pgbench, shipment GET's SELECTs ({phase})", context.Db("Tracking"), Pgbench.ShipmentScript(_waybills.Length),
            _o.ReadConnections, _o.Duration, context.WorkDir);
        var dispatcher = BenchContext.Bearer(BenchContext.Token(Roles.Dispatcher, "dispatcher-1"));
        var quote = await BareAsync($"bare Kestrel with JWT validation, quote JSON ({phase})", _quoteJson, _ => QuoteRequest(dispatcher));
        var rabbit = await RawRabbit.RunAsync($"RabbitMQ.Client confirmed publish ({phase})", new Uri(context.VirtualHost.ConnectionString),
            _o.RawMessages, _messageBytes, OutboxRelay.BatchSize);
        _rawRuns.AddRange([pgbench, shipment, quote, rabbit]);
        foreach (var m in new[] { pgbench, shipment, quote, rabbit })
            BenchContext.Log($"  {m.Name}: {m.PerSecond:F0}/s p50 {m.P50Ms:F1} ms p99 {m.P99Ms:F1} ms");
        return
        [
            (RawLimitNames.ReceiptTransaction, "tx/s", pgbench.PerSecond),
            (RawLimitNames.ShipmentSelects, "tx/s", shipment.PerSecond),
            (RawLimitNames.BareKestrelQuote, "req/s", quote.PerSecond),
            (RawLimitNames.ConfirmedPublish, "msg/s", rabbit.PerSecond),
        ];
    }

    private async Task<Measurement> BareAsync(string name, string json, Func<long, HttpRequestMessage> request)
    {
        var file = Path.Combine(context.WorkDir, Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(file, json);
        await using var bare = await BareKestrel.StartAsync(file, BenchContext.SigningKey());
        var cpu = new Profiler.CpuWindow(bare.ProcessId);
        var m = await LoadClient.RunAsync(name, bare.BaseAddress, _o.Connections, _o.Warmup, _o.Duration, (w, s) => request(w * 100_003 + s), window: cpu.Mark);
        return m with { Note = cpu.PerRequest("bare Kestrel", m.Count + m.Errors) + $"; warmed up {m.WarmupSeconds:F0} s" };
    }

    /// <summary>
    /// The receipt endpoint's statements, in its order and its round trips, in one transaction: the Idempotency-Key
    /// lock and lookup (one pipeline, with the BEGIN); the profile, the grower and the day's counter (one pipeline);
    /// the receipt, the outbox row, the stored response and the COMMIT (one pipeline).
    /// </summary>
    private string PgbenchScript()
    {
        var outbox = JsonSerializer.Serialize(new HarvestReceived(Guid.NewGuid(), DateTimeOffset.UtcNow, "pgbench", Guid.NewGuid(), "PB-20260612-0007",
            GrowerId("pgbench", 1), "M0001", ContractId(1), Today, 12_500, 2, DateTimeOffset.UtcNow), MessageJson.Options);
        var response = JsonSerializer.Serialize(new
        {
            id = Guid.NewGuid(), receiptNo = "PB-20260612-0007", growerId = GrowerId("pgbench", 1), memberNo = "M0001", contractId = ContractId(1),
            harvestedOn = Today, grossKg = 12.5m, crates = 2, note = (string?)null, receivedAt = DateTimeOffset.UtcNow,
        }, MessageJson.Options);
        // pgbench would read ":null" or ":2" inside a literal as a variable: a space after each JSON colon.
        (outbox, response) = (outbox.Replace("\":", "\": "), response.Replace("\":", "\": "));
        var key = ":client_id::text || '-' || :k::text";
        return $"""
            \set g random(1, {Growers})
            \set k random(1, 1000000000000)
            \startpipeline
            BEGIN;
            SELECT pg_try_advisory_xact_lock(467, hashtext('pgbench|clerk-1' || '|' || {key}));
            SELECT request_hash, status_code, body FROM idempotency_keys WHERE scope = 'pgbench|clerk-1' AND key = {key} AND created_at > now() - interval '8 days';
            \endpipeline
            \startpipeline
            SELECT receipt_prefix, commission_bps, box_fee_fen, max_shrink_bps, max_lot_age_days FROM cooperative_profiles WHERE cooperative_id = 'pgbench';
            SELECT member_no, kind, contract_id FROM growers WHERE id = md5('bench-grower-pgbench-' || :g::text)::uuid AND cooperative_id = 'pgbench';
            INSERT INTO receipt_counters (cooperative_id, day, last_no) VALUES ('pgbench', current_date, 1) ON CONFLICT (cooperative_id, day) DO UPDATE SET last_no = receipt_counters.last_no + 1 RETURNING last_no;
            \endpipeline
            \startpipeline
            INSERT INTO receipts (id, cooperative_id, receipt_no, grower_id, contract_id, harvested_on, gross_grams, crates, note, received_at, recorded_by) VALUES (gen_random_uuid(), 'pgbench', 'PB-' || (SELECT last_no FROM receipt_counters WHERE cooperative_id = 'pgbench' AND day = current_date)::text, md5('bench-grower-pgbench-' || :g::text)::uuid, NULL, current_date, 12500, 2, NULL, now(), 'clerk-1');
            INSERT INTO outbox (message_id, message_type, body, occurred_at) VALUES (gen_random_uuid(), 'harvest-received', '{outbox}'::jsonb, now());
            INSERT INTO idempotency_keys (scope, key, request_hash, status_code, body) VALUES ('pgbench|clerk-1', {key}, sha256(convert_to({key}, 'UTF8')), 201, '{response}') ON CONFLICT (scope, key) DO UPDATE SET request_hash = excluded.request_hash, status_code = excluded.status_code, body = excluded.body, created_at = now();
            END;
            \endpipeline

            """;
    }

    // ---------------------------------------------------------------- P1

    private HttpClient ClerkClient(int connections)
    {
        var http = LoadClient.NewClient(Cooperative, connections);
        http.DefaultRequestHeaders.Authorization = BenchContext.Bearer(BenchContext.Token(Roles.Clerk, "clerk-1"));
        return http;
    }

    private static readonly string ClerkToken = BenchContext.Token(Roles.Clerk, "clerk-1");

    private HttpRequestMessage ReceiptRequest(int worker, long seq, string run)
    {
        var grower = (int)((worker * 31 + seq) % Growers) + 1;
        var body = $$"""{"growerId":"{{GrowerId(BenchContext.Coop, grower)}}","harvestedOn":"{{Today:yyyy-MM-dd}}","grossKg":{{10 + seq % 40}}.5,"crates":{{1 + seq % 5}}}""";
        var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cooperative/receipts")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        message.Headers.Authorization = BenchContext.Bearer(ClerkToken);
        message.Headers.Add("Idempotency-Key", $"{run}-{worker}-{seq}");
        return message;
    }

    private static Guid ReceiptId(string body) => JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();

    public async Task ReceiptsAsync(Bar bar, List<(string Name, string Unit, double Value)> raw)
    {
        var run = "p1" + _runId;
        var created = new ConcurrentBag<Guid>();
        var other = new ConcurrentBag<HttpStatusCode>();
        _p1 = await Profiler.TraceAsync(context, "Cooperative", "P1", probe => LoadClient.RunAsync("POST /receipts, 64 connections", Cooperative, _o.Connections, _o.Warmup, _o.Duration,
            (w, s) => ReceiptRequest(w, s, run),
            r => { if (r.Status == HttpStatusCode.Created) created.Add(ReceiptId(r.Body)); else other.Add(r.Status); }, probe.Mark, probe.Settled));
        bar.Measurements.Add(_p1 with { Name = $"POST /receipts ({_o.Connections} connections)" });
        var ids = created.ToArray();
        if (!other.IsEmpty) bar.Verify(false, $"non-2xx answers: {string.Join(", ", other.GroupBy(s => s).Select(g => $"{(int)g.Key}×{g.Count()}"))}");

        await using var coop = await context.OpenAsync("Cooperative");
        var rows = await coop.ExecuteScalarAsync<long>("select count(*) from receipts where id = any(@Ids)", new { Ids = ids });
        var numbers = await coop.ExecuteScalarAsync<long>("select count(distinct receipt_no) from receipts where id = any(@Ids)", new { Ids = ids });
        var keys = await coop.ExecuteScalarAsync<long>("select count(*) from idempotency_keys where key like @Run || '-%'", new { Run = run });
        bar.Verify(ids.Length == ids.Distinct().Count() && rows == ids.Length && numbers == ids.Length,
            $"{ids.Length} receipts answered 201: {rows} rows, {numbers} distinct receipt numbers");
        bar.Verify(keys == ids.Length, $"{keys} stored Idempotency-Key responses for {ids.Length} created");

        // A retry with the same key and body replays the stored answer and writes nothing: ten requests the run really
        // sent (a short run need not have sent ten from any one worker), found by their stored keys.
        using var clerk = ClerkClient(1);
        var before = await coop.ExecuteScalarAsync<long>("select count(*) from receipts");
        var sent = (await coop.QueryAsync<string>("select key from idempotency_keys where key like @Run || '-%' order by key limit 10", new { Run = run }))
            .Select(k => k.Split('-')).Select(p => (Worker: int.Parse(p[^2]), Seq: long.Parse(p[^1]))).ToList();
        var replayed = 0;
        var refused = new List<string>();
        foreach (var (worker, seq) in sent)
        {
            using var again = await clerk.SendAsync(ReceiptRequest(worker, seq, run));
            if (again.StatusCode == HttpStatusCode.Created && again.Headers.Contains("Idempotent-Replayed")) replayed++;
            else refused.Add($"{worker}-{seq}: {(int)again.StatusCode} {(await again.Content.ReadAsStringAsync())[..Math.Min(200, (int)(again.Content.Headers.ContentLength ?? 200))]}");
        }
        var afterRetry = await coop.ExecuteScalarAsync<long>("select count(*) from receipts");
        bar.Verify(sent.Count == 10 && replayed == 10 && afterRetry == before,
            $"{sent.Count} retries with the same Idempotency-Key: {replayed} replayed, {afterRetry - before} new rows" + string.Concat(refused.Select(r => "; " + r)));

        await VerifyDeliveredAsync(bar, ids, "HarvestReceived");
    }

    /// <summary>Every receipt's event reached ContractGrowing exactly once (a delivery row each, one inbox row per event).</summary>
    private async Task VerifyDeliveredAsync(Bar bar, Guid[] receiptIds, string what)
    {
        await using var growing = await context.OpenAsync("ContractGrowing");
        long delivered = 0;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            delivered = await growing.ExecuteScalarAsync<long>("select count(*) from deliveries where receipt_id = any(@Ids)", new { Ids = receiptIds });
            if (delivered >= receiptIds.Length) break;
            await Task.Delay(200);
        }
        var inbox = await growing.ExecuteScalarAsync<long>("select count(*) from inbox where consumer = @Consumer",
            new { Consumer = EventCatalogue.SubscriberQueue("growing", typeof(HarvestReceived)) });
        var deliveries = await growing.ExecuteScalarAsync<long>("select count(*) from deliveries");
        bar.Verify(delivered == receiptIds.Length, $"{what}: {delivered} of {receiptIds.Length} events applied downstream (ContractGrowing delivery rows)");
        bar.Verify(inbox == deliveries, $"nothing doubled downstream: {inbox} inbox rows, {deliveries} delivery rows");
    }

    // ---------------------------------------------------------------- P2

    public async Task RelayAsync(Bar bar, List<(string Name, string Unit, double Value)> raw)
    {
        // Throughput: a backlog of events committed at once, drained by the relay.
        var n = _o.RelayBacklog;
        var ids = Enumerable.Range(0, n).Select(_ => Guid.NewGuid()).ToArray();
        var now = DateTimeOffset.UtcNow;
        var bodies = ids.Select((id, i) => JsonSerializer.Serialize(new HarvestReceived(Guid.NewGuid(), now, BenchContext.Coop, id, $"BL-{i:D7}",
            GrowerId(BenchContext.Coop, i % Growers + 1), "M0001", ContractId(i % Growers + 1), Today, 12_500, 2, now), MessageJson.Options)).ToArray();
        await using var coop = await context.OpenAsync("Cooperative");
        await using var perf = _o.PerfDir is { } dir ? new PerfRecording(context.System["Cooperative"].ProcessId!.Value, Path.Combine(dir, "P2-Cooperative")) : null;
        perf?.Start();
        await coop.ExecuteAsync(
            """
            insert into outbox (message_id, message_type, body, occurred_at)
            select gen_random_uuid(), 'harvest-received', b::jsonb, now() from unnest(@Bodies) b
            """, new { Bodies = bodies });
        var clock = Stopwatch.StartNew();
        TimeSpan? first = null;
        long atFirst = n, left = n;
        while (clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            left = await coop.ExecuteScalarAsync<long>("select count(*) from outbox");
            if (first is null && left < n) (first, atFirst) = (clock.Elapsed, left);
            if (left == 0) break;
            await Task.Delay(10);
        }
        var seconds = (clock.Elapsed - (first ?? TimeSpan.Zero)).TotalSeconds;
        if (perf is not null) await perf.ReportAsync();
        _relay = new Measurement("outbox relay, backlog drained", atFirst / seconds, double.NaN, double.NaN, n, left,
            $"{n} events committed at once; rate from the first batch out to the outbox empty ({seconds:F2} s)");
        bar.Measurements.Add(_relay);
        await VerifyDeliveredAsync(bar, ids, "backlog");

        // Latency: receipts posted at a fixed 1,000/s; commit (the 201 received) to the delivery row written downstream.
        var run = "p2" + _runId;
        var answered = new ConcurrentDictionary<Guid, DateTime>();
        var post = await LoadClient.RunAtRateAsync($"POST /receipts at {_o.EffectRate:F0}/s", Cooperative, _o.Connections, _o.EffectRate, _o.EffectEvents,
            s => ReceiptRequest(0, s, run),
            r => { if (r.Status == HttpStatusCode.Created) answered[ReceiptId(r.Body)] = DateTime.UtcNow; });
        bar.Measurements.Add(post);
        var receiptIds = answered.Keys.ToArray();
        await VerifyDeliveredAsync(bar, receiptIds, $"{_o.EffectRate:F0}/s");
        await using var growing = await context.OpenAsync("ContractGrowing");
        var effects = (await growing.QueryAsync<(Guid ReceiptId, DateTime EffectAt)>(
            "select receipt_id, effect_at from deliveries where receipt_id = any(@Ids)", new { Ids = receiptIds })).ToList();
        var latencies = effects.Select(e => Math.Max(0, (e.EffectAt.ToUniversalTime() - answered[e.ReceiptId]).TotalMilliseconds)).ToList();
        var effect = Measurement.From("commit → effect (ContractGrowing delivery row)", latencies, 1, 0,
            "from the 201 received (after commit) to the consumer's row insert (clock_timestamp)");
        bar.Measurements.Add(effect with { PerSecond = post.PerSecond });
        bar.Verify(post.Errors == 0, $"{post.Count} receipts at {post.PerSecond:F0}/s, {post.Errors} errors");

        var rawPublish = Mean(raw, RawLimitNames.ConfirmedPublish);
        bar.Checks.Add(new Check("relay / raw confirmed publish", _relay.PerSecond / rawPublish, "", ">=", 0.8));
        bar.Checks.Add(new Check("commit → effect p50", effect.P50Ms, " ms", "<", 20));
        bar.Checks.Add(new Check("commit → effect p99", effect.P99Ms, " ms", "<", 100));
    }

    private static double Mean(List<(string Name, string Unit, double Value)> raw, string name) => raw.First(r => r.Name == name).Value;

    // ---------------------------------------------------------------- P3, P4

    public async Task ShipmentAsync(Bar bar, List<(string Name, string Unit, double Value)> raw)
    {
        var token = BenchContext.Token(Roles.Buyer, "buyer-1", buyerId: Buyer);
        long wrong = 0;
        _p3 = await Profiler.TraceAsync(context, "Tracking", "P3", probe => LoadClient.RunAsync($"GET /shipments/{{waybill}} as the buyer, {_o.ReadConnections} connections", context.System["Tracking"].BaseAddress, _o.ReadConnections, _o.Warmup, _o.Duration,
            (w, s) =>
            {
                var waybill = _waybills[(w * 100_003 + s) % _waybills.Length];
                var message = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/tracking/shipments/{waybill}");
                message.Headers.Authorization = BenchContext.Bearer(token);
                message.Options.Set(WaybillKey, waybill);
                return message;
            },
            r =>
            {
                if (r.Status != HttpStatusCode.OK || !r.Body.Contains(r.Message.RequestMessage!.Options.TryGetValue(WaybillKey, out var wb) ? wb : "?")
                    || !r.Body.Contains("\"timeline\"")) Interlocked.Increment(ref wrong);
            }, probe.Mark, probe.Settled));
        bar.Measurements.Add(_p3);
        bar.Verify(wrong == 0 && _p3.Errors == 0, $"{_p3.Count} answers, {wrong} not 200 with the asked shipment and its timeline");
    }

    private static readonly HttpRequestOptionsKey<string> WaybillKey = new("waybill");

    public async Task QuoteAsync(Bar bar, List<(string Name, string Unit, double Value)> raw)
    {
        var token = BenchContext.Token(Roles.Dispatcher, "dispatcher-1");
        long wrong = 0;
        _p4 = await Profiler.TraceAsync(context, "Dispatch", "P4", probe => LoadClient.RunAsync("POST /quotes, 60 parcels", context.System["Dispatch"].BaseAddress, _o.Connections, _o.Warmup, _o.Duration,
            (_, _) => QuoteRequest(BenchContext.Bearer(token)),
            r => { if (r.Status != HttpStatusCode.OK || r.Body != _quoteJson) Interlocked.Increment(ref wrong); }, probe.Mark, probe.Settled));
        bar.Measurements.Add(_p4);
        bar.Verify(wrong == 0 && _p4.Errors == 0, $"{_p4.Count} answers, {wrong} differing from the first quote");
        await using var dispatch = await context.OpenAsync("Dispatch");
        bar.Verify(await dispatch.ExecuteScalarAsync<long>("select count(*) from outbox") == 0, "a quote writes nothing (no outbox rows)");
    }

    /// <summary>The 60-parcel quote request P4, P7 and the bare Kestrel limit all send.</summary>
    private HttpRequestMessage QuoteRequest(AuthenticationHeaderValue token)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/dispatch/quotes") { Content = new StringContent(_quoteRequest, Encoding.UTF8, "application/json") };
        message.Headers.Authorization = token;
        return message;
    }

    // ---------------------------------------------------------------- P7

    /// <summary>The 60-parcel quote through the Gateway and sent to Dispatch directly, one after the other, same client and connections.</summary>
    public async Task GatewayHopAsync(Bar bar)
    {
        var token = BenchContext.Bearer(BenchContext.Token(Roles.Dispatcher, "dispatcher-1"));
        long wrong = 0;
        HttpRequestMessage Quote(int worker, long seq) => QuoteRequest(token);
        void Check(LoadClient.Response r) { if (r.Status != HttpStatusCode.OK || r.Body != _quoteJson) Interlocked.Increment(ref wrong); }
        var direct = await LoadClient.RunAsync("POST /quotes to Dispatch directly", context.System["Dispatch"].BaseAddress, _o.Connections, _o.Warmup, _o.Duration, Quote, Check);
        var gateway = await Profiler.TraceAsync(context, "Gateway", "P7", probe => LoadClient.RunAsync("POST /quotes through the Gateway", context.System.Gateway,
            _o.Connections, _o.Warmup, _o.Duration, Quote, Check, probe.Mark, probe.Settled));
        bar.Measurements.AddRange([direct, gateway]);
        bar.Verify(wrong == 0 && direct.Errors == 0 && gateway.Errors == 0, $"{direct.Count + gateway.Count} answers, {wrong} differing from the first quote");
        bar.Checks.Add(new Check("through the Gateway / direct", gateway.PerSecond / direct.PerSecond, "", ">=", 0.7));
    }

    // ---------------------------------------------------------------- ratios

    /// <summary>Each bar's ratio against the mean of its raw limit before and after.</summary>
    public void Rate(Bar p1, Bar p2, Bar p3, Bar p4, List<RawLimit> raw)
    {
        double Limit(string name) => raw.First(r => r.Name == name).Mean;
        foreach (var m in _rawRuns)
            (m.Name.StartsWith("pgbench, receipt") ? p1 : m.Name.StartsWith("RabbitMQ") ? p2 : m.Name.Contains("shipment") ? p3 : p4).Measurements.Add(m);
        if (_p1 is not null)
        {
            p1.Checks.Add(new Check("POST / pgbench", _p1.PerSecond / Limit(RawLimitNames.ReceiptTransaction), "", ">=", 0.6));
            p1.Checks.Add(new Check("p99", _p1.P99Ms, " ms", "<", 50));
        }
        if (_relay is not null)
        {
            var check = p2.Checks.FindIndex(c => c.What.StartsWith("relay"));
            if (check >= 0) p2.Checks[check] = p2.Checks[check] with { Value = _relay.PerSecond / Limit(RawLimitNames.ConfirmedPublish) };
        }
        if (_p3 is not null)
        {
            p3.Checks.Add(new Check("GET / pgbench", _p3.PerSecond / Limit(RawLimitNames.ShipmentSelects), "", ">=", 0.5));
            p3.Checks.Add(new Check("p99", _p3.P99Ms, " ms", "<", 20));
        }
        if (_p4 is not null)
            p4.Checks.Add(new Check("POST / bare Kestrel with JWT", _p4.PerSecond / Limit(RawLimitNames.BareKestrelQuote), "", ">=", 0.5));
    }

    private static async Task<string> Ok(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{(int)response.StatusCode}: {body}");
        return body;
    }

    public async ValueTask DisposeAsync()
    {
        if (_pgbenchDb is not null) await _pgbenchDb.DisposeAsync();
    }
}
