using System.Net.Http.Json;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace MelonChain.Security.Tests;

[CollectionDefinition(Name)]
public sealed class Secured : ICollectionFixture<SecuredSystem>
{
    public const string Name = "secured system";
}

/// <summary>
/// The whole system as processes behind its Gateway (real Kestrel limits, real proxy), with one cooperative's data in
/// every service: a contract in ContractGrowing, a receipt, an order and a settlement in Cooperative, a pickup held
/// by courier A and its shipment booked for buyer A in Dispatch and Tracking. The attacks come from outside it.
/// </summary>
public sealed class SecuredSystem : IAsyncLifetime
{
    public const string SigningKey = "melonchain-development-signing-key-not-for-production";
    public const int PublicPerMinute = 40;

    /// <summary>The address the in-test ingress connects to the Gateway from: the one the Gateway trusts (<c>Edge:TrustedProxies</c>).</summary>
    public const string IngressAddress = "127.0.0.9";
    public static readonly string[] ServiceNames = ["Cooperative", "ContractGrowing", "Dispatch", "Tracking"];

    private TestVirtualHost _vhost = null!;

    public MelonSystem System { get; private set; } = null!;
    public Scenario Scenario { get; private set; } = null!;

    /// <summary>The one origin the Gateway is configured to let a browser call it from.</summary>
    public const string WebClientOrigin = "https://app.duruan-coop.test";
    public HttpClient Anonymous { get; private set; } = null!;

    /// <summary>Real ids of the seeded rows, by the name of the path parameter that takes them.</summary>
    public Dictionary<string, string> Ids { get; } = new();
    public Guid BuyerId { get; private set; }
    public Guid OrderId { get; private set; }
    public string MasterWaybillNo { get; private set; } = "";
    public string TraceCode { get; private set; } = "";

    /// <summary>ContractGrowing's seeded grower and its plot (the draft contract's), and a seedling batch with seedlings left.</summary>
    public Guid GrowingGrowerId { get; private set; }
    public Guid PlotId { get; private set; }
    public Guid BatchId { get; private set; }

    /// <summary>Contracts in every state a request may point at: ours signed (and known to the Cooperative), ours still a
    /// draft, ours terminated before signing, and another cooperative's signed one (also known to the Cooperative).</summary>
    public Guid SignedContractId { get; private set; }
    public Guid DraftContractId { get; private set; }
    public Guid TerminatedContractId { get; private set; }
    public Guid OtherCooperativesContractId { get; private set; }

    /// <summary>A contract grower of the Cooperative, registered under <see cref="SignedContractId"/>.</summary>
    public Guid ContractGrowerId { get; private set; }

    /// <summary>Every id of a seeded row of this cooperative, as text (what a request body would carry).</summary>
    public IReadOnlySet<string> SeededIds =>
        Ids.Where(kv => !kv.Key.EndsWith("{carrier}")).Select(kv => kv.Value).Concat(new[] { BuyerId, OrderId, GrowingGrowerId, PlotId, BatchId, SignedContractId, DraftContractId, TerminatedContractId, ContractGrowerId }
            .Select(id => id.ToString())).ToHashSet();

    /// <summary>Personal data of the seeded people that must never appear in public output.</summary>
    public static readonly string[] PersonalData = ["王经理", "13911112222", "朝阳区建国路88号", "黄伯", "13800138000", "梁叔", "13622223333", "440785197001011234"];

