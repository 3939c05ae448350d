extern alias dispatch;
extern alias simulator;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using MassTransit;
using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults.Security;
using MelonChain.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RoutePlayer = simulator::MelonChain.CarrierSimulator.Simulator.RoutePlayer;
using SfProtocol = dispatch::MelonChain.Dispatch.Features.Carrier.Sf.SfProtocol;
using SfPushRoute = dispatch::MelonChain.Dispatch.Features.Carrier.Sf.SfPushRoute;

namespace MelonChain.Dispatch.Tests;

using DispatchHost = ServiceHost<dispatch::Program>;

/// <summary>
/// The CarrierSimulator as a real Kestrel server on a free port (Dispatch calls it over real HTTP); its route
/// pushes go to the Dispatch test server through that server's handler.
/// </summary>
public sealed class SimulatorHost : WebApplicationFactory<simulator::Program>
{
    private readonly Func<HttpMessageHandler> _pushTarget;
    private readonly double _secondsPerDay;
    private readonly IDictionary<string, string?> _settings;

    public int Port { get; }
    public HttpClient Admin { get; }

    /// <param name="settings">Simulator settings over the tests' defaults (no re-weighed bills, fee pushes to the Dispatch test server).</param>
    public SimulatorHost(Func<HttpMessageHandler> pushTarget, double secondsPerDay, IDictionary<string, string?>? settings = null)
    {
        _pushTarget = pushTarget;
        _secondsPerDay = secondsPerDay;
        _settings = settings ?? new Dictionary<string, string?>();
        Port = Cli.FreePort();
        UseKestrel(Port);
        Admin = new HttpClient { BaseAddress = new Uri(BaseUrl) };
    }

