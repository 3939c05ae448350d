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
        var c = f.NewCooperative();
        var other = f.NewCooperative();
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
        var c = f.NewCooperative();
        var other = f.NewCooperative();
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

    private static Task<HttpResponseMessage> ReceiptNaming(ClerkSession c, Guid grower, Guid contractId) =>
        c.Http.PostAsJsonAsync("/api/v1/cooperative/receipts",
            new { growerId = grower, harvestedOn = Today.ToString("yyyy-MM-dd"), grossKg = 50m, crates = 2, contractId });
}
