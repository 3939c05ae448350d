using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Testing;

namespace MelonChain.EndToEnd.Tests;

/// <summary>A third cooperative joins the installation the demo season runs on, through the API alone.</summary>
public partial class SeasonTests
{
    private const string Longmian = "longmian";
    private const string Producer = "江门市蓬江区杜阮镇龙眠村农民专业合作社";
    private const string Street = "杜阮镇龙眠村凉瓜基地1号";
    private const string MonthlyCard = "7550009876";

    [Fact]
    public async Task A_third_cooperative_onboarded_through_the_API_books_ships_and_settles_with_its_own_profile_and_sees_only_its_own_rows()
    {
        var admin = await f.System.AsAsync("admin", "lm-admin", Longmian);
        var clerk = await f.System.AsAsync("clerk", "lm-clerk", Longmian);
        var sim = new HttpClient { BaseAddress = f.System["CarrierSimulator"].BaseAddress };
        var scenario = await Scenario.StartAsync(f.System, Longmian, onboard: false);

        // Before its profile exists the cooperative cannot receive: a clear 409, and nothing written.
        var early = await clerk.PostAsJsonAsync($"{Cooperative}/receipts", new { growerId = Guid.NewGuid(), harvestedOn = Scenario.ChinaToday, grossKg = 10m, crates = 1 });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal("urn:melonchain:problem:profile-required", (await early.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());

        await Scenario.OnboardAsync(f.System, Longmian,
            profile: new
            {
                name = Producer, shortName = "龙眠村合作社", village = "龙眠村",
                address = new { province = "广东省", city = "江门市", county = "蓬江区", street = Street },
                contactName = "黄主任", phone = "0750-3222222", receiptPrefix = "LM", commissionBps = 800, boxFeeFen = 450,
                maxShrinkBps = 400, maxLotAgeDays = 5,
                certificate = new { producer = Producer, origin = "广东省江门市蓬江区杜阮镇龙眠村", contact = "0750-3222222", basis = "委托检测" },
            },
            accounts: new { accounts = new[] { new { carrier = "sf", account = MonthlyCard, discountBps = 7000, defaultFor = new[] { "北京" } } } });

        // Members, receipts under its own prefix, grading, an order packed into 4 boxes.
        var growers = new List<Guid>();
        foreach (var no in new[] { "LM-001", "LM-002" })
            growers.Add((await scenario.PostAsync(clerk, $"{Cooperative}/growers",
                new { memberNo = no, name = "龙眠社员", phone = "13700001111", village = "龙眠村", kind = "member" })).GetProperty("id").GetGuid());
        var receipts = new List<JsonElement>();
        foreach (var grower in growers)
        {
            var receipt = await scenario.PostAsync(clerk, $"{Cooperative}/receipts", new { growerId = grower, harvestedOn = Scenario.ChinaToday, grossKg = 10.2m, crates = 1 });
            await scenario.PostAsync(clerk, $"{Cooperative}/receipts/{receipt.GetProperty("id").GetGuid()}/grading", new { lines = new[] { new { grade = "grade1", kg = 10m } } });
            receipts.Add(receipt);
        }
        var buyer = await scenario.PostAsync(clerk, $"{Cooperative}/buyers",
            new { name = "北京龙眠鲜果", city = "北京", address = "海淀区中关村大街1号", contactName = "孙经理", phone = "13900007777" });
        var order = await scenario.PostAsync(clerk, $"{Cooperative}/orders", new
        {
            buyerId = buyer.GetProperty("id").GetGuid(),
            destination = new { city = "北京", address = "海淀区中关村大街1号", contactName = "孙经理", phone = "13900007777" },
            lines = new[] { new { grade = "grade1", kg = 20m, priceFenPerKg = 1500 } }, boxNetKg = 5m, product = "express",
        });
        var orderId = order.GetProperty("id").GetGuid();
        var codes = (await scenario.PostAsync(clerk, $"{Cooperative}/orders/{orderId}/pack", new { })).GetProperty("boxes").EnumerateArray()
            .Select(b => b.GetProperty("traceCode").GetString()!).ToList();

        // Collection books with the carrier under its own account and from its own address.
        var pickupId = await scenario.AcceptPickupAsync(orderId);
        var shipment = await scenario.CollectAsync(pickupId, codes);
        var carrierOrder = await sim.GetFromJsonAsync<JsonElement>($"/admin/orders/{shipment.GetProperty("carrierOrderId").GetString()}");
        var sent = JsonDocument.Parse(carrierOrder.GetProperty("request").GetString()!).RootElement;
        var sender = sent.GetProperty("contactInfoList").EnumerateArray().Single(c => c.GetProperty("contactType").GetInt32() == 1);

        // Delivered, then settled with its own box fee and commission.
        var delivered = await Eventually.Found(clerk, $"{Cooperative}/orders/{orderId}",
            o => o.GetProperty("status").GetString() == "delivered" && o.GetProperty("freightFen").ValueKind == JsonValueKind.Number,
            TimeSpan.FromSeconds(120), "the third cooperative's order delivered");
        var deliveredOn = DateOnly.FromDateTime(delivered.GetProperty("deliveredAt").GetDateTimeOffset().UtcDateTime.AddHours(8));
        var settlement = await scenario.PostAsync(clerk, $"{Cooperative}/settlements", new { from = Scenario.ChinaToday, to = deliveredOn.ToString("yyyy-MM-dd") },
            key: Guid.NewGuid().ToString());
        var totals = settlement.GetProperty("totals");
        var trace = await Eventually.Found(new HttpClient { BaseAddress = f.System.Gateway }, $"/api/v1/tracking/public/trace/{codes[0]}",
            t => t.GetProperty("certificate").ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(60), "the box's public trace");

        Assert.All(receipts, r => Assert.StartsWith($"LM-{Scenario.ChinaToday.Replace("-", "")}-", r.GetProperty("receiptNo").GetString()));
        Assert.Equal(MonthlyCard, sent.GetProperty("monthlyCard").GetString());
        Assert.Equal(Street, sender.GetProperty("address").GetString());
        Assert.Equal(Producer, sender.GetProperty("company").GetString());
        Assert.Equal(("0750-3222222", "黄主任"), (sender.GetProperty("tel").GetString(), sender.GetProperty("contact").GetString()));
        Assert.Equal(shipment.GetProperty("listFen").GetInt64() * 7000 / 10_000, shipment.GetProperty("negotiatedFen").GetInt64());
        Assert.Equal(Producer, trace.GetProperty("certificate").GetProperty("producer").GetString());
        Assert.Equal("委托检测", trace.GetProperty("certificate").GetProperty("commitmentBasis").GetString());
        Assert.Equal(20 * 1500L, totals.GetProperty("revenueFen").GetInt64());
        Assert.Equal(4 * 450L, totals.GetProperty("packagingFen").GetInt64());
        Assert.Equal(20 * 1500L * 800 / 10_000, totals.GetProperty("commissionFen").GetInt64());

        // Nothing of it is visible to Shangxiang, and nothing of Shangxiang's to it.
        Assert.DoesNotContain(await SeasonFixture.AllAsync(f.Clerk, $"{Cooperative}/growers"), g => g.GetProperty("memberNo").GetString()!.StartsWith("LM-"));
        Assert.DoesNotContain(await SeasonFixture.AllAsync(f.Clerk, $"{Cooperative}/receipts"), r => r.GetProperty("receiptNo").GetString()!.StartsWith("LM-"));
        Assert.Equal(HttpStatusCode.NotFound, (await f.Clerk.GetAsync($"{Cooperative}/orders/{orderId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await f.Dispatcher.GetAsync($"/api/v1/dispatch/shipments/{shipment.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.DoesNotContain(await SeasonFixture.AllAsync(f.Dispatcher, "/api/v1/tracking/shipments"), s => s.GetProperty("orderId").GetGuid() == orderId);
        Assert.Equal(2, (await SeasonFixture.AllAsync(clerk, $"{Cooperative}/receipts")).Count);
        Assert.Equal(["LM-001", "LM-002"], (await SeasonFixture.AllAsync(clerk, $"{Cooperative}/growers")).Select(g => g.GetProperty("memberNo").GetString()));
        Assert.Single(await SeasonFixture.AllAsync(clerk, $"{Cooperative}/settlements"));
    }
}
