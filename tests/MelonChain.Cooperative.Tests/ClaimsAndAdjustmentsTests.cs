using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Messages.Cooperative;
using MelonChain.Messages.Dispatch;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Tests.ShipmentOutcomeTests;

namespace MelonChain.Cooperative.Tests;

/// <summary>
/// 理赔 (R13): buyers' claims on delivered boxes decided by the clerk, carriers' compensation, and what comes after a
/// settlement: adjustment lines in the next one, split over the same growers by the same shares, to the fen.
/// </summary>
public class ClaimsAndAdjustmentsTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static DateOnly Today => CooperativeFixture.Today;

    [Fact]
    public async Task A_claim_accepted_after_settlement_becomes_adjustment_lines_in_the_next_statements_split_to_the_fen()
    {
        var c = await f.NewCooperativeAsync(commissionBps: 500, boxFeeFen: 300);
        var (a, _) = await c.Grower();
        var (b, _) = await c.Grower();
        await c.Harvest(a, Today.AddDays(-2), ("grade1", 7m));
        await c.Harvest(b, Today.AddDays(-1), ("grade1", 3m));
        var buyer = await c.Buyer();
        var order = await c.Order(buyer, ("grade1", 10m, 700));
        await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });
        var codes = await TraceCodes(c, order);   // box 1: 5 kg of A's; box 2: 2 kg of A's, 3 kg of B's (oldest first)
        var shipment = Guid.NewGuid();
        var endedAt = new DateTimeOffset(Today.AddDays(-1).ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8));
        await f.PublishAsync(Booked(c, shipment, order, codes, 1_000), Part(c, shipment, order, "CO-1", PartOutcomes.Delivered, endedAt, codes));
        await Eventually.Until(() => c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{order}"),
            o => o.GetProperty("status").GetString() == "delivered" && o.GetProperty("freightFen").ValueKind == JsonValueKind.Number, what: "delivered");

        var first = await Settle(c, $"{Today.AddDays(-3):yyyy-MM-dd}", $"{Today.AddDays(-1):yyyy-MM-dd}");
        SettlementInvariant.Holds(first);
        // 7,000 revenue − 1,000 freight − 600 boxes − 350 commission = 5,050, split 7:3 → 3,535 and 1,515.
        Assert.Equal([3_535L, 1_515L], Payouts(first, a, b));

        // The buyer opens box 2 and finds it spoiled; another buyer cannot claim on this order (404); a clerk decides.
        var otherBuyer = f.Cooperative.As(Roles.Buyer, "buyer-2", cooperative: c.CooperativeId, buyerId: Guid.NewGuid().ToString());
        var stranger = await FileClaim(otherBuyer, order, new { kind = "spoiled", traceCodes = codes[1..2], kg = 5m, creditFen = 1_500, note = "烂了" },
            Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        var hisBuyer = f.Cooperative.As(Roles.Buyer, "buyer-1", cooperative: c.CooperativeId, buyerId: buyer.ToString());
        var filed = await c.Post($"/api/v1/cooperative/orders/{order}/claims",
            new { kind = "spoiled", traceCodes = codes[1..2], kg = 5m, creditFen = 1_500, note = "开箱发现整箱腐烂" }, hisBuyer);
        var claim = filed.GetProperty("id").GetGuid();
        Assert.Equal("open", filed.GetProperty("status").GetString());
        Assert.Contains((await c.Http.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/claims?status=open")).GetProperty("items").EnumerateArray(),
            x => x.GetProperty("id").GetGuid() == claim);
        var tooMuch = await Decide(c, claim, new { decision = "accepted", creditFen = 1_501, carrierLiable = false });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMuch.StatusCode);
        var decided = await Decide(c, claim, new { decision = "accepted", creditFen = 1_001, carrierLiable = false, reason = "照片为证" });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Decide(c, claim, new { decision = "rejected", reason = "again" })).StatusCode);
        Assert.Equal("accepted", (await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/claims/{claim}")).GetProperty("status").GetString());

        // The next settlement has nothing sold, only the credit: −1,001 split 7:3 = −700.7 and −300.3, the fen left to
        // the larger remainder → −701 and −300; each line names the order and the claim.
        var next = await Settle(c, $"{Today:yyyy-MM-dd}", $"{Today:yyyy-MM-dd}");
        SettlementInvariant.Holds(next);
        Assert.Equal(1_001, next.GetProperty("totals").GetProperty("creditsFen").GetInt64());
        Assert.Equal(0, next.GetProperty("totals").GetProperty("revenueFen").GetInt64());
        Assert.Equal([-701L, -300L], Payouts(next, a, b));
        var statement = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/settlements/{next.GetProperty("id").GetGuid()}/statements/{a}");
        var line = statement.GetProperty("adjustments").EnumerateArray().Single();
        Assert.Equal(order, line.GetProperty("orderId").GetGuid());
        Assert.Equal(claim, line.GetProperty("claimId").GetGuid());
        Assert.Equal("credit", line.GetProperty("kind").GetString());
        Assert.Equal(-701, line.GetProperty("amountFen").GetInt64());
        var pdf = await c.Http.GetAsync($"/api/v1/cooperative/settlements/{next.GetProperty("id").GetGuid()}/statements/{a}.pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal(3_535 - 701, (await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/growers/{a}/account")).GetProperty("balanceFen").GetInt64());

        // Taken once: the claim names the settlement that took it, and no other settlement has its lines.
        Assert.Equal(next.GetProperty("id").GetGuid(), (await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/claims/{claim}")).GetProperty("settlementId").GetGuid());
        Assert.Equal(1, await f.CountAsync("select count(distinct settlement_id) from statement_adjustments where source_id = @claim", new { claim }));

        // Reversed, the adjustment is taken again by the settlement that replaces it, and the account counts it once.
        var admin = f.Cooperative.As(Roles.Admin, "admin-1", cooperative: c.CooperativeId);
        await c.Post($"/api/v1/cooperative/settlements/{next.GetProperty("id").GetGuid()}/reversal", new { reason = "重算" }, admin);
        Assert.Equal(JsonValueKind.Null, (await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/claims/{claim}")).GetProperty("settlementId").ValueKind);
        var again = await Settle(c, $"{Today:yyyy-MM-dd}", $"{Today:yyyy-MM-dd}");
        SettlementInvariant.Holds(again);
        Assert.Equal([-701L, -300L], Payouts(again, a, b));
        Assert.Equal(3_535 - 701, (await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/growers/{a}/account")).GetProperty("balanceFen").GetInt64());
    }

    [Fact]
    public async Task A_lost_part_compensated_by_the_carrier_raises_the_pools_revenue_once_and_later_compensation_is_an_adjustment()
    {
        var c = await f.NewCooperativeAsync(commissionBps: 500, boxFeeFen: 300);
        var (grower, _) = await c.Grower();
        await c.Harvest(grower, Today.AddDays(-2), ("grade1", 10m));
        var order = await c.Order(await c.Buyer(), ("grade1", 10m, 700));
        await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });
        var codes = await TraceCodes(c, order);
        var shipment = Guid.NewGuid();
        var endedAt = new DateTimeOffset(Today.AddDays(-1).ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8));
        var paid = new CarrierCompensationPaid(Guid.NewGuid(), endedAt, c.CooperativeId, shipment, order, Guid.NewGuid(), "SF1000000001", 2_345, codes[1..2]);
        await f.PublishAsync(Booked(c, shipment, order, codes, 1_000), Part(c, shipment, order, "CO-1", PartOutcomes.Delivered, endedAt, codes[0..1]),
            Part(c, shipment, order, "CO-2", PartOutcomes.Lost, endedAt, codes[1..2]), paid, paid with { EventId = Guid.NewGuid() });
        await Eventually.Until(() => f.CountAsync("select count(*) from carrier_compensations where order_id = @order", new { order }), n => n == 1, what: "compensation kept");
        var ended = await Eventually.Until(() => c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{order}"),
            o => o.GetProperty("status").GetString() == "partly_delivered" && o.GetProperty("freightFen").ValueKind == JsonValueKind.Number, what: "partly delivered");
        // The clerk sees the compensation booked on the order before settling (kept once, whatever the carrier repeats).
        Assert.Equal(2_345, ended.GetProperty("compensationFen").GetInt64());

        var s = await Settle(c, $"{Today.AddDays(-3):yyyy-MM-dd}", $"{Today.AddDays(-1):yyyy-MM-dd}");
        SettlementInvariant.Holds(s);
        var t = s.GetProperty("totals");
        Assert.Equal(3_500, t.GetProperty("revenueFen").GetInt64());
        Assert.Equal(2_345, t.GetProperty("compensationFen").GetInt64());
        Assert.Equal(3_500 + 2_345 - 1_000 - 600 - 175, t.GetProperty("payoutFen").GetInt64());

        // A second carrier claim paid after the settlement lands in the next one as the grower's adjustment.
        var later = paid with { EventId = Guid.NewGuid(), CarrierClaimId = Guid.NewGuid(), AmountFen = 99 };
        await f.PublishAsync(later);
        await Eventually.Until(() => f.CountAsync("select count(*) from carrier_compensations where order_id = @order", new { order }), n => n == 2, what: "second compensation");
        var next = await Settle(c, $"{Today:yyyy-MM-dd}", $"{Today:yyyy-MM-dd}");
        SettlementInvariant.Holds(next);
        Assert.Equal(99, next.GetProperty("totals").GetProperty("compensationFen").GetInt64());
        var adjustment = next.GetProperty("statements").EnumerateArray().Single().GetProperty("adjustments").EnumerateArray().Single();
        Assert.Equal(later.CarrierClaimId, adjustment.GetProperty("claimId").GetGuid());
        Assert.Equal(99, adjustment.GetProperty("amountFen").GetInt64());
        Assert.Equal(2_345 + 99, (await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{order}")).GetProperty("compensationFen").GetInt64());
    }

    [Fact]
    public async Task A_claim_on_a_box_not_delivered_is_422_and_a_rejection_needs_a_reason_and_credits_nothing()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        await c.Harvest(grower, Today.AddDays(-2), ("grade1", 10m));
        var order = await c.Order(await c.Buyer(), ("grade1", 10m, 700));
        await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });
        var codes = await TraceCodes(c, order);
        var shipment = Guid.NewGuid();
        var endedAt = new DateTimeOffset(Today.AddDays(-1).ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8));
        await f.PublishAsync(Booked(c, shipment, order, codes, 1_000), Part(c, shipment, order, "CO-1", PartOutcomes.Delivered, endedAt, codes[0..1]),
            Part(c, shipment, order, "CO-2", PartOutcomes.Returned, endedAt, codes[1..2]));
        await Eventually.Until(() => c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{order}"),
            o => o.GetProperty("status").GetString() == "partly_delivered", what: "partly delivered");

        var returned = await FileClaim(c.Http, order, new { kind = "missing", traceCodes = codes[1..2], kg = 5m, creditFen = 100 }, Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, returned.StatusCode);
        Assert.Contains("traceCodes", await returned.Content.ReadAsStringAsync());
        var claim = (await c.Post($"/api/v1/cooperative/orders/{order}/claims", new { kind = "short_weight", traceCodes = codes[0..1], kg = 0.4m, creditFen = 280 }))
            .GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Decide(c, claim, new { decision = "rejected" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Decide(c, claim, new { decision = "rejected", reason = "称重记录无误" })).StatusCode);

        var s = await Settle(c, $"{Today.AddDays(-3):yyyy-MM-dd}", $"{Today.AddDays(-1):yyyy-MM-dd}");
        SettlementInvariant.Holds(s);
        Assert.Equal(0, s.GetProperty("totals").GetProperty("creditsFen").GetInt64());
        Assert.Equal(3_500, s.GetProperty("totals").GetProperty("revenueFen").GetInt64());
    }

    [Fact]
    public async Task Filing_a_claim_needs_an_Idempotency_Key_and_a_retry_or_a_twin_sent_in_parallel_with_the_same_key_files_one_claim()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        await c.Harvest(grower, Today.AddDays(-2), ("grade1", 10m));
        var buyer = await c.Buyer();
        var order = await c.Order(buyer, ("grade1", 10m, 700));
        await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });
        var codes = await TraceCodes(c, order);
        var shipment = Guid.NewGuid();
        var endedAt = new DateTimeOffset(Today.AddDays(-1).ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8));
        await f.PublishAsync(Booked(c, shipment, order, codes, 1_000), Part(c, shipment, order, "CO-1", PartOutcomes.Delivered, endedAt, codes));
        await Eventually.Until(() => c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{order}"),
            o => o.GetProperty("status").GetString() == "delivered", what: "delivered");
        var hisBuyer = f.Cooperative.As(Roles.Buyer, "buyer-1", cooperative: c.CooperativeId, buyerId: buyer.ToString());
        var spoiled = new { kind = "spoiled", traceCodes = codes[0..1], kg = 5m, creditFen = 1_500, note = "开箱发现整箱腐烂" };
        Task<long> Filed() => f.CountAsync("select count(*) from claims where order_id = @order", new { order });

        // Without a key: 428, nothing filed (a double tap on a phone would otherwise ask twice).
        var keyless = await FileClaim(hisBuyer, order, spoiled, key: null);
        Assert.Equal(HttpStatusCode.PreconditionRequired, keyless.StatusCode);
        Assert.Equal("urn:melonchain:problem:idempotency-key-required", (await keyless.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        Assert.Equal(0, await Filed());

        // The answer lost and the filing sent again with its key: the first answer again, one claim.
        var key = Guid.NewGuid().ToString();
        var first = await FileClaim(hisBuyer, order, spoiled, key);
        var retry = await FileClaim(hisBuyer, order, spoiled, key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        var claim = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(claim, (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        Assert.Equal(1, await Filed());

        // The same key with another body is refused as every other endpoint refuses it, and files nothing.
        var other = await FileClaim(hisBuyer, order, spoiled with { creditFen = 999 }, key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("urn:melonchain:problem:idempotency-key-reused", (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        Assert.Equal(1, await Filed());

        // Six copies of one filing sent at once with one key: one claim; each answer is that claim or "still in flight" (409).
        var twinKey = Guid.NewGuid().ToString();
        var damaged = new { kind = "damaged", traceCodes = codes[1..2], kg = 2m, creditFen = 600, note = "外箱压坏" };
        var twins = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => FileClaim(hisBuyer, order, damaged, twinKey)));
        Assert.All(twins, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var answered = new List<Guid>();
        foreach (var r in twins.Where(r => r.StatusCode == HttpStatusCode.Created))
            answered.Add((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        Assert.NotEmpty(answered);
        Assert.Single(answered.Distinct());
        Assert.Equal(2, await Filed());
        var later = await FileClaim(hisBuyer, order, damaged, twinKey);
        Assert.Equal(answered[0], (await later.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        Assert.Equal(2, await Filed());
    }

    private static async Task<HttpResponseMessage> FileClaim(HttpClient client, Guid order, object body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cooperative/orders/{order}/claims") { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private static long[] Payouts(JsonElement settlement, params Guid[] growers)
    {
        var statements = settlement.GetProperty("statements").EnumerateArray().ToList();
        return growers.Select(g => statements.Single(s => s.GetProperty("growerId").GetGuid() == g).GetProperty("payoutFen").GetInt64()).ToArray();
    }

    private static async Task<HttpResponseMessage> Decide(ClerkSession c, Guid claim, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cooperative/claims/{claim}/decision") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return await c.Http.SendAsync(request);
    }
}
