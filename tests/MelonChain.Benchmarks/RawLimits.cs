using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using MelonChain.ServiceDefaults.Security;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace MelonChain.Benchmarks;

/// <summary>pgbench running a script (the endpoint's statements in its transaction shape) against a database.</summary>
public static class Pgbench
{
    /// <summary>
    /// The SELECTs of the buyer's shipment GET (Tracking's <c>Shipments.LoadAsync</c>) in one pipeline, as Npgsql
    /// sends the batch in one round trip: a random waybill of the <paramref name="count"/> seeded ones (SF0000000001 …).
    /// </summary>
    public static string ShipmentScript(int count)
    {
        const string waybill = "('SF' || lpad(:n::text, 10, '0'))";
        const string orderOf = $"(select order_id from shipments where master_waybill_no = {waybill} union all select order_id from waybills where waybill_no = {waybill} limit 1)";
        return $"""
            \set n random(1, {count})
            \startpipeline
            select s.order_id, s.shipment_id, s.master_waybill_no, s.carrier, s.product, s.destination_city, case when s.delivered_at is not null or exists (select 1 from timeline d where d.order_id = s.order_id and d.status = 'delivered') then 'delivered' when s.cancelled_at is not null then 'cancelled' else coalesce((select t.status from timeline t where t.order_id = s.order_id order by t.status_at desc, t.event_id desc limit 1), 'pending') end as status, s.booked_at, s.promised_by, s.delivered_at, s.on_time, (s.promised_by is not null and coalesce(s.delivered_at, now()) > s.promised_by) as late from shipments s where s.order_id = {orderOf};
            select cooperative_id, buyer_id, phone_last4, list_fen, negotiated_fen from shipments where order_id = {orderOf};
            select status, status_at as at, location, remark, carrier_code from timeline where order_id = {orderOf} order by status_at, event_id;
            select b.trace_code, b.grade, b.net_grams / 1000.0 as net_kg, w.waybill_no, (select min((src ->> 'harvestedOn')::date) from jsonb_array_elements(b.sources) src) as oldest_harvest from boxes b left join waybills w on w.trace_code = b.trace_code where b.order_id = {orderOf} order by b.trace_code;
            \endpipeline

            """;
    }

    public static async Task<Measurement> RunAsync(string name, string connectionString, string script, int clients, TimeSpan duration, string workDir)
    {
        var csb = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var dir = Directory.CreateDirectory(Path.Combine(workDir, "pgbench-" + Guid.NewGuid().ToString("N")[..6])).FullName;
        var file = Path.Combine(dir, "script.sql");
        await File.WriteAllTextAsync(file, script);
        var output = await Cli.Run(Path.Combine(TestServers.PostgresBin, "pgbench"),
        [
            "-n", "-M", "prepared", "-c", clients.ToString(), "-j", "2", "-T", Math.Max(1, (int)duration.TotalSeconds).ToString(),
            "-f", file, "-l", "--log-prefix", Path.Combine(dir, "log"),
            "-h", csb.Host!, "-p", csb.Port.ToString(), "-U", csb.Username!, csb.Database!,
        ], timeout: duration + TimeSpan.FromMinutes(2));
        // tps from pgbench itself; latencies from the per-transaction log (field 3, microseconds).
        var tpsLine = output.Split('\n').FirstOrDefault(l => l.StartsWith("tps = ")) ?? throw new InvalidOperationException("pgbench: " + output);
        var tps = double.Parse(tpsLine.Split(' ')[2], CultureInfo.InvariantCulture);
        var latencies = Directory.GetFiles(dir, "log*").SelectMany(File.ReadLines)
            .Select(l => l.Split(' ')).Where(f => f.Length > 3).Select(f => double.Parse(f[2], CultureInfo.InvariantCulture) / 1000.0).Order().ToArray();
        var failed = output.Split('\n').FirstOrDefault(l => l.StartsWith("number of failed transactions"));
        Directory.Delete(dir, true);
        return new Measurement(name, tps, Measurement.Percentile(latencies, 0.5), Measurement.Percentile(latencies, 0.99), latencies.Length,
            failed is null ? 0 : long.Parse(failed.Split(':')[1].Trim().Split(' ')[0]));
    }
}

/// <summary>
/// The bare Kestrel limit: a process (this program with <c>bare-kestrel</c>) that answers every request with a
/// fixed body — the same JSON the endpoint returns — and nothing else: no database. With a signing key it first
/// validates the bearer token as the services do (<c>AddMelonAuth</c> and the same role policy), so the ratio
/// measures what running the endpoint costs beyond the token.
/// </summary>
public sealed class BareKestrel : IAsyncDisposable
{
    private readonly Process _process;
    public Uri BaseAddress { get; }
    public int ProcessId => _process.Id;