    public async Task InitializeAsync()
    {
        _vhost = await TestVirtualHost.CreateAsync("security");
        System = await MelonSystem.StartAsync(TestServers.Postgres, _vhost.ConnectionString, new Dictionary<string, IDictionary<string, string>>
        {
            ["Tracking"] = new Dictionary<string, string> { ["RateLimits:PublicPerMinute"] = PublicPerMinute.ToString() },
            // Routes are not the point here: the shipment stays booked.
            ["CarrierSimulator"] = new Dictionary<string, string> { ["Simulator:SecondsPerDay"] = "86400" },
            // A cooperative's web app on its own origin calls the API through the Gateway.
            // Behind the in-test ingress (Ingress.cs), whose connections leave from IngressAddress.
            ["Gateway"] = new Dictionary<string, string> { ["Cors:AllowedOrigins"] = WebClientOrigin, ["Edge:TrustedProxies"] = IngressAddress },
        });
        Scenario = await Scenario.StartAsync(System);
        Anonymous = new HttpClient { BaseAddress = System.Gateway };

        var officer = await System.AsAsync("officer", "officer-1");
        var grower = await Scenario.PostAsync(officer, "/api/v1/growing/growers",
            new { name = "梁叔", phone = "13622223333", idNumber = "440785197001011234", town = "恩平市大田镇", village = "朗北村" });
        var plot = await Scenario.PostAsync(officer, "/api/v1/growing/plots",
            new { growerId = grower.GetProperty("id").GetGuid(), areaM2 = 6700m, location = "朗北村东侧坡地" });
        var contract = await Scenario.PostAsync(officer, "/api/v1/growing/contracts", new
        {
            growerId = grower.GetProperty("id").GetGuid(), plotId = plot.GetProperty("id").GetGuid(), season = "2026-autumn", variety = "杜阮凉瓜",
            seedlings = 1500, expectedKg = 1000m, minPriceFenPerKg = new { premium = 900, grade1 = 700, grade2 = 500, offgrade = 200 },
        });
        Ids["growing/growers/{id}"] = grower.GetProperty("id").GetString()!;
        Ids["growing/contracts/{id}"] = contract.GetProperty("id").GetString()!;
        GrowingGrowerId = grower.GetProperty("id").GetGuid();
        PlotId = plot.GetProperty("id").GetGuid();
        DraftContractId = contract.GetProperty("id").GetGuid();
        BatchId = (await Scenario.PostAsync(officer, "/api/v1/growing/seedling-batches",
            new { batchNo = "DR-SEED-1", nursery = "杜阮育苗场", motherField = "北芦村母本田", sownOn = Scenario.ChinaToday, count = 100_000, germinationRate = 0.9m }))
            .GetProperty("id").GetGuid();
        TerminatedContractId = await ContractAsync(officer, grower.GetProperty("id").GetGuid(), PlotId, "terminate");
        SignedContractId = await Scenario.SignedContractAsync();
        ContractGrowerId = await Scenario.GrowerAsync(SignedContractId);
        // The other cooperative is a real one, onboarded like ours: what refuses its requests is ownership, not a missing profile.
        await Scenario.OnboardAsync(System, "otherco");
        var otherOfficer = await System.AsAsync("officer", "officer-x", "otherco");
        var otherGrower = await Scenario.PostAsync(otherOfficer, "/api/v1/growing/growers", new { name = "何伯", phone = "13622225555", town = "恩平市大田镇", village = "朗南村" });
        var otherPlot = await Scenario.PostAsync(otherOfficer, "/api/v1/growing/plots", new { growerId = otherGrower.GetProperty("id").GetGuid(), areaM2 = 3000m, location = "朗南村" });
        OtherCooperativesContractId = await ContractAsync(otherOfficer, otherGrower.GetProperty("id").GetGuid(), otherPlot.GetProperty("id").GetGuid(), "sign");
        await Eventually.Until(() => System.ScalarAsync<long>("Cooperative", "select count(*) from contract_terms where contract_id = @id and cooperative_id = 'otherco'",
            new { id = OtherCooperativesContractId }), n => n == 1, TimeSpan.FromSeconds(60), "the other cooperative's signed contract known to the Cooperative");

        var (orderId, codes) = await Scenario.PackedOrderAsync(boxes: 2);
        OrderId = orderId;
        TraceCode = codes[0];
        var pickupId = await Scenario.AcceptPickupAsync(orderId);
        var shipment = await Scenario.CollectAsync(pickupId, codes);
        MasterWaybillNo = shipment.GetProperty("masterWaybillNo").GetString()!;
        BuyerId = await System.ScalarAsync<Guid>("Cooperative", "select buyer_id from orders where id = @orderId", new { orderId });
        var receiptId = await System.ScalarAsync<Guid>("Cooperative", "select id from receipts order by received_at limit 1");
        var growerId = await System.ScalarAsync<Guid>("Cooperative", "select grower_id from receipts where id = @receiptId", new { receiptId });
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var settlement = await Scenario.PostAsync(Scenario.Clerk, "/api/v1/cooperative/settlements",
            new { from = today.AddDays(-7).ToString("yyyy-MM-dd"), to = today.AddDays(-1).ToString("yyyy-MM-dd") }, key: Guid.NewGuid().ToString());
        Ids["cooperative/growers/{id}"] = growerId.ToString();
        Ids["cooperative/receipts/{id}"] = receiptId.ToString();
        Ids["cooperative/orders/{id}"] = orderId.ToString();
        Ids["cooperative/settlements/{id}"] = settlement.GetProperty("id").GetString()!;
        Ids["cooperative/claims/{id}"] = Guid.NewGuid().ToString();   // the seeded season delivers nothing, so no claim is filed: reads meet 404
        Ids["{growerId}"] = growerId.ToString();
        Ids["dispatch/pickups/{id}"] = pickupId.ToString();
        Ids["dispatch/shipments/{id}"] = shipment.GetProperty("id").GetString()!;
        Ids["dispatch/carriers/{carrier}"] = "sf";   // a carrier's name, not a seeded row
        Ids["{waybillNo}"] = MasterWaybillNo;
        Ids["{traceCode}"] = TraceCode;
        // A surplus return needs a year of settled volume, which the seeded season (booked, never delivered) has none of.
        Ids["cooperative/surplus-returns/{id}"] = (await System.ScalarAsync<Guid>("Cooperative",
            """
            insert into surplus_returns (id, cooperative_id, year, distributable_fen, volume_share_bps, by_volume_fen, retained_fen, returned_at, returned_by)
            values (gen_random_uuid(), @Coop, 2024, 100000, 6000, 60000, 40000, now(), 'seed') returning id
            """, new { Coop = MelonSystem.Cooperative })).ToString();
        await Eventually.Found(Scenario.Clerk, $"/api/v1/tracking/shipments/{MasterWaybillNo}", _ => true, TimeSpan.FromSeconds(30), "Tracking to know the shipment");
    }

