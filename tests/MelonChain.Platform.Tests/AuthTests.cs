using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MelonChain.ServiceDefaults.Security;
using MelonChain.Testing;

namespace MelonChain.Platform.Tests;

/// <summary>Every non-public endpoint needs a valid token with the right role.</summary>
public class AuthTests(SliceFixture f) : IClassFixture<SliceFixture>
{
    private static readonly object AnyGrower = new { memberNo = "X-1", name = "n", phone = "13800000000", village = "v", kind = "member" };

    [Fact]
    public async Task No_token_is_401()
    {
        var response = await f.Cooperative.CreateClient().PostAsJsonAsync("/api/v1/cooperative/growers", AnyGrower);
        await RequestRulesTests.AssertProblem(response, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_401()
    {
        var forger = new TokenIssuer(new AuthSettings("melonchain-dev", "melonchain", new string('x', 48), null), TimeProvider.System);
        var response = await Send(forger.Issue(new TokenRequest(Roles.Clerk, "mallory", "shangxiang")));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_401()
    {
        var settings = f.Cooperative.Services.GetService(typeof(AuthSettings)) as AuthSettings;
        var lastWeek = new FixedClock(DateTimeOffset.UtcNow.AddDays(-7));
        var response = await Send(new TokenIssuer(settings!, lastWeek).Issue(new TokenRequest(Roles.Clerk, "clerk-1", "shangxiang"), TimeSpan.FromHours(1)));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_buyer_recording_a_grower_is_403_and_nothing_is_written()
    {
        var before = await f.CountAsync(f.CooperativeDb, "select count(*) from growers");
        var response = await f.Cooperative.As(Roles.Buyer, "buyer-1", buyerId: Guid.NewGuid().ToString())
            .PostAsJsonAsync("/api/v1/cooperative/growers", AnyGrower);
        await RequestRulesTests.AssertProblem(response, HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(before, await f.CountAsync(f.CooperativeDb, "select count(*) from growers"));
    }

    [Fact]
    public async Task A_clerk_of_another_cooperative_does_not_see_our_growers()
    {
        var ours = await f.RegisterContractGrowerAsync("EP-301");
        var theirs = f.Cooperative.As(Roles.Clerk, "clerk-9", cooperative: "duruan-east");

        Assert.Equal(HttpStatusCode.NotFound, (await theirs.GetAsync($"/api/v1/cooperative/growers/{ours}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await f.Clerk.GetAsync($"/api/v1/cooperative/growers/{ours}")).StatusCode);
    }

    private Task<HttpResponseMessage> Send(string token)
    {
        var client = f.Cooperative.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.PostAsJsonAsync("/api/v1/cooperative/growers", AnyGrower);
    }
}
