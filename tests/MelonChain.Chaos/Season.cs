using System.Net.Http.Json;
using System.Text.Json;

namespace MelonChain.Chaos;

/// <summary>What the season did, counted (both cooperatives together).</summary>
public sealed class SeasonCounts
{
    private readonly SortedDictionary<string, int> _counts = new();
    private readonly List<string> _unexpected = [];

    public void Add(string what, int n = 1) { lock (_counts) _counts[what] = _counts.GetValueOrDefault(what) + n; }
    public void Unexpected(string what) { lock (_unexpected) _unexpected.Add(what); }
    public int this[string what] { get { lock (_counts) return _counts.GetValueOrDefault(what); } }
    public IReadOnlyDictionary<string, int> All { get { lock (_counts) return new SortedDictionary<string, int>(_counts); } }
    public IReadOnlyList<string> UnexpectedAnswers { get { lock (_unexpected) return [.. _unexpected]; } }
}

/// <summary>
/// One cooperative's generated season through the Gateway, as its people do it, day after day until the time is up:
/// the clerk receives and grades a random number of deliveries from random members (and, for Shangxiang, an Enping
/// contract grower), places orders to random buyers in Beijing and Shanghai, packs them (cancelling some, before or
/// after packing), the courier accepts and collects each pickup (a dispatcher moving some to JD), the carrier delivers
/// on its accelerated clock, and every other day the clerk settles the period. Every POST carries an Idempotency-Key
/// and is retried with it through the faults (<see cref="Api"/>). All draws come from the seed.
/// </summary>
public sealed class CooperativeSeason(MelonSystem system, string cooperative, object profile, Random random, SeasonCounts counts, Action<string> log)
{
    private static readonly string[] Grades = ["premium", "grade1", "grade2"];
    private static readonly Dictionary<string, long> PriceFenPerKg = new() { ["premium"] = 2400, ["grade1"] = 1800, ["grade2"] = 1200 };

