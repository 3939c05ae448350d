using System.Net;
using System.Net.Http.Json;

namespace MelonChain.Cooperative.Tests;

/// <summary>One grower, one identity: members and receipts name only contracts signed with this cooperative, of that grower.</summary>
public class ContractCheckTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static DateOnly Today => CooperativeFixture.Today;

    [Fact]
    public async Task A_receipt_names_only_a_contract_of_that_grower_signed_with_this_cooperative()
    {
        var c = await f.NewCooperativeAsync();
        var other = await f.NewCooperativeAsync();
        var (liang, wu) = (Guid.NewGuid(), Guid.NewGuid());
        var liangSpring = Guid.NewGuid();
        var liangAutumn = Guid.NewGuid();
        var wuContract = Guid.NewGuid();
        var elsewhere = Guid.NewGuid();
        await f.SignContractAsync(c.CooperativeId, liangSpring, liang);
        await f.SignContractAsync(c.CooperativeId, liangAutumn, liang);
        await f.SignContractAsync(c.CooperativeId, wuContract, wu);
        await f.SignContractAsync(other.CooperativeId, elsewhere, Guid.NewGuid());
        var (member, _) = await c.Grower("contract", liangSpring);

        Assert.Equal(HttpStatusCode.Created, (await ReceiptNaming(c, member, liangSpring)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await ReceiptNaming(c, member, liangAutumn)).StatusCode);
        var before = await f.CountAsync("select count(*) from receipts where cooperative_id = @Coop", new { Coop = c.CooperativeId });
        foreach (var wrong in new[] { wuContract, elsewhere, Guid.NewGuid() })
        {
            var response = await ReceiptNaming(c, member, wrong);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Contains("contractId", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(before, await f.CountAsync("select count(*) from receipts where cooperative_id = @Coop", new { Coop = c.CooperativeId }));
    }

    [Fact]
    public async Task A_contract_member_is_registered_only_with_a_contract_signed_with_this_cooperative()
    {
        var c = await f.NewCooperativeAsync();
        var other = await f.NewCooperativeAsync();
        var elsewhere = Guid.NewGuid();
        await f.SignContractAsync(other.CooperativeId, elsewhere, Guid.NewGuid());

        foreach (var contractId in new[] { elsewhere, Guid.NewGuid() })
        {
            var response = await c.Http.PostAsJsonAsync("/api/v1/cooperative/growers",
                new { memberNo = "EP-" + Guid.NewGuid().ToString("N")[..6], name = "梁叔", phone = "13622220001", village = "朗北村", kind = "contract", contractId });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        }
        Assert.Equal(0, await f.CountAsync("select count(*) from growers where cooperative_id = @Coop", new { Coop = c.CooperativeId }));
    }

    [Fact]
    public async Task A_contract_grower_typed_in_once_in_ContractGrowing_becomes_a_member_from_the_signed_contract_and_only_once()
    {
        var c = await f.NewCooperativeAsync();
        var (liang, spring, autumn) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var card = new MelonChain.Messages.ContractGrowing.ContractGrower("梁叔", "13622220001", "恩平市大田镇", "朗北村");
        await f.SignContractAsync(c.CooperativeId, spring, liang, grower: card);
        await f.SignContractAsync(c.CooperativeId, autumn, liang, grower: card);

        var typedAgain = await c.Http.PostAsJsonAsync("/api/v1/cooperative/growers",
            new { memberNo = "EP-901", name = "梁叔", phone = "13622220001", village = "朗北村", kind = "contract", contractId = spring });
        var created = await c.Http.PostAsJsonAsync("/api/v1/cooperative/growers", new { memberNo = "EP-902", kind = "contract", contractId = spring });
        var member = await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var twice = await c.Http.PostAsJsonAsync("/api/v1/cooperative/growers", new { memberNo = "EP-903", kind = "contract", contractId = autumn });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, typedAgain.StatusCode);
        Assert.Contains("comes from the signed contract", await typedAgain.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(("梁叔", "恩平市大田镇朗北村", liang), (member.GetProperty("name").GetString(), member.GetProperty("village").GetString(),
            member.GetProperty("growingGrowerId").GetGuid()));
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("EP-902", await twice.Content.ReadAsStringAsync());
        Assert.Equal(1, await f.CountAsync("select count(*) from growers where cooperative_id = @Coop", new { Coop = c.CooperativeId }));
        // Either of the grower's contracts may be named on a receipt; the member is one.
        Assert.Equal(HttpStatusCode.Created, (await ReceiptNaming(c, member.GetProperty("id").GetGuid(), autumn)).StatusCode);
    }

    private static Task<HttpResponseMessage> ReceiptNaming(ClerkSession c, Guid grower, Guid contractId) =>
        c.Http.PostAsJsonAsync("/api/v1/cooperative/receipts",
            new { growerId = grower, harvestedOn = Today.ToString("yyyy-MM-dd"), grossKg = 50m, crates = 2, contractId });
}
