using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Testing;

namespace MelonChain.EndToEnd.Tests;

/// <summary>One grower, one identity: the demo's Enping growers were typed in once, by the contract officer.</summary>
public partial class SeasonTests
{
    [Fact]
    public async Task A_contract_grower_registered_once_appears_in_both_services_with_ids_that_link_and_a_receipt_naming_another_growers_contract_is_422()
    {
        var contractMembers = (await SeasonFixture.AllAsync(f.Clerk, $"{Cooperative}/growers"))
            .Where(g => g.GetProperty("kind").GetString() == "contract").ToList();

        Assert.Equal(5, contractMembers.Count);
        foreach (var listed in contractMembers)
        {
            var member = await f.Clerk.GetFromJsonAsync<JsonElement>($"{Cooperative}/growers/{listed.GetProperty("id").GetGuid()}");
            var contract = await f.Officer.GetFromJsonAsync<JsonElement>($"/api/v1/growing/contracts/{member.GetProperty("contractId").GetGuid()}");
            var growingGrowerId = member.GetProperty("growingGrowerId").GetGuid();
            // ContractGrowing learns the member from GrowerRegistered: the link holds both ways.
            var grower = await Eventually.Found(f.Officer, $"/api/v1/growing/growers/{growingGrowerId}",
                g => g.GetProperty("members").GetArrayLength() > 0, TimeSpan.FromSeconds(30), "the grower's membership");
            Assert.Equal(contract.GetProperty("growerId").GetGuid(), growingGrowerId);
            Assert.Equal(grower.GetProperty("name").GetString(), member.GetProperty("name").GetString());
            var membership = Assert.Single(grower.GetProperty("members").EnumerateArray());
            Assert.Equal((member.GetProperty("id").GetGuid(), member.GetProperty("memberNo").GetString()),
                (membership.GetProperty("memberId").GetGuid(), membership.GetProperty("memberNo").GetString()));
        }

        var (first, second) = (contractMembers[0], contractMembers[1]);
        var receiptsBefore = (await SeasonFixture.AllAsync(f.Clerk, $"{Cooperative}/receipts")).Count;
        var wrong = await f.Clerk.PostAsJsonAsync($"{Cooperative}/receipts", new
        {
            growerId = first.GetProperty("id").GetGuid(), harvestedOn = MelonChain.Testing.Scenario.ChinaToday, grossKg = 30m, crates = 1,
            contractId = second.GetProperty("contractId").GetGuid(),
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        Assert.Contains("contractId", await wrong.Content.ReadAsStringAsync());
        Assert.Equal(receiptsBefore, (await SeasonFixture.AllAsync(f.Clerk, $"{Cooperative}/receipts")).Count);
    }
}
