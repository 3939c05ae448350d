using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using MelonChain.ServiceDefaults.Security;
using MelonChain.Testing;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MelonChain.Platform.Tests;

/// <summary>
/// S16: the production path, <c>Auth:Authority</c> set. A service finds the authority's keys through its OpenID Connect
/// discovery document and accepts what that issuer signed — and nothing else: not another key, not another issuer, not
/// the development key. The issuer is local: an RSA key made here, its discovery document and JWKS served to the service's
/// metadata back-channel.
/// </summary>
public class OpenIdConnectTests(SliceFixture f) : IClassFixture<SliceFixture>
{
    [Fact]
    public async Task With_an_authority_a_service_accepts_the_issuers_signed_tokens_and_refuses_any_other_key_issuer_or_the_development_key()
    {
        using var issuer = new LocalOpenIdIssuer();
        await using var production = f.Cooperative.WithWebHostBuilder(b =>
        {
            b.UseSetting("Auth:Authority", LocalOpenIdIssuer.Issuer);
            b.UseSetting("Auth:Issuer", LocalOpenIdIssuer.Issuer);
            b.ConfigureTestServices(s => s.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => o.BackchannelHttpHandler = issuer));
        });
        using var forger = RSA.Create(2048);
        var clerk = new TokenRequest(Roles.Clerk, "clerk-oidc", MelonSystem.Cooperative);

        var signed = await Get(production.CreateClient(), issuer.Token(clerk));
        var otherKey = await Get(production.CreateClient(), issuer.Token(clerk, signer: forger));
        var otherIssuer = await Get(production.CreateClient(), issuer.Token(clerk, issuer: "https://login.evil.test/realms/melonchain"));
        var development = await Get(production.CreateClient(), f.Cooperative.Tokens.Issue(clerk));
        var buyer = await Get(production.CreateClient(), issuer.Token(new TokenRequest(Roles.Buyer, "buyer-oidc", MelonSystem.Cooperative)));

        Assert.Equal(HttpStatusCode.OK, signed);
        Assert.Equal(HttpStatusCode.Unauthorized, otherKey);
        Assert.Equal(HttpStatusCode.Unauthorized, otherIssuer);
        Assert.Equal(HttpStatusCode.Unauthorized, development);
        Assert.Equal(HttpStatusCode.Forbidden, buyer);   // the issuer's role claims are the roles
        Assert.True(issuer.DiscoveryRequests > 0 && issuer.KeyRequests > 0, "the keys came through the discovery document");
    }

    private static async Task<HttpStatusCode> Get(HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync("/api/v1/cooperative/growers");
        return response.StatusCode;
    }

    /// <summary>An OpenID Connect issuer on this machine: its own RSA key, its discovery document and its JWKS.</summary>
    private sealed class LocalOpenIdIssuer : HttpMessageHandler
    {
        public const string Issuer = "https://login.duruan.test/realms/melonchain";
        private const string KeyId = "local-1";
        private readonly RSA _key = RSA.Create(2048);
        private int _discovery, _keys;

        public int DiscoveryRequests => _discovery;
        public int KeyRequests => _keys;

        public string Token(TokenRequest request, RSA? signer = null, string issuer = Issuer) =>
            new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = issuer,
                Audience = "melonchain",
                Subject = new ClaimsIdentity([
                    new Claim(Claims.Subject, request.Subject), new Claim(Claims.Role, request.Role), new Claim(Claims.Cooperative, request.CooperativeId)]),
                Expires = DateTime.UtcNow.AddMinutes(10),
                SigningCredentials = new SigningCredentials(new RsaSecurityKey(signer ?? _key) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
            });

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var url = request.RequestUri!.ToString();
            if (url == Issuer + "/.well-known/openid-configuration")
            {
                Interlocked.Increment(ref _discovery);
                return Json(new
                {
                    issuer = Issuer, jwks_uri = Issuer + "/protocol/openid-connect/certs", authorization_endpoint = Issuer + "/protocol/openid-connect/auth",
                    token_endpoint = Issuer + "/protocol/openid-connect/token", id_token_signing_alg_values_supported = new[] { "RS256" },
                });
            }
            if (url == Issuer + "/protocol/openid-connect/certs")
            {
                Interlocked.Increment(ref _keys);
                var p = _key.ExportParameters(includePrivateParameters: false);
                return Json(new
                {
                    keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = KeyId, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) } },
                });
            }
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
        }

        private static Task<HttpResponseMessage> Json(object body) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(body) });

        protected override void Dispose(bool disposing)
        {
            if (disposing) _key.Dispose();
            base.Dispose(disposing);
        }
    }
}