    public string BaseUrl => $"http://127.0.0.1:{Port}/";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Simulator:SecondsPerDay", _secondsPerDay.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Simulator:PushIntervalMs", "100");
        builder.UseSetting("Simulator:RoutePushUrl", "http://dispatch.test/api/v1/dispatch/carriers/sf/routes");
        builder.UseSetting("Simulator:FeePushUrl", "http://dispatch.test/api/v1/dispatch/carriers/sf/fees");
        // Bills are what a test asks for: no order is re-weighed by the simulator's own rule unless a test says so.
        builder.UseSetting("Simulator:Fees:RevisedShare", "0");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.UseSetting("DataProtection:Path", Path.Combine(Path.GetTempPath(), "melontest-keys"));
        builder.ConfigureTestServices(services =>
        {
            services.AddHttpClient(RoutePlayer.PushClient).ConfigurePrimaryHttpMessageHandler(_pushTarget);
            services.AddSingleton<IStartupFilter>(new WhileCarrierThinksFilter(this));
        });
    }

    /// <summary>
    /// Runs while the carrier is being asked, before it answers: each call to SF's or JD's gateway waits for it, with the
    /// call's service code or method. Null: calls are answered straight away.
    /// </summary>
    public Func<string, Task>? WhileCarrierThinks { get; set; }

    private sealed class WhileCarrierThinksFilter(SimulatorHost host) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, proceed) =>
            {
                if (host.WhileCarrierThinks is { } hook && context.Request.Path.Value is "/std/service" or "/routerjson" && context.Request.HasFormContentType)
                {
                    var form = await context.Request.ReadFormAsync(context.RequestAborted);
                    await hook(form.TryGetValue("serviceCode", out var code) ? code.ToString() : form["method"].ToString());
                }
                await proceed(context);
            });
            next(app);
        };
    }

    public async Task SetFaultsAsync(object faults) =>
        (await Admin.PostAsJsonAsync("/admin/faults", faults)).EnsureSuccessStatusCode();

    public async Task<JsonElement?> OrderAsync(string orderId)
    {
        var response = await Admin.GetAsync($"/admin/orders/{orderId}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>
    /// The tracking numbers the carrier gave the order's parcels, in order: SF's waybills, or for JD the package codes of
    /// its one waybill (<c>{waybill}-{i}-{n}-</c>).
    /// </summary>
    public static IReadOnlyList<string> ParcelNumbers(JsonElement order)
    {
        var waybills = order.GetProperty("waybills").EnumerateArray().Select(w => w.GetString()!).ToList();
        if (order.GetProperty("carrier").GetString() != "jd") return waybills;
        var parcels = order.GetProperty("parcels").GetInt32();
        return Enumerable.Range(1, parcels).Select(i => $"{waybills[0]}-{i}-{parcels}-").ToList();
    }

    public async Task<int> OrderCountAsync() => (await Admin.GetFromJsonAsync<JsonElement>("/admin/orders")).GetArrayLength();

    protected override void Dispose(bool disposing)
    {
        Admin.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>Dispatch with its own database and virtual host, talking to its own simulator.</summary>
public class DispatchFixture : IAsyncLifetime
{
    public const string CheckWord = "melonchain-dev-check-word-0000000";

    protected virtual double SecondsPerDay => 4;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Settings of this fixture's simulator (over <see cref="SimulatorHost"/>'s test defaults).</summary>
    protected virtual IDictionary<string, string?> SimulatorSettings => new Dictionary<string, string?>();

    public TestDatabase Database { get; private set; } = null!;
    public TestVirtualHost VirtualHost { get; private set; } = null!;
    public SimulatorHost Simulator { get; private set; } = null!;
    public DispatchHost Dispatch { get; private set; } = null!;
    public HttpClient Dispatcher { get; private set; } = null!;
    public HttpClient CourierA { get; private set; } = null!;
    public HttpClient CourierB { get; private set; } = null!;
    public EventCounter Events { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        VirtualHost = await TestVirtualHost.CreateAsync("dispatch");
        Database = TestDatabase.Create("dispatch");
        Events = await EventCounter.CreateAsync(VirtualHost.Name);
        Simulator = new SimulatorHost(() => Dispatch!.Server.CreateHandler(), SecondsPerDay, SimulatorSettings);
        Simulator.StartServer();
        var settings = new Dictionary<string, string?>
        {
            ["Carrier:Sf:BaseUrl"] = Simulator.BaseUrl,
            ["Carrier:Jd:BaseUrl"] = Simulator.BaseUrl,
            ["Carrier:Jd:AppKey"] = "MELONCHAIN_JD_DEV",
            ["Carrier:Jd:AppSecret"] = DevelopmentCredentials.JdAppSecret,
            ["Carrier:Jd:AccessToken"] = "melonchain-dev-jd-token",
            ["Carrier:Resilience:AttemptTimeoutSeconds"] = "2",
            ["Carrier:Resilience:TotalTimeoutSeconds"] = "8",
            ["Carrier:Resilience:BreakSeconds"] = "2",
            ["Carrier:Resilience:MinimumThroughput"] = "6",
            ["Carrier:Resilience:RetryDelayMs"] = "50",
            ["Dispatch:RoutePolling:IntervalSeconds"] = "1",
            ["Dispatch:RoutePolling:QuietMinutes"] = "60",
            ["Dispatch:RoutePolling:PullSeconds"] = "1",
        };
        foreach (var (k, v) in Settings) settings[k] = v;
        Dispatch = new DispatchHost(Database.ConnectionString, VirtualHost.ConnectionString, settings);
        await Dispatch.StartAsync();
        Dispatcher = Dispatch.As(Roles.Dispatcher, "dispatcher-1");
        CourierA = Dispatch.As(Roles.Courier, "courier-a", courierId: "C-A");
        CourierB = Dispatch.As(Roles.Courier, "courier-b", courierId: "C-B");
        await OnboardAsync(ServiceHost<dispatch::Program>.Cooperative);
    }

    /// <summary>
    /// The cooperative's profile as the Cooperative publishes it, and its carrier accounts as its admin saves them (its own
    /// monthly card unless <paramref name="account"/> names one, and its own JD customer code); returns once Dispatch keeps the sender.
    /// </summary>
    public async Task OnboardAsync(string coop, string? account = null, string street = "杜阮镇上巷村")
    {
        await Onboarding.SaveCarrierAccountsAsync(Dispatch.As(Roles.Admin, "admin-1", cooperative: coop),
            accounts: Onboarding.CarrierAccounts(account ?? Onboarding.MonthlyCardOf(coop), jdAccount: Onboarding.JdCustomerCodeOf(coop)));
        await PublishProfileAsync(coop, street);
    }

    /// <summary>The cooperative's profile as the Cooperative publishes it; returns once Dispatch keeps the sender.</summary>
    public async Task PublishProfileAsync(string coop, string street = "杜阮镇上巷村")
    {
        await PublishAsync(new CooperativeProfileSaved(Guid.NewGuid(), DateTimeOffset.UtcNow, coop, $"{coop} 农民专业合作社", coop, "上巷村",
            new PostalAddress("广东省", "江门市", "蓬江区", street), "陈主任", "0750-3000000", Onboarding.PrefixOf(coop), 500, 300, 300, 4,
            new CertificateTexts($"{coop} 农民专业合作社", "广东省江门市蓬江区杜阮镇", "0750-3000000", "内部质量控制"), Version: 1));
        await Eventually.Until(() => ScalarAsync<long>("select count(*) from cooperative_senders where cooperative_id = @coop", new { coop }),
            n => n == 1, TimeSpan.FromSeconds(30), "Dispatch to keep the cooperative's sender");
    }

    /// <summary>Publishes events as the Cooperative would.</summary>
    public async Task PublishAsync(params MelonChain.Messages.IEvent[] events)
    {
        var bus = Dispatch.Services.GetRequiredService<IBus>();
        foreach (var e in events) await bus.Publish(e, e.GetType(), ctx => ctx.MessageId = e.EventId);
    }

    /// <summary>Publishes ShipmentRequested as Cooperative would and waits for the open pickup.</summary>
    /// <remarks>With <paramref name="carrier"/> other than the one the pickup opened with, the dispatcher chooses it (and its product of the same chain).</remarks>
    public async Task<(Guid PickupId, Guid OrderId, List<string> TraceCodes)> OpenPickupAsync(int boxes, string city = "Beijing", string product = "express",
        string coop = ServiceHost<dispatch::Program>.Cooperative, string? carrier = null)
    {
        var orderId = Guid.NewGuid();
        var codes = Enumerable.Range(1, boxes).Select(i => $"T{orderId.ToString("N")[..6].ToUpperInvariant()}{i:D3}").ToList();
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var evt = new ShipmentRequested(Guid.NewGuid(), DateTimeOffset.UtcNow, coop, orderId, Guid.NewGuid(),
            new Destination(city, "朝阳区建国路 88 号", "王经理", "13900001234"), product,
            codes.Select(c => new RequestedBox(c, "premium", 5000, 40, 30, 25,
                [new BoxSource(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "SX-001", "上巷村", null, today, 5000)])).ToList());
        var bus = Dispatch.Services.GetRequiredService<IBus>();
        await bus.Publish(evt, ctx => ctx.MessageId = evt.EventId);
        var pickupId = await Eventually.Until(
            () => ScalarAsync<Guid?>("select id from pickups where order_id = @OrderId", new { OrderId = orderId }),
            id => id is not null, what: "the pickup to open");
        if (carrier is not null && carrier != await ScalarAsync<string>("select carrier from pickups where id = @pickupId", new { pickupId }))
        {
            using var chosen = await Dispatch.As(Roles.Dispatcher, "dispatcher-1", cooperative: coop)
                .PutAsJsonAsync($"/api/v1/dispatch/pickups/{pickupId}/carrier", new { carrier });
            Assert.True(chosen.IsSuccessStatusCode, await chosen.Content.ReadAsStringAsync());
        }
        return (pickupId!.Value, orderId, codes);
    }

    /// <summary>Accept and collect with retries, as the courier's app does (same Idempotency-Key each time).</summary>
    public async Task<(HttpResponseMessage Response, List<string> Codes)> CollectWithRetriesAsync(HttpClient courier, Guid pickupId, IEnumerable<string> codes, int attempts = 60)
    {
        var key = Guid.NewGuid().ToString();
        var problemCodes = new List<string>();
        for (var i = 0; ; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/dispatch/pickups/{pickupId}/collect")
            {
                Content = JsonContent.Create(new { traceCodes = codes }),
            };
            request.Headers.Add("Idempotency-Key", key);
            var response = await courier.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || i >= attempts) return (response, problemCodes);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            problemCodes.Add(problem.TryGetProperty("code", out var c) ? c.GetString()! : "unavailable");
            await Task.Delay(300);
        }
    }

    /// <summary>Opens a pickup, and courier A accepts and collects it: the booked shipment.</summary>
    public async Task<(Guid ShipmentId, string Master, DateTimeOffset CollectedAt)> BookAsync(int boxes)
    {
        var (pickupId, _, codes) = await OpenPickupAsync(boxes);
        await CourierA.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null);
        var (response, _) = await CollectWithRetriesAsync(CourierA, pickupId, codes);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var s = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (s.GetProperty("id").GetGuid(), s.GetProperty("masterWaybillNo").GetString()!, s.GetProperty("collectedAt").GetDateTimeOffset());
    }

    public async Task<List<T>> QueryAsync<T>(string sql, object? param = null)
    {
        await using var connection = Database.Open();
        return (await connection.QueryAsync<T>(sql, param)).AsList();
    }

    public async Task<T?> ScalarAsync<T>(string sql, object? param = null)
    {
        await using var connection = Database.Open();
        return await connection.ExecuteScalarAsync<T>(sql, param);
    }

    public async Task<JsonElement> ShipmentAsync(Guid id) =>
        await Dispatcher.GetFromJsonAsync<JsonElement>($"/api/v1/dispatch/shipments/{id}");

    /// <summary>Sends a route push signed as the carrier signs it (or with another check word).</summary>
    public async Task<HttpResponseMessage> PushAsync(string waybillNo, IEnumerable<(string OpCode, DateTimeOffset At)> routes, string checkWord = CheckWord,
        IEnumerable<(string WaybillNo, string OpCode, DateTimeOffset At)>? extra = null, DateTimeOffset? signedAt = null)
    {
        var all = routes.Select(r => (WaybillNo: waybillNo, r.OpCode, r.At)).Concat(extra ?? []);
        using var request = SfProtocol.SignedPush("/api/v1/dispatch/carriers/sf/routes", all.Select(r => new SfPushRoute(
            $"{r.WaybillNo}-{r.OpCode}-{r.At.ToUnixTimeSeconds()}", r.WaybillNo, null, SfProtocol.ChinaTimeText(r.At), "北京市", "test", r.OpCode)),
            signedAt ?? DateTimeOffset.UtcNow, checkWord);
        return await Dispatch.CreateClient().SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        await Simulator.DisposeAsync();
        await Dispatch.DisposeAsync();
        await Database.DisposeAsync();
        await VirtualHost.DisposeAsync();
    }
}

