using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using MelonChain.Messages;
using MelonChain.Messages.ContractGrowing;
using MelonChain.Messages.Cooperative;
using MelonChain.Messages.Dispatch;
using MelonChain.ServiceDefaults.Security;
using MelonChain.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MelonChain.Tracking.Tests;

/// <summary>Tracking on its own database and virtual host; events arrive through RabbitMQ as the other services send them.</summary>
public class TrackingFixture : IAsyncLifetime
{
    public TestDatabase Db { get; private set; } = null!;
    public TestVirtualHost Broker { get; private set; } = null!;
    public ServiceHost<Program> Tracking { get; private set; } = null!;

    public virtual IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimits:PublicPerMinute"] = "100000" };

    public async Task InitializeAsync()
    {
        Db = TestDatabase.Create("tracking");
        Broker = await TestVirtualHost.CreateAsync("tracking");
        Tracking = new ServiceHost<Program>(Db.ConnectionString, Broker.ConnectionString, Settings);
        await BeforeStartAsync();
        await Tracking.StartAsync();
    }

    /// <summary>A chance to configure the host (e.g. a real Kestrel port) before it starts.</summary>
    protected virtual Task BeforeStartAsync() => Task.CompletedTask;

    public async Task PublishAsync(IEnumerable<IEvent> events)
    {
        var bus = Tracking.Services.GetRequiredService<IBus>();
        foreach (var e in events)
            await bus.Publish(e, e.GetType(), ctx => ctx.MessageId = e.EventId);
    }

    public HttpClient Buyer(Guid buyerId) => Tracking.As(Roles.Buyer, "buyer-" + buyerId.ToString()[..4], buyerId: buyerId.ToString());

    public Task<JsonElement> WaitForStatusAsync(HttpClient client, string waybillNo, string status) =>
        Eventually.Found(client, $"/api/v1/tracking/shipments/{waybillNo}",
            j => j.GetProperty("shipment").GetProperty("status").GetString() == status, TimeSpan.FromSeconds(30), $"{waybillNo} {status}");

    /// <summary>
    /// The whole story told: delivered, every carrier scan on the timeline and the promise judged. Consumers run in
    /// parallel, so "delivered" can be read before the last scans are; a test that reads the timeline waits for this.
    /// </summary>
    public Task<JsonElement> WaitForWholeStoryAsync(ShipmentStory story) =>
        Eventually.Found(Buyer(story.BuyerId), $"/api/v1/tracking/shipments/{story.MasterWaybill}",
            j => j.GetProperty("shipment").GetProperty("status").GetString() == "delivered"
                 && j.GetProperty("shipment").GetProperty("onTime").ValueKind is JsonValueKind.True or JsonValueKind.False
                 && j.GetProperty("timeline").GetArrayLength() == story.Events.OfType<ShipmentStatusChanged>().Count(),
            TimeSpan.FromSeconds(30), $"{story.MasterWaybill}: every scan and the delivery");

    public async Task DisposeAsync()
    {
        await Tracking.DisposeAsync();
        await Db.DisposeAsync();
        await Broker.DisposeAsync();
    }
}

/// <summary>One season's shipment as the other services tell it: requested, booked, carried, delivered.</summary>
public sealed record ShipmentStory(Guid OrderId, Guid BuyerId, string MasterWaybill, string ChildWaybill, string[] TraceCodes,
    Guid ContractId, IReadOnlyList<IEvent> Events)
{
    public const string Coop = "shangxiang";
    public const string ContactName = "王经理";
    public const string Phone = "13911112222";
    public const string Street = "朝阳区建国路88号";

    public static ShipmentStory Create(DateTimeOffset collectedAt, bool late = false, string coop = Coop)
    {
        var orderId = Guid.NewGuid();
        var buyerId = Guid.NewGuid();
        var shipmentId = Guid.NewGuid();
        var contractId = Guid.NewGuid();
        var suffix = Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999).ToString();
        var master = "SF" + suffix;
        var child = "SF" + (long.Parse(suffix) - 1);
        var codes = new[] { Code(), Code() };
        var harvested = DateOnly.FromDateTime(collectedAt.AddHours(8).Date).AddDays(-1);
        var sources = new[]
        {
            new BoxSource(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "SX-007", "上巷村", null, harvested, 3_000),
            new BoxSource(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "EP-012", "恩平大田", contractId, harvested.AddDays(-1), 2_000),
        };
        var at = collectedAt;
        var promised = collectedAt.AddDays(2);
        var deliveredAt = late ? promised.AddHours(5) : collectedAt.AddHours(40);
        var events = new List<IEvent>
        {
            new ContractSigned(Guid.NewGuid(), at.AddDays(-60), coop, contractId, Guid.NewGuid(), "恩平市大田镇", 4_000, "2026-autumn", 3_000_000,
                new Dictionary<string, long> { ["premium"] = 900, ["grade1"] = 700, ["grade2"] = 500, ["offgrade"] = 200 }, "DR-2026-01"),
            new SeedlingsIssued(Guid.NewGuid(), at.AddDays(-59), coop, contractId, "DR-2026-01", "杜阮育苗场", "杜阮北芦村母本田", 1_500, harvested.AddDays(-70)),
            new ShipmentRequested(Guid.NewGuid(), at.AddHours(-3), coop, orderId, buyerId,
                new Destination("北京", Street, ContactName, Phone), "express",
                codes.Select(c => new RequestedBox(c, "grade1", 5_000, 40, 30, 25, sources)).ToList()),
            new ShipmentBooked(Guid.NewGuid(), at, coop, shipmentId, orderId, buyerId, "SF", "express", master,
                [new BookedWaybill(master, codes[0]), new BookedWaybill(child, codes[1])], 10_000, 14_000, 10_500, promised),
            Status(coop, shipmentId, orderId, master, "picked_up", at.AddMinutes(30), "江门市", "50"),
            Status(coop, shipmentId, orderId, master, "in_transit", at.AddHours(6), "广州转运中心", "30"),
            Status(coop, shipmentId, orderId, master, "in_transit", at.AddHours(26), "北京顺义集散中心", "31"),
            Status(coop, shipmentId, orderId, master, "out_for_delivery", deliveredAt.AddHours(-3), "北京朝阳", "44"),
            Status(coop, shipmentId, orderId, master, "delivered", deliveredAt, "北京朝阳", "80"),
            new ShipmentDelivered(Guid.NewGuid(), deliveredAt, coop, shipmentId, orderId, deliveredAt, promised, deliveredAt <= promised),
        };
        return new ShipmentStory(orderId, buyerId, master, child, codes, contractId, events);
    }

    private static ShipmentStatusChanged Status(string coop, Guid shipmentId, Guid orderId, string waybill, string status, DateTimeOffset at, string location, string code) =>
        new(Guid.NewGuid(), at, coop, shipmentId, orderId, waybill, status, at, location, code, "快件已签收 签收人: " + ContactName);

    private static string Code()
    {
        const string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        return new string(Enumerable.Range(0, 10).Select(_ => alphabet[Random.Shared.Next(alphabet.Length)]).ToArray());
    }
}