    /// <summary>A contract drafted for the grower's plot and then moved (<c>sign</c> or <c>terminate</c>).</summary>
    private async Task<Guid> ContractAsync(HttpClient officer, Guid growerId, Guid plotId, string move)
    {
        var contract = await Scenario.PostAsync(officer, "/api/v1/growing/contracts", new
        {
            growerId, plotId, season = "2026-autumn", variety = "杜阮凉瓜",
            seedlings = 800, expectedKg = 500m, minPriceFenPerKg = new { premium = 900, grade1 = 700, grade2 = 500, offgrade = 200 },
        });
        var id = contract.GetProperty("id").GetGuid();
        await Scenario.PostAsync(officer, $"/api/v1/growing/contracts/{id}/{move}", new { });
        return id;
    }

    /// <summary>
    /// The path with each parameter replaced by the seeded row's id (so an attack hits a row that exists); a parameter
    /// no seeded row answers makes the test fail, so a new endpoint cannot slip through with a made-up id.
    /// </summary>
    public string Concrete(string path)
    {
        var parameter = new Regex("{([^}]+)}");
        return parameter.Replace(path, m =>
        {
            var before = path[..m.Index].TrimEnd('/');
            var resource = string.Join('/', before.Split('/').TakeLast(2)) + "/" + m.Value;
            if (Ids.TryGetValue(resource, out var id) || Ids.TryGetValue(m.Value, out id)) return Uri.EscapeDataString(id);
            throw new InvalidOperationException($"No seeded row for {m.Value} in {path}: add one to SecuredSystem.");
        });
    }