    private BareKestrel(Process process, Uri baseAddress) { _process = process; BaseAddress = baseAddress; }

    public static async Task<BareKestrel> StartAsync(string bodyFile, string? signingKey = null)
    {
        var port = Cli.FreePort();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { typeof(BareKestrel).Assembly.Location, "bare-kestrel", port.ToString(), bodyFile }) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_gcServer"] = "0";
        if (signingKey is not null) start.Environment["Auth__SigningKey"] = signingKey;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var bare = new BareKestrel(process, new Uri($"http://127.0.0.1:{port}/"));
        using var http = new HttpClient { BaseAddress = bare.BaseAddress };
        for (var i = 0; i < 200; i++)
        {
            try { if ((await http.GetAsync("/ping")).IsSuccessStatusCode) return bare; }
            catch (HttpRequestException) { }
            await Task.Delay(50);
        }
        await bare.DisposeAsync();
        throw new TimeoutException("bare Kestrel did not start");
    }

    /// <summary>The child process: any GET or POST gets the body (a POST's request body is read first, as the endpoint does).</summary>
    public static async Task ServeAsync(int port, string bodyFile)
    {
        var body = await File.ReadAllBytesAsync(bodyFile);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var withToken = !string.IsNullOrEmpty(builder.Configuration["Auth:SigningKey"]);
        if (withToken) builder.AddMelonAuth();
        var app = builder.Build();
        app.MapGet("/ping", () => "pong");
        var answer = app.MapMethods("/{**path}", [HttpMethods.Get, HttpMethods.Post], async (HttpContext http) =>
        {
            if (HttpMethods.IsPost(http.Request.Method))
            {
                using var drain = new MemoryStream();
                await http.Request.Body.CopyToAsync(drain);
            }
            http.Response.StatusCode = 200;
            http.Response.ContentType = "application/json; charset=utf-8";
            http.Response.ContentLength = body.Length;
            await http.Response.Body.WriteAsync(body);
        });
        if (withToken) answer.RequireRoles(Roles.Dispatcher, Roles.Courier, Roles.Buyer, Roles.Clerk);
        await app.RunAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}

/// <summary>
/// The raw broker limit: RabbitMQ.Client publishing persistent messages of a given size to a fanout exchange and a
/// durable quorum queue (what MassTransit declares), confirms awaited together per batch, and a consumer acking
/// them; measured until the consumer has everything.
/// </summary>
public static class RawRabbit
{
    public static async Task<Measurement> RunAsync(string name, Uri amqp, int messages, int messageBytes, int batch)
    {
        var factory = new ConnectionFactory { Uri = amqp };
        await using var connection = await factory.CreateConnectionAsync();
        await using var publisher = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await using var consumerChannel = await connection.CreateChannelAsync();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var exchange = "bench-raw-" + suffix;
        var queue = "bench-raw-" + suffix;
        await publisher.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
        await publisher.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        await publisher.QueueBindAsync(queue, exchange, "");

        var received = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await consumerChannel.BasicQosAsync(0, 32, false);
        var consumer = new AsyncEventingBasicConsumer(consumerChannel);
        consumer.ReceivedAsync += async (_, e) =>
        {
            await consumerChannel.BasicAckAsync(e.DeliveryTag, false);
            if (Interlocked.Increment(ref received) == messages) done.TrySetResult();
        };
        await consumerChannel.BasicConsumeAsync(queue, autoAck: false, consumer);

        var body = Encoding.UTF8.GetBytes(new string('x', messageBytes));
        var props = new BasicProperties { Persistent = true, ContentType = "application/vnd.masstransit+json" };
        var latencies = new List<double>(messages);
        var clock = Stopwatch.StartNew();
        for (var sent = 0; sent < messages; sent += batch)
        {
            var started = clock.Elapsed;
            var confirms = new List<ValueTask>(batch);
            for (var i = sent; i < Math.Min(messages, sent + batch); i++)
                confirms.Add(publisher.BasicPublishAsync(exchange, "", false, props, body));
            foreach (var confirm in confirms) await confirm;
            var ms = (clock.Elapsed - started).TotalMilliseconds;
            latencies.AddRange(Enumerable.Repeat(ms, confirms.Count));
        }
        var published = clock.Elapsed.TotalSeconds;
        await done.Task.WaitAsync(TimeSpan.FromMinutes(2));
        var seconds = clock.Elapsed.TotalSeconds;
        await publisher.QueueDeleteAsync(queue);
        await publisher.ExchangeDeleteAsync(exchange);
        // The relay's side of the bar is publish + confirm: that rate is the limit; end to end is noted.
        var m = Measurement.From(name, latencies, published, 0,
            $"{messages} × {messageBytes} B persistent to a quorum queue, confirms awaited per batch of {batch}; consumed end to end at {messages / seconds:F0}/s");
        return m;
    }
}
