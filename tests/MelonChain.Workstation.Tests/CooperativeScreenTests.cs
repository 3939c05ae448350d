using System.Net.Http;
using MelonChain.Workstation.Pages.Cooperative;

namespace MelonChain.Workstation.Tests;

/// <summary>合作社: the profile and the carrier accounts, the admin's.</summary>
public sealed class CooperativeScreenTests : WorkstationContext
{
    private static readonly object Profile = new
    {
        name = "江门市上巷凉瓜专业合作社", shortName = "上巷", village = "上巷村",
        address = new { province = "广东省", city = "江门市", county = "蓬江区", street = "杜阮镇上巷村" }, contactName = "何主任", phone = "0750-3999999",
        receiptPrefix = "SX", commissionBps = 300, boxFeeFen = 500L, maxShrinkBps = 300, maxLotAgeDays = 3,
        certificate = new { producer = "上巷合作社", origin = "江门", contact = "0750-3999999", basis = "自我承诺" }, version = 2,
    };

    [Fact]
    public void The_admin_saves_the_profile_and_the_carrier_accounts_whole()
    {
        Api.On(HttpMethod.Get, "/api/v1/cooperative/profile", Profile);
        Api.On(HttpMethod.Put, "/api/v1/cooperative/profile", Profile);
        Api.On(HttpMethod.Get, "/api/v1/dispatch/carrier-accounts", new
        {
            accounts = new[] { new { carrier = "sf", account = "7550001234", discountBps = 7500, defaultFor = new[] { "北京", "上海" } } }, sender = (object?)null,
        });
        Api.On(HttpMethod.Put, "/api/v1/dispatch/carrier-accounts", _ => StubApi.Problem(409, "carrier-account-taken", "Another cooperative holds 7550009999."));
        SignedInAs("admin");
        var screen = Render<CooperativeProfile>();
        screen.WaitForAssertion(() => Assert.Equal("SX", screen.Find("#profilePrefix").GetAttribute("value")));
        Assert.Equal("北京、上海", screen.Find("#defaultFor-0").GetAttribute("value"));

        screen.Find("#profileLotAge").Change("4");
        screen.Find("#profileForm").Submit();
        screen.WaitForElement("#profileSaved");
        screen.Find("#account-0").Change("7550009999");
        screen.Find("#saveAccounts").Click();

        var profile = Assert.Single(Api.To(HttpMethod.Put, "/api/v1/cooperative/profile")).Json;
        Assert.Equal(4, profile.GetProperty("maxLotAgeDays").GetInt32());
        Assert.Equal("杜阮镇上巷村", profile.GetProperty("address").GetProperty("street").GetString());
        screen.WaitForAssertion(() => Assert.Equal("与现有记录冲突（409）：Another cooperative holds 7550009999.", screen.Find("#accountsProblem li").TextContent));
        var accounts = Assert.Single(Api.To(HttpMethod.Put, "/api/v1/dispatch/carrier-accounts")).Json.GetProperty("accounts");
        Assert.Equal(["北京", "上海"], accounts[0].GetProperty("defaultFor").EnumerateArray().Select(c => c.GetString()));
    }

    [Theory]
    [InlineData("clerk")]
    [InlineData("dispatcher")]
    public void Anyone_but_the_admin_sees_why_and_nothing_is_asked(string role)
    {
        SignedInAs(role);
        var screen = Render<CooperativeProfile>();

        screen.WaitForAssertion(() => Assert.Equal(Text.AdminOnlyProfile, screen.Find("#roleNotice").TextContent));
        Assert.Empty(screen.FindAll("#saveProfile"));
        Assert.Empty(Api.Sent);
    }
}