    /// <summary>Every operation of a service's OpenAPI document (served through the Gateway), with its request schema.</summary>
    public async Task<IReadOnlyList<Operation>> OperationsAsync(string service)
    {
        var document = await DocumentAsync(service);
        return (from path in document.GetProperty("paths").EnumerateObject()
                from operation in path.Value.EnumerateObject()
                where operation.Name is "get" or "post" or "put" or "delete" or "patch"
                select new Operation(service, operation.Name.ToUpperInvariant(), path.Name, operation.Value.Clone(), document)).ToList();
    }

    /// <summary>A service's whole OpenAPI document, as the Gateway serves it.</summary>
    public async Task<JsonElement> DocumentAsync(string service)
    {
        var cluster = service switch { "Cooperative" => "cooperative", "ContractGrowing" => "growing", "Dispatch" => "dispatch", _ => "tracking" };
        return JsonDocument.Parse(await Anonymous.GetStringAsync($"/swagger/{cluster}/v1/swagger.json")).RootElement.Clone();
    }

    /// <summary>Messages waiting in (or being handled from) one consumer's queue.</summary>
    public async Task<long> WaitingAsync(string queue) => (await _vhost.QueueAsync(queue)).Ready;

    public Task<HttpClient> AdminOf(string cooperative) => System.AsAsync("admin", "admin-" + cooperative, cooperative);

    public async Task<Dictionary<string, DatabaseSnapshot>> SnapshotAsync()
    {
        var snapshots = new Dictionary<string, DatabaseSnapshot>();
        foreach (var (service, db) in System.Databases)
            // growers.link_digest: the digest of a grower's private link, kept when the clerk first asks for the link (a
            // read); it is derived from the member, its link version and the server's secret, and changes nothing a person sees.
            snapshots[service] = await DatabaseSnapshot.TakeAsync(db.ConnectionString, "shipments.last_route_at", "growers.link_digest");
        return snapshots;
    }

    /// <summary>What changed in any service's database since <paramref name="before"/>.</summary>
    public async Task<IReadOnlyList<string>> WrittenSinceAsync(Dictionary<string, DatabaseSnapshot> before)
    {
        var after = await SnapshotAsync();
        return before.SelectMany(b => b.Value.Differences(after[b.Key]).Select(d => $"{b.Key}.{d}")).ToList();
    }

    /// <summary>A client whose connections come from another loopback address (127.0.0.x): another person on the internet.</summary>
    public HttpClient From(string address) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    }) { BaseAddress = System.Gateway };

    public async Task DisposeAsync()
    {
        if (System is not null) await System.DisposeAsync();
        if (_vhost is not null) await _vhost.DisposeAsync();
    }
}

public sealed record Operation(string Service, string Method, string Path, JsonElement Spec, JsonElement Document)
{
    public bool IsPublic => Path.Contains("/public/");
    /// <summary>A carrier's signed push (routes, billed fees): no token, the carrier's signature instead.</summary>
    public bool IsCarrierPush => Path.EndsWith("/carriers/{carrier}/routes") || Path.EndsWith("/carriers/{carrier}/fees");
    public bool HasBody => Spec.TryGetProperty("requestBody", out _);
    public bool IsWrite => Method != "GET";

    /// <summary>Whether the document says the operation needs no token (<c>security: []</c>).</summary>
    public bool IsAnonymous => Spec.TryGetProperty("security", out var s) && s.GetArrayLength() == 0;

    /// <summary>The roles the document says may call the operation (<c>x-roles</c>), or null when it names none.</summary>
    public IReadOnlyList<string>? Roles =>
        Spec.TryGetProperty("x-roles", out var roles) ? roles.EnumerateArray().Select(r => r.GetString()!).ToList() : null;

    /// <summary>The request body's schema, with references resolved; null when the operation takes no body.</summary>
    public JsonElement? BodySchema =>
        Spec.TryGetProperty("requestBody", out var body) && body.TryGetProperty("content", out var content)
        && content.TryGetProperty("application/json", out var json) && json.TryGetProperty("schema", out var schema) ? Resolve(schema) : null;

    /// <summary>A schema with its <c>$ref</c> followed into the document's components.</summary>
    public JsonElement Resolve(JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
            schema = Document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        return schema;
    }

    public override string ToString() => $"{Method} {Path}";
}
