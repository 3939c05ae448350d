using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Testing;

namespace MelonChain.EndToEnd.Tests;

/// <summary>Contract terms follow the lot, through the Gateway: a contract the officer ended takes no more harvests.</summary>
public partial class SeasonTests
{
    private const string Cuijing = "cuijing";

    [Fact]
    public async Task A_contract_the_officer_terminated_takes_no_receipt_of_a_harvest_from_that_day_on_and_nothing_is_written()
    {
        // A cooperative of its own, so the demo season's contracts and receipts stay as they were played.
        var officer = await f.System.AsAsync("officer", "cj-officer", Cuijing);
        var clerk = await f.System.AsAsync("clerk", "cj-clerk", Cuijing);
        await Onboarding.SaveProfileAsync(await f.System.AsAsync("admin", "cj-admin", Cuijing), Cuijing);
        var scenario = await Scenario.StartAsync(f.System, Cuijing, onboard: false);
        var grower = await scenario.PostAsync(officer, "/api/v1/growing/growers", new { name = "吴伯", phone = "13622224444", town = "恩平市大田镇", village = "朗北村" });
        var plot = await scenario.PostAsync(officer, "/api/v1/growing/plots", new { growerId = grower.GetProperty("id").GetGuid(), areaM2 = 3350m, location = "朗北村西侧" });
        var contract = (await scenario.PostAsync(officer, "/api/v1/growing/contracts", new
        {
            growerId = grower.GetProperty("id").GetGuid(), plotId = plot.GetProperty("id").GetGuid(), season = "2026-autumn", variety = "杜阮凉瓜",
            seedlings = 800, expectedKg = 500m, minPriceFenPerKg = new { premium = 900, grade1 = 700, grade2 = 500, offgrade = 200 },
        })).GetProperty("id").GetGuid();
        await scenario.PostAsync(officer, $"/api/v1/growing/contracts/{contract}/sign", new { });
        await Eventually.Until(() => f.System.ScalarAsync<long>("Cooperative", "select count(*) from contract_terms where contract_id = @contract", new { contract }),
            n => n == 1, TimeSpan.FromSeconds(60), "the signed contract known to the Cooperative");
        var member = (await scenario.PostAsync(clerk, $"{Cooperative}/growers", new { memberNo = "CJ-001", kind = "contract", contractId = contract }))
            .GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsync($"/api/v1/growing/contracts/{contract}/terminate", null)).StatusCode);
        await Eventually.Until(() => f.System.ScalarAsync<long>("Cooperative", "select count(*) from contract_ends where contract_id = @contract", new { contract }),
            n => n == 1, TimeSpan.FromSeconds(60), "the termination known to the Cooperative");
        var receipt = await clerk.PostAsJsonAsync($"{Cooperative}/receipts",
            new { growerId = member, harvestedOn = Scenario.ChinaToday, grossKg = 30m, crates = 2, contractId = contract });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, receipt.StatusCode);
        Assert.Equal("urn:melonchain:problem:contract-ended", (await receipt.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        Assert.Equal(0, await f.System.ScalarAsync<long>("Cooperative", "select count(*) from receipts where cooperative_id = @Cuijing", new { Cuijing }));
    }
}
