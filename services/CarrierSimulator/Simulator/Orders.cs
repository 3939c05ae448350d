namespace MelonChain.CarrierSimulator.Simulator;

/// <summary>The carriers the simulator speaks for; each keeps its own orderIds.</summary>
public static class Carriers
{
    public const string Sf = "sf";
    public const string Jd = "jd";
}

/// <summary>What a create request asks for, once read from the carrier's own payload.</summary>
public sealed record Booking(
    string Carrier, string OrderId, string Product, int Parcels, long TotalGrams, long VolumeCm3,
    string SenderCity, string SenderAddress, string ReceiverCity, DateTimeOffset? PickupFrom, string Request);

public sealed class SimOrder(Booking booking, IReadOnlyList<string> waybills, DateTimeOffset bookedAt, TimeSpan pickupOffset, IReadOnlyList<PlannedRoute> plan,
    TimeSpan advancedAtBooking = default, int promisedDays = 2)
{
    private readonly List<string> _waybills = [.. waybills];

    public Booking Booking { get; } = booking;
    public string Carrier => Booking.Carrier;
    public string OrderId => Booking.OrderId;
    public string Product => Booking.Product;

    /// <summary>SF: master first, then children (more may be added before routes). JD: the one deliveryId.</summary>
    public IReadOnlyList<string> Waybills { get { lock (_waybills) return [.. _waybills]; } }

    /// <summary>Parcels: one per SF waybill; JD's packageCount.</summary>
    public int Parcels => Carrier == Carriers.Sf ? Waybills.Count : Booking.Parcels;

    public DateTimeOffset BookedAt { get; } = bookedAt;

    /// <summary>Simulated time from booking to pickup (SF opCode 50, JD 揽收).</summary>
    public TimeSpan PickupOffset { get; } = pickupOffset;
    public IReadOnlyList<PlannedRoute> Plan { get; set; } = plan;

    /// <summary>How the order ends (<see cref="Fates"/>); delivered unless an admin decided otherwise.</summary>
    public string Fate { get; set; } = Fates.Delivered;

    /// <summary>How far the admin had moved the clock when this order was booked: only later moves age it.</summary>
    public TimeSpan AdvancedAtBooking { get; } = advancedAtBooking;

    public int PromisedDays { get; } = promisedDays;
    public bool Cancelled { get; set; }

    /// <summary>SF waybills subscribed through EXP_RECE_REGISTER_ROUTE (every order is pushed anyway).</summary>
    public HashSet<string> Subscribed { get; } = [];
    public HashSet<int> Acked { get; } = [];
    public DateTimeOffset NextPushAt { get; set; }

    /// <summary>
    /// Create requests that arrived for this orderId after it existed. The carrier answers them 8016 (SF) or 106 (JD),
    /// but a client that sends one relies on that: a carrier that did not key orders by orderId would have made a second order.
    /// </summary>
    public int DuplicateCreates { get; set; }

    public void AddWaybills(IEnumerable<string> more) { lock (_waybills) _waybills.AddRange(more); }

    private readonly List<BillVersion> _bills = [];

    /// <summary>What the carrier bills for the order, version by version (<see cref="Billing"/>); each due at its offset.</summary>
    public IReadOnlyList<BillVersion> Bills { get { lock (_bills) return [.. _bills]; } }

    public void AddBill(BillVersion bill) { lock (_bills) _bills.Add(bill); }

    /// <summary>SF bill versions the subscriber acknowledged.</summary>
    public HashSet<int> BillsAcked { get; } = [];
    public DateTimeOffset NextBillPushAt { get; set; }
}

/// <summary>
/// The simulator's in-memory state and virtual clock. A booked order's route is planned at booking in simulated
/// time (offsets from the booking instant); one simulated day passes every <c>Simulator:SecondsPerDay</c> real
/// seconds, and each record is stamped booking time + its offset.
/// </summary>
public sealed class OrderBook(IConfiguration config, TimeProvider clock)
{
    private readonly object _gate = new();
    private readonly Dictionary<(string Carrier, string OrderId), SimOrder> _orders = new();
    private readonly Dictionary<string, SimOrder> _byWaybill = new();
    private long _nextWaybill = Random.Shared.NextInt64(1_000_000_000_000L, 8_000_000_000_000L);

    public double Acceleration => 86_400.0 / config.GetValue("Simulator:SecondsPerDay", 10.0);

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>A fresh waybill number: the carrier's prefix and 13 digits.</summary>
    public string NextWaybill(string prefix) => prefix + Interlocked.Increment(ref _nextWaybill).ToString("D13");