/// <summary>
/// Counts the events Dispatch publishes: a queue of our own bound to each event's exchange (declared the way
/// MassTransit declares it), read through the management API.
/// </summary>
public sealed class EventCounter
{
    private static readonly HttpClient Management = new()
    {
        BaseAddress = new Uri(TestServers.RabbitManagement),
        DefaultRequestHeaders = { Authorization = new("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest"))) },
    };

    public static readonly string[] Types = ["PickupScheduled", "ShipmentBooked", "ShipmentStatusChanged", "ShipmentDelivered", "CancellationAnswered", "ShipmentPartEnded", "CarrierCompensationPaid", "CarrierFeeBilled"];

    private readonly string _vhost;

    private EventCounter(string vhost) => _vhost = vhost;

    public static async Task<EventCounter> CreateAsync(string vhost)
    {
        foreach (var type in Types)
        {
            var exchange = Uri.EscapeDataString(MelonChain.Messages.EventCatalogue.Events.Single(e => e.Type.Name == type).Name);
            (await Management.PutAsJsonAsync($"/api/exchanges/{vhost}/{exchange}", new { type = "fanout", durable = true })).EnsureSuccessStatusCode();
            (await Management.PutAsJsonAsync($"/api/queues/{vhost}/test-{type}", new { durable = true })).EnsureSuccessStatusCode();
            (await Management.PostAsJsonAsync($"/api/bindings/{vhost}/e/{exchange}/q/test-{type}", new { routing_key = "" })).EnsureSuccessStatusCode();
        }
        return new EventCounter(vhost);
    }

    /// <summary>The bodies of the events of one type published so far (peeked, not consumed).</summary>
    public async Task<List<JsonElement>> PeekAsync(string type)
    {
        var response = await Management.PostAsJsonAsync($"/api/queues/{_vhost}/test-{type}/get",
            new { count = 10_000, ackmode = "ack_requeue_true", encoding = "auto" });
        response.EnsureSuccessStatusCode();
        var messages = await response.Content.ReadFromJsonAsync<JsonElement>();
        return messages.EnumerateArray()
            .Select(m => JsonDocument.Parse(m.GetProperty("payload").GetString()!).RootElement.GetProperty("message"))
            .ToList();
    }
}
