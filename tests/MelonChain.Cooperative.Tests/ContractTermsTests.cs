using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Messages.ContractGrowing;

namespace MelonChain.Cooperative.Tests;

/// <summary>
/// Contract terms follow the lot: a receipt is priced by its own contract's terms in force on its harvest date, and a
/// contract that ended receives no more harvests. The terms arrive as ContractGrowing's events, in any order.
/// </summary>
public class ContractTermsTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static DateOnly Today => CooperativeFixture.Today;

    private static Dictionary<string, long> Minimum(long grade1) => new() { ["premium"] = 900, ["grade1"] = grade1, ["grade2"] = 400, ["offgrade"] = 100 };

    [Theory]
    [InlineData("terminated")]
    [InlineData("completed")]
    public async Task A_receipt_harvested_on_or_after_the_day_its_contract_ended_is_422_and_writes_nothing(string how)
    {
        var c = await f.NewCooperativeAsync();
        var (contract, growingGrower) = (Guid.NewGuid(), Guid.NewGuid());
        await f.SignContractAsync(c.CooperativeId, contract, growingGrower);
        var (member, _) = await c.Grower("contract", contract);
        await EndAsync(c.CooperativeId, contract, growingGrower, how, Today);

        var named = await Receipt(c, member, Today, contract);
        var byDefault = await Receipt(c, member, Today, null);
        var before = await Receipt(c, member, Today.AddDays(-1), contract);

        foreach (var refused in new[] { named, byDefault })
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("urn:melonchain:problem:contract-ended", problem.GetProperty("type").GetString());
            Assert.Equal(Today.ToString("yyyy-MM-dd"), problem.GetProperty("endedOn").GetString());
        }
        // Melons harvested before the contract ended and brought in late are still its own.
        Assert.Equal(HttpStatusCode.Created, before.StatusCode);
        Assert.Equal(1, await f.CountAsync("select count(*) from receipts where cooperative_id = @Coop", new { Coop = c.CooperativeId }));
    }

    [Fact]
    public async Task A_contract_terminated_before_its_signing_arrives_still_refuses_later_harvests()
    {
        var c = await f.NewCooperativeAsync();
        var (contract, growingGrower) = (Guid.NewGuid(), Guid.NewGuid());
        await EndAsync(c.CooperativeId, contract, growingGrower, "terminated", Today.AddDays(-2));
        await f.SignContractAsync(c.CooperativeId, contract, growingGrower);
        var (member, _) = await c.Grower("contract", contract);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Receipt(c, member, Today.AddDays(-1), contract)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Receipt(c, member, Today.AddDays(-3), contract)).StatusCode);
    }

    [Fact]
    public async Task An_amendment_effective_tomorrow_leaves_todays_deliveries_at_the_old_price()
    {
        var c = await f.NewCooperativeAsync(commissionBps: 500, boxFeeFen: 300);
        var (contract, growingGrower) = (Guid.NewGuid(), Guid.NewGuid());
        await f.SignContractAsync(c.CooperativeId, contract, growingGrower, Minimum(grade1: 2_000));
        var (member, _) = await c.Grower("contract", contract);
        await c.Harvest(member, Today, ("grade1", 10m));
        await f.PublishAsync(new ContractAmended(Guid.NewGuid(), DateTimeOffset.UtcNow, c.CooperativeId, contract, growingGrower, "恩平市大田镇", 6_700,
            "2026-autumn", 3_000_000, Minimum(grade1: 5_000), null, 2, EffectiveFrom: Today.AddDays(1)));
        await Eventually.Until(() => f.CountAsync("select version from contract_terms where contract_id = @contract", new { contract }),
            v => v == 2, TimeSpan.FromSeconds(30), "the amendment known to the Cooperative");

        var statement = await SettleTodayAsync(c, member, ("grade1", 10m, 1_000), freightFen: 1_000);

        // Revenue 10 kg × 10.00 = 10,000; freight 1,000; 2 boxes × 3.00 = 600; commission 5% = 500: the pool pays 7,900.
        // The harvest is today's, under version 1's 20.00/kg: 10 kg × 2,000 = 20,000, topped up by 20,000 − 7,900 = 12,100
        // (not version 2's 50,000 − 7,900 = 42,100, which prices only harvests from tomorrow).
        Assert.Equal(7_900, statement.GetProperty("payoutFen").GetInt64());
        Assert.Equal(12_100, statement.GetProperty("topUpFen").GetInt64());
    }

    [Fact]
    public async Task An_amendment_that_arrives_before_the_signing_still_prices_only_harvests_from_its_date()
    {
        var c = await f.NewCooperativeAsync(commissionBps: 500, boxFeeFen: 300);
        var (contract, growingGrower) = (Guid.NewGuid(), Guid.NewGuid());
        await f.PublishAsync(new ContractAmended(Guid.NewGuid(), DateTimeOffset.UtcNow, c.CooperativeId, contract, growingGrower, "恩平市大田镇", 6_700,
            "2026-autumn", 3_000_000, Minimum(grade1: 5_000), null, 2, EffectiveFrom: Today.AddDays(1)));
        await f.SignContractAsync(c.CooperativeId, contract, growingGrower, Minimum(grade1: 2_000));
        await Eventually.Until(() => f.CountAsync("select count(*) from contract_term_versions where contract_id = @contract", new { contract }),
            n => n == 2, TimeSpan.FromSeconds(30), "both versions known to the Cooperative");
        var (member, _) = await c.Grower("contract", contract);
        await c.Harvest(member, Today, ("grade1", 10m));

        var statement = await SettleTodayAsync(c, member, ("grade1", 10m, 1_000), freightFen: 1_000);

        // As above: the pool pays 7,900; today's harvest is version 1's, 10 kg × 2,000 − 7,900 = 12,100.
        Assert.Equal(12_100, statement.GetProperty("topUpFen").GetInt64());
        Assert.Equal(2, await f.CountAsync("select version from contract_terms where contract_id = @contract", new { contract }));
    }

    [Fact]
    public async Task A_grower_with_two_seasons_contracts_is_topped_up_per_receipt_from_each_receipts_own_contract()
    {
        var c = await f.NewCooperativeAsync(commissionBps: 500, boxFeeFen: 300);
        var growingGrower = Guid.NewGuid();
        var (spring, autumn) = (Guid.NewGuid(), Guid.NewGuid());
        await f.SignContractAsync(c.CooperativeId, spring, growingGrower, Minimum(grade1: 1_500));
        await f.SignContractAsync(c.CooperativeId, autumn, growingGrower, Minimum(grade1: 800));
        var (member, _) = await c.Grower("contract", spring);
        await c.Harvest(member, Today.AddDays(-1), ("grade1", 12m));
        var autumnReceipt = await c.Post("/api/v1/cooperative/receipts",
            new { growerId = member, harvestedOn = Today.ToString("yyyy-MM-dd"), grossKg = 8.08m, crates = 1, contractId = autumn });
        await c.Post($"/api/v1/cooperative/receipts/{autumnReceipt.GetProperty("id").GetGuid()}/grading", new { lines = new[] { new { grade = "grade1", kg = 8m } } });

        var statement = await SettleTodayAsync(c, member, ("grade1", 20m, 1_000), freightFen: 2_000);

        // Revenue 20 kg × 10.00 = 20,000; freight 2,000; 4 boxes × 3.00 = 1,200; commission 5% = 1,000: the pool pays 15,800,
        // split over the two receipts by weight: 12 kg → 9,480 and 8 kg → 6,320.
        // Spring receipt at 15.00/kg: 12 × 1,500 = 18,000 − 9,480 = 8,520. Autumn receipt at 8.00/kg: 8 × 800 = 6,400 − 6,320 = 80.
        // Top-up 8,520 + 80 = 8,600 (the registration contract for both would be 30,000 − 15,800 = 14,200).
        Assert.Equal(15_800, statement.GetProperty("payoutFen").GetInt64());
        Assert.Equal(8_600, statement.GetProperty("topUpFen").GetInt64());
    }

    private async Task EndAsync(string coop, Guid contract, Guid growingGrower, string how, DateOnly endedOn)
    {
        await f.PublishAsync(how == "completed"
            ? new ContractCompleted(Guid.NewGuid(), DateTimeOffset.UtcNow, coop, contract, growingGrower, endedOn)
            : new ContractTerminated(Guid.NewGuid(), DateTimeOffset.UtcNow, coop, contract, growingGrower, endedOn));
        await Eventually.Until(() => f.CountAsync("select count(*) from contract_ends where contract_id = @contract", new { contract }),
            n => n == 1, TimeSpan.FromSeconds(30), "the contract's end known to the Cooperative");
    }

    private static Task<HttpResponseMessage> Receipt(ClerkSession c, Guid grower, DateOnly harvestedOn, Guid? contractId) =>
        c.Http.PostAsJsonAsync("/api/v1/cooperative/receipts",
            new { growerId = grower, harvestedOn = harvestedOn.ToString("yyyy-MM-dd"), grossKg = 50m, crates = 2, contractId });

    /// <summary>One order of everything in stock, delivered now and settled for today; the grower's statement.</summary>
    private async Task<JsonElement> SettleTodayAsync(ClerkSession c, Guid grower, (string Grade, decimal Kg, long Price) line, long freightFen)
    {
        var order = await c.Order(await c.Buyer(), line);
        await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });
        await f.DeliverAsync(c, order, freightFen, DateTimeOffset.UtcNow);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cooperative/settlements")
        {
            Content = JsonContent.Create(new { from = Today.AddDays(-1).ToString("yyyy-MM-dd"), to = Today.ToString("yyyy-MM-dd") }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var settled = await c.Http.SendAsync(request);
        Assert.True(settled.StatusCode == HttpStatusCode.Created, await settled.Content.ReadAsStringAsync());
        var s = await settled.Content.ReadFromJsonAsync<JsonElement>();
        return s.GetProperty("statements").EnumerateArray().Single(x => x.GetProperty("growerId").GetGuid() == grower);
    }
}
