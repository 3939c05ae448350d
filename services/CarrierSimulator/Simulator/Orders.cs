using MelonChain.Dispatch.Features.Carrier;
using MelonChain.Dispatch.Features.Rates;

namespace MelonChain.CarrierSimulator.Simulator;

/// <summary>A route record the carrier will report: when (simulated offset from booking), what and where.</summary>
public sealed record PlannedRoute(int Seq, TimeSpan Offset, string OpCode, string Address, string Remark);

public sealed class SimOrder(string orderId, IReadOnlyList<string> waybills, string product, string destinationCity,
    DateTimeOffset bookedAt, IReadOnlyList<PlannedRoute> plan, string request)
{
    public string OrderId { get; } = orderId;
    public IReadOnlyList<string> Waybills { get; } = waybills;
    public string Product { get; } = product;
    public string DestinationCity { get; } = destinationCity;
    public DateTimeOffset BookedAt { get; } = bookedAt;
    public IReadOnlyList<PlannedRoute> Plan { get; } = plan;
    public string Request { get; } = request;
    public bool Cancelled { get; set; }
    public HashSet<int> Acked { get; } = [];

    /// <summary>
    /// Create requests that arrived for this orderId after it existed. SF answers them 8016, but a client that sends
    /// one relies on that: a carrier that did not key orders by orderId would have made a second order.
    /// </summary>
    public int DuplicateCreates { get; set; }
    public DateTimeOffset NextPushAt { get; set; }
}

/// <summary>
/// The simulator's in-memory state and virtual clock. A booked order's route is planned at booking in
/// simulated time (offsets from the booking instant); one simulated day passes every
/// <c>Simulator:SecondsPerDay</c> real seconds, and each record is stamped booking time + its offset.
/// </summary>
public sealed class OrderBook(IConfiguration config, TimeProvider clock)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, SimOrder> _orders = new();
    private readonly Dictionary<string, SimOrder> _byWaybill = new();
    private long _nextWaybill = 1_000_000_000_000L + Random.Shared.NextInt64(1_000_000_000_000L, 8_000_000_000_000L);

    public double Acceleration => 86_400.0 / config.GetValue("Simulator:SecondsPerDay", 10.0);

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Creates the order, or returns (existing, false) when the orderId is taken (SF 8016).</summary>
    public (SimOrder Order, bool Created) Create(string orderId, int parcels, string product, string destinationCity, Faults faults, string request)
    {
        lock (_gate)
        {
            if (_orders.TryGetValue(orderId, out var existing))
            {
                existing.DuplicateCreates++;
                return (existing, false);
            }
            var waybills = Enumerable.Range(0, parcels).Select(_ => "SF" + Interlocked.Increment(ref _nextWaybill).ToString("D13")).ToList();
            var order = new SimOrder(orderId, waybills, product, destinationCity, Now, PlanRoute(product, destinationCity, faults.Delivery), request);
            _orders[orderId] = order;
            foreach (var w in waybills) _byWaybill[w] = order;
            return (order, true);
        }
    }

    public SimOrder? Find(string orderId) { lock (_gate) return _orders.GetValueOrDefault(orderId); }

    public SimOrder? ByWaybill(string waybillNo) { lock (_gate) return _byWaybill.GetValueOrDefault(waybillNo); }

    public IReadOnlyList<SimOrder> All() { lock (_gate) return _orders.Values.ToList(); }

    /// <summary>The records whose simulated time has come.</summary>
    public IReadOnlyList<PlannedRoute> Due(SimOrder order)
    {
        var simulatedElapsed = TimeSpan.FromTicks((long)((Now - order.BookedAt).Ticks * Acceleration));
        return order.Plan.Where(r => r.Offset <= simulatedElapsed).ToList();
    }

    public static DateTimeOffset StampOf(SimOrder order, PlannedRoute route) => order.BookedAt + route.Offset;

    /// <summary>
    /// Picked up → departed Jiangmen hub → arrived/departed Guangzhou hub → arrived destination → out for delivery
    /// → delivered, paced so that delivery lands 4 h before the product's promise (or after it when late).
    /// </summary>
    public static IReadOnlyList<PlannedRoute> PlanRoute(string product, string destinationCity, string? delivery)
    {
        var days = RateCalculator.Find(RateCalculator.DefaultCard, product, destinationCity)?.PromisedDays ?? 2;
        var city = RateCalculator.NormalizeDestination(destinationCity);
        var cn = city switch { "Beijing" => "北京", "Shanghai" => "上海", _ => city };
        var deliverAt = delivery == "late" ? TimeSpan.FromHours(days * 24 + 12) : TimeSpan.FromHours(days * 24 - 4);
        var last = delivery == "failed"
            ? new PlannedRoute(7, deliverAt, "70", $"{cn}市", "快件派送不成功 (收件人不在)")
            : new PlannedRoute(7, deliverAt, "80", $"{cn}市", "快件已签收");
        return
        [
            new(1, TimeSpan.FromHours(1), "50", "江门市蓬江区杜阮镇", "顺丰速运 已收取快件"),
            new(2, TimeSpan.FromHours(4), "30", "江门市", "快件已发车 (江门集散中心)"),
            new(3, TimeSpan.FromHours(7), "31", "广州市", "快件到达 广州集散中心"),
            new(4, TimeSpan.FromHours(9), "36", "广州市", "快件已发车 (广州集散中心)"),
            new(5, deliverAt - TimeSpan.FromHours(10), "31", $"{cn}市", $"快件到达 {cn}集散中心"),
            new(6, deliverAt - TimeSpan.FromHours(4), "44", $"{cn}市", "快件交给派送员，正在派送途中"),
            last,
        ];
    }
}