    private readonly HttpClient _simulator = new() { BaseAddress = system["CarrierSimulator"].BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
    private readonly List<Guid> _growers = [];
    private readonly List<(Guid Id, string City, string Address, string Contact, string Phone)> _buyers = [];
    private HttpClient _clerk = null!, _courier = null!, _dispatcher = null!;
    private Guid? _contractGrower;
    private int _seq;
    private DateOnly? _settledTo;

    public string Cooperative => cooperative;

    /// <summary>Receipts the clerk was answered 201 for: each must exist once.</summary>
    public List<Guid> Receipts { get; } = [];

    private string Key(string what) => $"{cooperative}-{what}-{Interlocked.Increment(ref _seq)}";

    /// <summary>The same caller with a 30 s timeout per request (a token client has already sent its first request).</summary>
    private static HttpClient Patient(HttpClient client)
    {
        var patient = new HttpClient { BaseAddress = client.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        patient.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
        client.Dispose();
        return patient;
    }

    /// <summary>Onboarding, members, buyers (and a signed Enping contract for Shangxiang), before the first fault.</summary>
    public async Task SetUpAsync(int members)
    {
        var admin = await system.AsAsync("admin", "admin-1", cooperative);
        await Scenario.OnboardAsync(system, cooperative, profile);
        _clerk = Patient(await system.AsAsync("clerk", "clerk-1", cooperative));
        _courier = Patient(await system.AsAsync("courier", "courier-a", cooperative, courierId: Scenario.CourierId));
        _dispatcher = Patient(await system.AsAsync("dispatcher", "dispatcher-1", cooperative));
        var prefix = cooperative == MelonSystem.Cooperative ? "SX" : "CQ";
        for (var i = 1; i <= members; i++)
        {
            var grower = await Api.PostAsync(_clerk, "/api/v1/cooperative/growers",
                new { memberNo = $"{prefix}-{i:D3}", name = $"社员{i}", phone = $"1380013{i:D4}", village = cooperative == MelonSystem.Cooperative ? "上巷村" : "长乔村", kind = "member" },
                Key("grower"));
            _growers.Add(Expect(grower, "register a member").GetProperty("id").GetGuid());
        }
        if (cooperative == MelonSystem.Cooperative)
        {
            var contractId = await Scenario.StartAsync(system, cooperative, onboard: false).ContinueWith(s => s.Result.SignedContractAsync()).Unwrap();
            var grower = await Api.PostAsync(_clerk, "/api/v1/cooperative/growers", new { memberNo = "EP-001", kind = "contract", contractId }, Key("grower"));
            _contractGrower = Expect(grower, "register the contract grower").GetProperty("id").GetGuid();
        }
        (string City, string Address, string Name)[] buyers =
            [("北京", "朝阳区建国路88号", "京味轩餐饮"), ("北京", "丰台区新发地", "新发地批发"), ("上海", "徐汇区漕溪北路398号", "沪上鲜果蔬")];
        foreach (var (city, address, name) in buyers)
        {
            var phone = $"139{random.Next(10_000_000, 99_999_999)}";
            var buyer = await Api.PostAsync(_clerk, "/api/v1/cooperative/buyers", new { name, city, address, contactName = "王经理", phone }, Key("buyer"));
            _buyers.Add((Expect(buyer, "register a buyer").GetProperty("id").GetGuid(), city, address, "王经理", phone));
        }
    }

    private static JsonElement Expect(Answer answer, string what) =>
        answer.Ok ? answer.Json : throw new InvalidOperationException($"{what}: {answer}");

    /// <summary>Days of receipts, gradings, orders and pickups until <paramref name="until"/>, settling every other day.</summary>
    public async Task PlayAsync(DateTime until)
    {
        for (var day = 1; DateTime.UtcNow < until; day++)
        {
            try
            {
                await ReceiveAndGradeAsync(random.Next(3, 9));
                var orders = random.Next(1, 4);
                for (var i = 0; i < orders && DateTime.UtcNow < until; i++) await SellAsync();
                if (day % 2 == 0) await SettleAsync();
            }
            catch (Exception e)
            {
                counts.Unexpected($"{cooperative} day {day}: {e.Message}");
                log($"{cooperative}: day {day} broke off: {e.Message}");
            }
            counts.Add("days");
        }
    }

    private async Task ReceiveAndGradeAsync(int receipts)
    {
        for (var i = 0; i < receipts; i++)
        {
            var contract = _contractGrower is { } c && random.Next(6) == 0;
            var growerId = contract ? _contractGrower!.Value : _growers[random.Next(_growers.Count)];
            var grossKg = random.Next(40_000, 200_001) / 1000m;
            var shrink = random.Next(5, 26) / 1000m;
            var answer = await Api.PostAsync(_clerk, "/api/v1/cooperative/receipts", Scenario.Receipt(growerId, grossKg), Key("receipt"));
            if (!Ok(answer, "receipt")) continue;
            var receiptId = answer.Json.GetProperty("id").GetGuid();
            lock (Receipts) Receipts.Add(receiptId);
            counts.Add(contract ? "receipts (contract grower)" : "receipts");

            var graded = decimal.Round(grossKg * (1 - shrink), 3);
            var premium = decimal.Round(graded * 0.15m, 3);
            var grade1 = decimal.Round(graded * 0.55m, 3);
            var lines = new[] { new { grade = "premium", kg = premium }, new { grade = "grade1", kg = grade1 }, new { grade = "grade2", kg = graded - premium - grade1 } };
            if (Ok(await Api.PostAsync(_clerk, $"/api/v1/cooperative/receipts/{receiptId}/grading", new { lines }, Key("grading")), "grading"))
                counts.Add("gradings");
        }
    }

    /// <returns>Whether the order was collected.</returns>
    private async Task<bool> SellAsync(bool mayCancel = true, bool lose = false)
    {
        var buyer = _buyers[random.Next(_buyers.Count)];
        var grades = Grades.OrderBy(_ => random.Next()).Take(random.Next(1, 3)).ToList();
        var lines = grades.Select(g => new { grade = g, kg = 5m * random.Next(1, 9), priceFenPerKg = PriceFenPerKg[g] }).ToList();
        var placed = await Api.PostAsync(_clerk, "/api/v1/cooperative/orders", new
        {
            buyerId = buyer.Id,
            destination = new { city = buyer.City, address = buyer.Address, contactName = buyer.Contact, phone = buyer.Phone },
            lines,
        }, Key("order"));
        if (!Ok(placed, "order")) return false;
        var orderId = placed.Json.GetProperty("id").GetGuid();
        counts.Add("orders placed");

        if (mayCancel && random.Next(100) < 6)
        {
            if (Ok(await Api.PostAsync(_clerk, $"/api/v1/cooperative/orders/{orderId}/cancel", new { reason = "买家取消" }, Key("cancel")), "cancel a placed order"))
                counts.Add("orders cancelled before packing");
            return false;
        }
        var packed = await Api.PostAsync(_clerk, $"/api/v1/cooperative/orders/{orderId}/pack", new { allowOldLots = true }, Key("pack"));
        if (packed.Status == 409 && packed.Problem("insufficient-stock"))
        {
            counts.Add("orders short of stock (cancelled)");
            Ok(await Api.PostAsync(_clerk, $"/api/v1/cooperative/orders/{orderId}/cancel", new { reason = "库存不足" }, Key("cancel")), "cancel a short order");
            return false;
        }
        if (!Ok(packed, "pack")) return false;
        var traceCodes = packed.Json.GetProperty("boxes").EnumerateArray().Select(b => b.GetProperty("traceCode").GetString()!).ToList();
        counts.Add("orders packed");
        counts.Add("boxes packed", traceCodes.Count);

        if (mayCancel && random.Next(100) < 6)
        {
            // A packed order's cancellation is a request: its stock returns when Dispatch closes the pickup.
            if (Ok(await Api.PostAsync(_clerk, $"/api/v1/cooperative/orders/{orderId}/cancel", new { reason = "买家取消" }, Key("cancel")), "cancel a packed order"))
                counts.Add("orders cancelled after packing");
            return false;
        }
        var pickupId = await Api.PollAsync(() => system.ScalarAsync<Guid?>("Dispatch", "select id from pickups where order_id = @orderId", new { orderId }),
            id => id is not null, TimeSpan.FromMinutes(5));
        if (pickupId is null)
        {
            counts.Unexpected($"{cooperative}: no pickup opened for order {orderId} within 5 minutes");
            return false;
        }
        if (!Ok(await Api.PostAsync(_courier, $"/api/v1/dispatch/pickups/{pickupId}/accept", new { }, Key("accept")), "accept")) return false;
        var jd = !lose && random.Next(100) < 25;
        if (jd
            && Ok(await Api.SendAsync(_dispatcher, HttpMethod.Put, $"/api/v1/dispatch/pickups/{pickupId}/carrier", new { carrier = "jd" }), "choose JD"))
            counts.Add("pickups moved to JD");
        var collectKey = Key("collect");
        var collected = await Api.PostAsync(_courier, $"/api/v1/dispatch/pickups/{pickupId}/collect", new { traceCodes }, collectKey);
        for (var i = 0; collected.Status == 409 && i < 20; i++)   // the courier app's retries while a booking is still being made
        {
            await Task.Delay(1000);
            collected = await Api.PostAsync(_courier, $"/api/v1/dispatch/pickups/{pickupId}/collect", new { traceCodes }, collectKey);
        }
        if (!Ok(collected, "collect")) return false;
        counts.Add("pickups collected");
        if (!jd && (lose || (mayCancel && random.Next(100) < 4)))
        {
            // SF loses it (its fate, through the simulator's admin API, before the parcels leave the hub).
            var waybill = await Api.ReadAsync(() => system.ScalarAsync<string>("Dispatch", "select waybill_no from waybills where trace_code = @code", new { code = traceCodes[0] }));
            if (Ok(await Api.PostAsync(_simulator, $"/admin/waybills/{waybill}/fate", new { fate = "lost" }, Key("fate")), "lose a carrier order"))
                counts.Add("carrier orders lost");
        }
        return true;
    }

    /// <summary>
    /// Settles the next day: from the day after the last settled period (the first period from yesterday to today), once
    /// that day is allowed (today, or the latest delivery on the carrier's accelerated clock, which stamps each record at
    /// its booking plus the route's offsets: a delivery two days on, a loss seven). Orders that ended on a day already
    /// settled are carried over into the next period, so one-day periods keep days free for later settlements.
    /// </summary>
    private async Task SettleAsync(bool throughLatest = false)
    {
        var today = DateOnly.Parse(Scenario.ChinaToday);
        var from = _settledTo?.AddDays(1) ?? today.AddDays(-1);
        var latest = await Api.ReadAsync(() => system.ScalarAsync<DateTime?>("Cooperative",
            "select max(coalesce(delivered_at, ended_at)) from orders where cooperative_id = @cooperative", new { cooperative }));
        var latestDay = latest is { } l ? DateOnly.FromDateTime(l.ToUniversalTime().AddHours(8)) : today;
        var allowed = latestDay > today ? latestDay : today;
        // Mid-season periods stay within the deliveries' horizon (three days on), so a loss declared a week on (the close) is
        // always after them.
        if (allowed < from || (!throughLatest && from > today.AddDays(3))) return;
        var to = throughLatest ? allowed : _settledTo is null ? today : from;
        var answer = await Api.PostAsync(_clerk, "/api/v1/cooperative/settlements", new { from = from.ToString("yyyy-MM-dd"), to = to.ToString("yyyy-MM-dd") }, Key("settlement"));
        if (!Ok(answer, "settle")) return;
        _settledTo = to;
        counts.Add("settlements");
        log($"{cooperative}: settled {from:yyyy-MM-dd} – {to:yyyy-MM-dd}, {answer.Json.GetProperty("orders").GetInt32()} orders");
    }

    private async Task MoveCarrierClockAsync(int hours)
    {
        var answer = await Api.PostAsync(_simulator, "/admin/clock", new { advanceHours = Math.Clamp(hours, 0, 1440) }, Key("clock"));
        if (Ok(answer, "move the carrier's clock")) counts.Add("carrier clock moves");
    }

    /// <summary>
    /// The season's close, once everything has drained: while an order has ended and is not settled, one last small
    /// order is shipped and lost (its carrier declares it lost seven days after pickup, stamped then) and the carrier's
    /// clock moved on for it, so one last settlement through that day carries over every order not yet settled.
    /// </summary>
    public async Task CloseAsync()
    {
        Task<long> Ended(string where) => system.ScalarAsync<long>("Cooperative",
            $"select count(*) from orders where cooperative_id = @cooperative and ended_at is not null and cancelled_at is null {where}", new { cooperative });
        for (var attempt = 0; attempt < 3 && await Api.ReadAsync(() => Ended("and settlement_id is null")) > 0; attempt++)
        {
            var before = await Api.ReadAsync(() => Ended(""));
            await ReceiveAndGradeAsync(1);
            for (var i = 0; i < 5 && !await SellAsync(mayCancel: false, lose: true); i++) { }
            await MoveCarrierClockAsync(24 * 8);
            await Api.PollAsync(() => Ended(""), n => n > before, TimeSpan.FromMinutes(3));
            await SettleAsync(throughLatest: true);
        }
    }

    private bool Ok(Answer answer, string what)
    {
        if (answer.Ok) return true;
        counts.Unexpected($"{cooperative} {what}: {answer}");
        log($"{cooperative}: {what} answered {answer}");
        return false;
    }
}
