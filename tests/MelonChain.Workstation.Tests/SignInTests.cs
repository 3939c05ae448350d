using MelonChain.Workstation.Api;
using MelonChain.Workstation.Auth;
using MelonChain.Workstation.Pages.SignIn;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.WebAssembly.Authentication;
using Microsoft.Extensions.DependencyInjection;

namespace MelonChain.Workstation.Tests;

/// <summary>登录: dev tokens in Development, the OpenID Connect code flow with PKCE where the Gateway names an authority.</summary>
public sealed class SignInTests : WorkstationContext
{
    [Fact]
    public void In_development_the_sign_in_page_offers_the_dev_token_form_and_no_authority()
    {
        SignedInAs(null);

        var page = Render<SignIn>();

        page.WaitForElement("#signIn");
        Assert.Empty(page.FindAll("#oidcSignIn"));
        Assert.Contains(Api.Sent, r => r.PathAndQuery == "/api/v1/workstation/sign-in");
    }

    [Fact]
    public void With_an_authority_the_sign_in_page_offers_only_the_authoritys_sign_in_which_starts_the_code_flow()
    {
        Api.SignInOptions = new { devTokens = false, authority = "https://id.example.org/realms/melonchain", clientId = "melonchain-workstation", scopes = new[] { "openid" } };
        SignedInAs(null);

        var page = Render<SignIn>();

        page.WaitForElement("#oidcSignIn").Click();
        Assert.Empty(page.FindAll("#signIn"));
        var navigation = Services.GetRequiredService<NavigationManager>();
        Assert.EndsWith("/authentication/login", navigation.Uri);
        // The framework's service is configured from the Gateway's answer: the code flow (PKCE added by it).
        var options = Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsSnapshot<RemoteAuthenticationOptions<OidcProviderOptions>>>().Value;
        Assert.Equal("https://id.example.org/realms/melonchain", options.ProviderOptions.Authority);
        Assert.Equal("melonchain-workstation", options.ProviderOptions.ClientId);
        Assert.Equal("code", options.ProviderOptions.ResponseType);
        Assert.Equal(["openid"], options.ProviderOptions.DefaultScopes);
    }

    [Theory]
    [InlineData("authentication/login-callback?code=abc&state=xyz", true)]
    [InlineData("receiving", false)]
    public void Nobody_signed_in_is_sent_to_the_sign_in_page_except_on_the_authoritys_way_back(string page, bool staysThere)
    {
        SignedInAs(null);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(page);

        Render<MelonChain.Workstation.Layout.MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page"))));

        Assert.Equal(staysThere ? navigation.BaseUri + page : navigation.BaseUri + "signin", navigation.Uri);
    }

    private sealed class Authority(string token) : IAccessTokenProvider
    {
        public ValueTask<AccessTokenResult> RequestAccessToken() =>
            ValueTask.FromResult(new AccessTokenResult(AccessTokenResultStatus.Success,
                new AccessToken { Value = token, Expires = DateTimeOffset.UtcNow.AddHours(1), GrantedScopes = ["openid"] }, null, null));

        public ValueTask<AccessTokenResult> RequestAccessToken(AccessTokenRequestOptions options) => RequestAccessToken();
    }

    [Fact]
    public async Task The_token_the_authority_issued_is_kept_in_the_tab_and_is_the_one_sent_as_Bearer()
    {
        var issued = Tokens.For("clerk", subject: "wang.li", cooperative: "shangxiang");
        Services.AddScoped<IAccessTokenProvider>(_ => new Authority(issued));
        SignedInAs(null);

        var caller = await Services.GetRequiredService<OidcSignIn>().TakeTokenAsync();
        await Services.GetRequiredService<CooperativeApi>().GrowersAsync();

        Assert.Equal("wang.li", caller?.Subject);
        Assert.Equal(issued, TokenModule.Invocations["save"].Single().Arguments[0]);
        Assert.Equal($"Bearer {issued}", Api.Sent.Single(r => r.PathAndQuery.StartsWith("/api/v1/cooperative/growers")).Authorization);
    }
}