    /// <summary>
    /// Books the order, or returns (existing, false) when the carrier already has this orderId (SF 8016, JD 106).
    /// Pickup comes 1 simulated hour after booking, or at the pickup time asked for if that is later.
    /// </summary>
    public (SimOrder Order, bool Created) Create(Booking booking, Faults faults)
    {
        lock (_gate)
        {
            if (_orders.TryGetValue((booking.Carrier, booking.OrderId), out var existing))
            {
                existing.DuplicateCreates++;
                return (existing, false);
            }
            var now = Now;
            var pickup = TimeSpan.FromHours(1);
            if (booking.PickupFrom is { } from && from - now > pickup) pickup = from - now;
            var days = Tariff.Find(booking.Product, booking.SenderCity, booking.ReceiverCity)?.PromisedDays ?? 2;
            var (plan, waybills) = booking.Carrier == Carriers.Sf
                ? (RoutePlan.Sf(booking.SenderCity, booking.SenderAddress, booking.ReceiverCity, pickup, days, faults.Delivery),
                   Enumerable.Range(0, booking.Parcels).Select(_ => NextWaybill("SF")).ToList())
                : (RoutePlan.Jd(booking.SenderCity, booking.SenderAddress, booking.ReceiverCity, pickup, days, faults.Delivery),
                   [NextWaybill("JD")]);
            var order = new SimOrder(booking, waybills, now, pickup, plan, Advanced, days);
            foreach (var bill in Billing.Plan(order, config.GetValue("Simulator:Fees:RevisedShare", 0.0))) order.AddBill(bill);
            _orders[(booking.Carrier, booking.OrderId)] = order;
            foreach (var w in waybills) _byWaybill[w] = order;
            return (order, true);
        }
    }

    /// <summary>More SF child waybills for an order, registered so routes and pushes find them.</summary>
    public IReadOnlyList<string> AddChildWaybills(SimOrder order, int count)
    {
        lock (_gate)
        {
            var more = Enumerable.Range(0, count).Select(_ => NextWaybill("SF")).ToList();
            order.AddWaybills(more);
            foreach (var w in more) _byWaybill[w] = order;
            return more;
        }
    }

    public SimOrder? Find(string carrier, string orderId) { lock (_gate) return _orders.GetValueOrDefault((carrier, orderId)); }

    public SimOrder? ByWaybill(string waybillNo) { lock (_gate) return _byWaybill.GetValueOrDefault(waybillNo); }

    public IReadOnlyList<SimOrder> All() { lock (_gate) return _orders.Values.ToList(); }

    private long _advancedTicks;

    /// <summary>Simulated time added by <c>POST /admin/clock</c>, on top of the accelerated real clock.</summary>
    public TimeSpan Advanced => TimeSpan.FromTicks(Interlocked.Read(ref _advancedTicks));

    public TimeSpan Advance(TimeSpan by) => TimeSpan.FromTicks(Interlocked.Add(ref _advancedTicks, by.Ticks));

    /// <summary>Simulated time since the simulator started (accelerated real time plus the admin's moves).</summary>
    public TimeSpan SimulatedNow => TimeSpan.FromTicks((long)((Now - _started).Ticks * Acceleration)) + Advanced;

    private readonly DateTimeOffset _started = clock.GetUtcNow();

    public TimeSpan SimulatedElapsed(SimOrder order) =>
        TimeSpan.FromTicks((long)((Now - order.BookedAt).Ticks * Acceleration)) + (Advanced - order.AdvancedAtBooking);

    /// <summary>
    /// Decides how the order ends: its route from now on is the fate's (what is already due stays as it was). False when
    /// its last record is already due (the order has ended; its fate cannot change).
    /// </summary>
    public bool SetFate(SimOrder order, string fate)
    {
        lock (_gate)
        {
            if (order.Fate == fate) return true;
            if (Due(order).Count == order.Plan.Count) return false;
            var b = order.Booking;
            order.Plan = order.Carrier == Carriers.Sf
                ? RoutePlan.Sf(b.SenderCity, b.SenderAddress, b.ReceiverCity, order.PickupOffset, order.PromisedDays, null, fate)
                : RoutePlan.Jd(b.SenderCity, b.SenderAddress, b.ReceiverCity, order.PickupOffset, order.PromisedDays, null, fate);
            order.Fate = fate;
            return true;
        }
    }

    /// <summary>The records whose simulated time has come.</summary>
    public IReadOnlyList<PlannedRoute> Due(SimOrder order)
    {
        var elapsed = SimulatedElapsed(order);
        return order.Plan.Where(r => r.Offset <= elapsed).ToList();
    }

    public bool PickedUp(SimOrder order) => SimulatedElapsed(order) >= order.PickupOffset;

    /// <summary>The bill versions whose simulated time has come, oldest first.</summary>
    public IReadOnlyList<BillVersion> DueBills(SimOrder order)
    {
        var elapsed = SimulatedElapsed(order);
        return order.Bills.Where(b => b.Offset <= elapsed).OrderBy(b => b.Version).ToList();
    }

    /// <summary>Bills a further version of the order at <paramref name="amountFen"/>, due now (or at pickup, if that is still ahead).</summary>
    public BillVersion Rebill(SimOrder order, long amountFen)
    {
        lock (_gate)
        {
            var offset = SimulatedElapsed(order) > order.PickupOffset ? SimulatedElapsed(order) : order.PickupOffset;
            var bill = new BillVersion(order.Bills.Select(b => b.Version).DefaultIfEmpty(0).Max() + 1, amountFen, offset, "admin");
            order.AddBill(bill);
            return bill;
        }
    }

    public static DateTimeOffset StampOf(SimOrder order, PlannedRoute route) => order.BookedAt + route.Offset;
}
