using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MelonChain.Cooperative.Tests;

/// <summary>The lists the clerk's workstation reads: orders by status and date, the day's ungraded receipts; paged like every list.</summary>
public class WorkstationListsTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static DateOnly Today => CooperativeFixture.Today;

    private static async Task<List<JsonElement>> Items(ClerkSession c, string path) =>
        (await c.Http.GetFromJsonAsync<JsonElement>(path)).GetProperty("items").EnumerateArray().ToList();

    [Fact]
    public async Task Orders_are_listed_newest_first_by_status_and_placing_date_page_by_page_and_only_the_cooperatives_own()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        await c.Harvest(grower, Today, ("grade1", 60m));
        var buyer = await c.Buyer();
        var placed = await c.Order(buyer, ("grade1", 10m, 800));
        var packed = await c.Order(buyer, ("grade1", 10m, 800));
        var cancelled = await c.Order(buyer, ("grade1", 10m, 800));
        await c.Post($"/api/v1/cooperative/orders/{packed}/pack", new { });
        await c.Post($"/api/v1/cooperative/orders/{cancelled}/cancel", new { reason = "买家改期" });
        var other = await f.NewCooperativeAsync();
        var (otherGrower, _) = await other.Grower();
        await other.Harvest(otherGrower, Today, ("grade1", 20m));
        await other.Order(await other.Buyer(), ("grade1", 10m, 800));

        var all = await Items(c, "/api/v1/cooperative/orders");
        Assert.Equal([cancelled, packed, placed], all.Select(o => o.GetProperty("id").GetGuid()));
        var packedOnes = await Items(c, "/api/v1/cooperative/orders?status=packed");
        var one = Assert.Single(packedOnes);
        Assert.Equal(packed, one.GetProperty("id").GetGuid());
        Assert.Equal("北京", one.GetProperty("destinationCity").GetString());
        Assert.Equal(10m, one.GetProperty("kg").GetDecimal());
        Assert.True(one.GetProperty("boxes").GetInt32() > 0);
        Assert.Equal(placed, Assert.Single(await Items(c, "/api/v1/cooperative/orders?status=placed")).GetProperty("id").GetGuid());
        Assert.Equal(cancelled, Assert.Single(await Items(c, "/api/v1/cooperative/orders?status=cancelled")).GetProperty("id").GetGuid());
        Assert.Equal(3, (await Items(c, $"/api/v1/cooperative/orders?from={Today:yyyy-MM-dd}&to={Today:yyyy-MM-dd}")).Count);
        Assert.Empty(await Items(c, $"/api/v1/cooperative/orders?from={Today.AddDays(-3):yyyy-MM-dd}&to={Today.AddDays(-1):yyyy-MM-dd}"));

        var first = await c.Http.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/orders?limit=2");
        var next = first.GetProperty("next").GetString()!;
        var second = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders?limit=2&after={Uri.EscapeDataString(next)}");
        Assert.Equal([cancelled, packed], first.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()));
        Assert.Equal([placed], second.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await c.Http.GetAsync("/api/v1/cooperative/orders?status=shipped")).StatusCode);
    }

    [Fact]
    public async Task The_days_ungraded_receipts_are_those_received_that_day_with_no_live_grading()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        var graded = await c.Harvest(grower, Today, ("grade1", 20m));
        var waiting = (await c.Post("/api/v1/cooperative/receipts",
            new { growerId = grower, harvestedOn = Today.ToString("yyyy-MM-dd"), grossKg = 31.5m, crates = 2 })).GetProperty("id").GetGuid();
        var regrade = await c.Harvest(grower, Today, ("grade2", 12m));
        await c.Post($"/api/v1/cooperative/receipts/{regrade}/grading/reversal", new { reason = "复核更正" });

        var ungraded = await Items(c, $"/api/v1/cooperative/receipts?ungraded=true&date={Today:yyyy-MM-dd}");

        Assert.Equal([regrade, waiting], ungraded.Select(r => r.GetProperty("id").GetGuid()));
        Assert.DoesNotContain(graded, ungraded.Select(r => r.GetProperty("id").GetGuid()));
        Assert.Equal(3, (await Items(c, $"/api/v1/cooperative/receipts?date={Today:yyyy-MM-dd}")).Count);
        Assert.Empty(await Items(c, $"/api/v1/cooperative/receipts?ungraded=true&date={Today.AddDays(-1):yyyy-MM-dd}"));
        Assert.Equal(3, (await Items(c, "/api/v1/cooperative/receipts")).Count);
    }

    [Fact]
    public async Task The_grading_screen_reads_its_own_cooperatives_shrink_limit_and_none_before_the_profile_is_saved()
    {
        var c = await f.NewCooperativeAsync();
        var id = "coop-" + Guid.NewGuid().ToString("N")[..8];
        await Onboarding.SaveProfileAsync(f.Cooperative.As(MelonChain.ServiceDefaults.Security.Roles.Admin, "admin-1", cooperative: id), id,
            profile: Onboarding.Profile(id, maxShrinkBps: 450));
        var other = f.Cooperative.As(MelonChain.ServiceDefaults.Security.Roles.Clerk, "clerk-1", cooperative: id);
        var none = f.Cooperative.As(MelonChain.ServiceDefaults.Security.Roles.Clerk, "clerk-1", cooperative: "coop-" + Guid.NewGuid().ToString("N")[..8]);

        Assert.Equal(300, (await c.Http.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/grading/rules")).GetProperty("maxShrinkBps").GetInt32());
        Assert.Equal(450, (await other.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/grading/rules")).GetProperty("maxShrinkBps").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, (await none.GetAsync("/api/v1/cooperative/grading/rules")).StatusCode);
    }
}
