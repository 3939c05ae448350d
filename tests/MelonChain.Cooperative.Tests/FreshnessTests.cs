using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Cooperative.Features.Sales;
using MelonChain.Messages;

namespace MelonChain.Cooperative.Tests;

/// <summary>
/// Freshness in allocation: a product's promised days plus the oldest lot's age stay within the product's shelf life
/// (ambient 4 days, cold chain 7), or packing needs the override; a product colder than 10 °C is flagged.
/// </summary>
public class FreshnessTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static DateOnly Today => CooperativeFixture.Today;

    [Theory]
    [InlineData("express", 2, true)]   // 2 days promised + 2 days old = 4, the ambient shelf life
    [InlineData("express", 3, false)]
    [InlineData("land", 0, true)]      // 4 days promised
    [InlineData("land", 1, false)]
    [InlineData("cold", 5, true)]      // cold chain: 2 + 5 = 7
    [InlineData("cold", 6, false)]
    public void A_batch_is_fresh_while_the_promise_plus_the_oldest_lot_age_is_within_the_shelf_life(string product, int ageDays, bool within)
    {
        var freshness = PackOrder.FreshnessOf(ProductCare.Of(product), Today.AddDays(-ageDays), Today);

        Assert.Equal(within, freshness.WithinShelfLife);
        Assert.Equal(ageDays, freshness.OldestLotAgeDays);
        Assert.Equal(!within, freshness.Warnings.Any(w => w.Contains("shelf life")));
    }

    [Fact]
    public void Only_a_product_colder_than_bitter_melon_bears_is_flagged_for_chilling()
    {
        Assert.True(ProductCare.Of(Products.Cold).ChillingRisk);
        Assert.All(Products.All.Where(p => p != Products.Cold), p => Assert.False(ProductCare.Of(p).ChillingRisk, p));
    }

    [Fact]
    public async Task Packing_takes_the_oldest_lots_still_fresh_for_the_product_and_leaves_older_ones()
    {
        var c = await f.NewCooperativeAsync();
        var grower = (await c.Grower()).Id;
        var tooOld = await c.Harvest(grower, Today.AddDays(-3), ("grade1", 10m));
        var oldestFresh = await c.Harvest(grower, Today.AddDays(-2), ("grade1", 10m));
        await c.Harvest(grower, Today, ("grade1", 10m));
        var order = await c.Order(await c.Buyer(), ("grade1", 10m, 800));

        var packed = await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });

        var sources = packed.GetProperty("boxes").EnumerateArray().SelectMany(b => b.GetProperty("sources").EnumerateArray()).ToList();
        Assert.All(sources, s => Assert.Equal(oldestFresh, s.GetProperty("receiptId").GetGuid()));
        Assert.DoesNotContain(sources, s => s.GetProperty("receiptId").GetGuid() == tooOld);
        var freshness = packed.GetProperty("freshness");
        Assert.True(freshness.GetProperty("withinShelfLife").GetBoolean());
        Assert.Equal(2, freshness.GetProperty("oldestLotAgeDays").GetInt32());
        Assert.Empty(freshness.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public async Task When_only_older_stock_would_fill_the_order_packing_is_409_until_the_clerk_overrides_and_then_warns()
    {
        var c = await f.NewCooperativeAsync();
        await c.Harvest((await c.Grower()).Id, Today.AddDays(-3), ("grade1", 10m));
        var order = await c.Order(await c.Buyer(), ("grade1", 10m, 800));

        var refused = await c.Http.PostAsJsonAsync($"/api/v1/cooperative/orders/{order}/pack", new { });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith("freshness-at-risk", problem.GetProperty("type").GetString());
        Assert.Contains("allowOldLots", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await f.CountAsync("select count(*) from boxes where order_id = @order", new { order }));
        Assert.Equal(0, await f.CountAsync("select coalesce(sum(allocated_grams), 0) from lots where cooperative_id = @Coop", new { Coop = c.CooperativeId }));

        var packed = await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { allowOldLots = true });

        var freshness = packed.GetProperty("freshness");
        Assert.False(freshness.GetProperty("withinShelfLife").GetBoolean());
        Assert.Contains("shelf life", Assert.Single(freshness.GetProperty("warnings").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task A_cold_chain_order_keeps_older_lots_fresh_but_is_flagged_for_chilling()
    {
        var c = await f.NewCooperativeAsync(); // the profile allows lots up to 4 days old
        await c.Harvest((await c.Grower()).Id, Today.AddDays(-4), ("grade1", 10m));
        var response = await c.Http.PostAsJsonAsync("/api/v1/cooperative/orders", new
        {
            buyerId = await c.Buyer(), destination = new { city = "上海", address = "徐汇区漕溪北路398号", contactName = "陈小姐", phone = "13816663333" },
            lines = new[] { new { grade = "grade1", kg = 10m, priceFenPerKg = 2400 } }, product = "cold",
        });
        var order = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var freshness = (await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { })).GetProperty("freshness");

        Assert.True(freshness.GetProperty("withinShelfLife").GetBoolean());
        Assert.Equal("cold", freshness.GetProperty("chain").GetString());
        Assert.True(freshness.GetProperty("chillingRisk").GetBoolean());
        Assert.Contains("chilling", Assert.Single(freshness.GetProperty("warnings").EnumerateArray()).GetString());
    }
}
