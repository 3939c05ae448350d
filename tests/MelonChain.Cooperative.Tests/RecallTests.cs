using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Messages.ContractGrowing;
using MelonChain.Messages.Dispatch;
using MelonChain.ServiceDefaults.Security;
using MelonChain.Testing;

namespace MelonChain.Cooperative.Tests;

/// <summary>召回: from a grower or a seedling batch to every box, order, buyer and waybill that holds their melons.</summary>
public class RecallTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static DateOnly Today => CooperativeFixture.Today;

    /// <summary>Waybill numbers unique across the class's tests, as the carrier's are.</summary>
    private static long _waybillNo = 1_000_000;

    /// <summary>Packs the order and books it as Dispatch would, a waybill per box; returns the packed order.</summary>
    private async Task<JsonElement> PackAndBookAsync(ClerkSession c, Guid order)
    {
        var packed = await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });
        var codes = packed.GetProperty("boxes").EnumerateArray().Select(b => b.GetProperty("traceCode").GetString()!).ToList();
        var waybills = codes.Select(code => new BookedWaybill($"SF{Interlocked.Increment(ref _waybillNo):D10}", code)).ToList();
        await f.PublishAsync(new ShipmentBooked(Guid.NewGuid(), DateTimeOffset.UtcNow, c.CooperativeId, Guid.NewGuid(), order, Guid.NewGuid(), "SF", "express",
            waybills[0].WaybillNo, waybills, 10_000, 4_000, 3_000, DateTimeOffset.UtcNow.AddDays(2)));
        await Eventually.Until(() => f.CountAsync("select count(*) from boxes where order_id = @order and waybill_no is not null", new { order }),
            n => n == codes.Count, TimeSpan.FromSeconds(30), "each box's waybill");
        return packed;
    }

    private Task SignAsync(ClerkSession c, Guid contractId, string seedlingBatch, string grower) =>
        f.SignContractAsync(c.CooperativeId, contractId, Guid.NewGuid(), seedlingBatch: seedlingBatch,
            grower: new ContractGrower(grower, "13622220001", "恩平市大田镇", "朗北村"));

    private static IEnumerable<(string TraceCode, Guid GrowerId)> Sources(JsonElement order) =>
        order.GetProperty("boxes").EnumerateArray().SelectMany(b => b.GetProperty("sources").EnumerateArray()
            .Select(s => (b.GetProperty("traceCode").GetString()!, s.GetProperty("growerId").GetGuid())));

    [Fact]
    public async Task Recall_by_grower_lists_exactly_the_boxes_orders_buyers_and_waybills_that_hold_his_melons()
    {
        var c = await f.NewCooperativeAsync();
        var (chen, _) = await c.Grower();
        var (li, _) = await c.Grower();
        // Oldest first (all fresh enough for express): Chen's three harvests go into the first three orders; the third
        // order's second box mixes Chen and Li.
        await c.Harvest(chen, Today.AddDays(-2), ("grade1", 10m));
        await c.Harvest(chen, Today.AddDays(-1), ("grade1", 10m));
        await c.Harvest(chen, Today, ("grade1", 7m));
        await c.Harvest(li, Today, ("grade1", 30m));
        var (beijing, shanghai) = (await c.Buyer("北京"), await c.Buyer("上海"));
        var orders = new[]
        {
            await c.Order(beijing, ("grade1", 10m, 800)), await c.Order(shanghai, ("grade1", 10m, 800)),
            await c.Order(beijing, ("grade1", 15m, 800)), await c.Order(shanghai, ("grade1", 10m, 800)),
        };
        var packed = new List<JsonElement>();
        foreach (var order in orders) packed.Add(await PackAndBookAsync(c, order));
        var chensBoxes = packed.SelectMany(Sources).Where(s => s.GrowerId == chen).Select(s => s.TraceCode).Distinct().ToHashSet();
        Assert.Equal(6, chensBoxes.Count);   // 2 + 2 + 2 (one of them mixed with Li's melons); none in the fourth order

        var recall = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/recall?growerId={chen}");

        var boxes = recall.GetProperty("boxes").EnumerateArray().ToList();
        Assert.Equal(chensBoxes, boxes.Select(b => b.GetProperty("traceCode").GetString()!).ToHashSet());
        Assert.Equal(boxes.Count, chensBoxes.Count);
        Assert.Equal(orders[..3].ToHashSet(), recall.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("orderId").GetGuid()).ToHashSet());
        Assert.Equal(new[] { beijing, shanghai }.ToHashSet(), recall.GetProperty("buyers").EnumerateArray().Select(b => b.GetProperty("buyerId").GetGuid()).ToHashSet());
        var expectedWaybills = await f.CountAsync("select count(*) from boxes where trace_code = any(@codes) and waybill_no is not null", new { codes = chensBoxes.ToArray() });
        Assert.Equal(6, expectedWaybills);
        Assert.Equal(6, recall.GetProperty("waybills").EnumerateArray().Select(w => w.GetString()).Distinct().Count());
        Assert.All(boxes, b => Assert.Equal("collected", b.GetProperty("orderStatus").GetString()));
        // The mixed box holds 2 kg of Chen's melons out of 5.
        Assert.Contains(boxes, b => b.GetProperty("recalledKg").GetDecimal() == 2m && b.GetProperty("netKg").GetDecimal() == 5m);
        Assert.Equal(3, recall.GetProperty("summary").GetProperty("lots").GetInt32());
        Assert.Equal(0m, recall.GetProperty("summary").GetProperty("inStockKg").GetDecimal());
        // Staff see the buyers' contacts.
        Assert.All(recall.GetProperty("buyers").EnumerateArray(), b => Assert.Equal("13911112222", b.GetProperty("phone").GetString()));

        // The same as CSV: a header and one row per box.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/cooperative/recall?growerId={chen}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var csv = await c.Http.SendAsync(request);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var rows = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("trace_code,grade,net_kg,recalled_kg,order_id", rows[0]);
        Assert.Equal(chensBoxes, rows.Skip(1).Select(r => r.Split(',')[0]).ToHashSet());
    }

    [Fact]
    public async Task Recall_by_seedling_batch_lists_every_box_from_contracts_it_supplied_and_shows_officers_no_buyer_contacts()
    {
        var c = await f.NewCooperativeAsync();
        // Contract one was signed naming batch DR-2026-01; contract two got seedlings from it later; contract three never did.
        var (one, two, three) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await SignAsync(c, one, "DR-2026-01", "梁叔");
        await SignAsync(c, two, "DR-2026-07", "黄姐");
        await SignAsync(c, three, "DR-2026-08", "吴伯");
        await f.PublishAsync(new SeedlingsIssued(Guid.NewGuid(), DateTimeOffset.UtcNow, c.CooperativeId, two, "DR-2026-01", "杜阮育苗场", "上巷村母本园", 300, Today.AddDays(-60)));
        await Eventually.Until(() => f.CountAsync("select count(*) from contract_seedlings where contract_id = @two and batch_no = 'DR-2026-01'", new { two }),
            n => n == 1, TimeSpan.FromSeconds(30), "the seedlings issued to contract two");
        var (g1, _) = await c.Grower("contract", one);
        var (g2, _) = await c.Grower("contract", two);
        var (g3, _) = await c.Grower("contract", three);
        await c.Harvest(g1, Today.AddDays(-2), ("premium", 10m));
        await c.Harvest(g2, Today.AddDays(-1), ("premium", 10m));
        await c.Harvest(g3, Today, ("premium", 10m));
        var order = await c.Order(await c.Buyer("上海"), ("premium", 30m, 1_600));
        var packed = await PackAndBookAsync(c, order);
        var fromBatch = Sources(packed).Where(s => s.GrowerId == g1 || s.GrowerId == g2).Select(s => s.TraceCode).ToHashSet();
        Assert.Equal(4, fromBatch.Count);

        var officer = f.Cooperative.As(Roles.Officer, "officer-1", cooperative: c.CooperativeId);
        var recall = await officer.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/recall?seedlingBatch=DR-2026-01");

        Assert.Equal(fromBatch, recall.GetProperty("boxes").EnumerateArray().Select(b => b.GetProperty("traceCode").GetString()!).ToHashSet());
        var buyer = recall.GetProperty("buyers").EnumerateArray().Single();
        Assert.Equal("上海", buyer.GetProperty("city").GetString());
        Assert.Equal(JsonValueKind.Null, buyer.GetProperty("phone").ValueKind);
        Assert.Equal(JsonValueKind.Null, buyer.GetProperty("contactName").ValueKind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?growerId=7f000000-0000-0000-0000-000000000001&lotId=7f000000-0000-0000-0000-000000000002")]
    [InlineData("?harvestedFrom=2026-06-01")]
    [InlineData("?harvestedFrom=2026-06-10&harvestedTo=2026-06-01")]
    [InlineData("?harvestedFrom=2025-01-01&harvestedTo=2026-06-01")]
    public async Task A_recall_without_exactly_one_selector_is_a_validation_problem(string query)
    {
        var c = await f.NewCooperativeAsync();
        var response = await c.Http.GetAsync("/api/v1/cooperative/recall" + query);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Recall_by_harvest_dates_finds_the_lots_harvested_then_and_what_of_them_is_still_in_stock()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        await c.Harvest(grower, Today.AddDays(-5), ("grade2", 12m));
        await c.Harvest(grower, Today.AddDays(-1), ("grade2", 8m));

        var recall = await c.Http.GetFromJsonAsync<JsonElement>(
            $"/api/v1/cooperative/recall?harvestedFrom={Today.AddDays(-6):yyyy-MM-dd}&harvestedTo={Today.AddDays(-4):yyyy-MM-dd}");

        Assert.Equal(1, recall.GetProperty("summary").GetProperty("lots").GetInt32());
        Assert.Equal(12m, recall.GetProperty("summary").GetProperty("inStockKg").GetDecimal());
        Assert.Empty(recall.GetProperty("boxes").EnumerateArray());
    }
}
