using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Security.Tests;

/// <summary>
/// S1 for every operation in every service's OpenAPI document, through the Gateway: no token, a forged token and an
/// expired token are 401; a role the service never serves is 403 — all as ProblemDetails. Public endpoints (under
/// <c>/public</c>) are open by design; the carrier's route push carries no token and is refused without the
/// carrier's digest whatever bearer it shows.
/// </summary>
[Collection(Secured.Name)]
public class EndpointAuthTests(SecuredSystem f)
{
    public static IEnumerable<object[]> Services => SecuredSystem.ServiceNames.Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_protected_endpoint_refuses_missing_forged_and_expired_tokens_and_roles_it_does_not_serve(string service)
    {
        var operations = await f.OperationsAsync(service);
        Assert.True(operations.Count(o => !o.IsPublic) >= 3, $"only {operations.Count} operations in {service}'s document");
        var settings = new AuthSettings("melonchain-dev", "melonchain", SecuredSystem.SigningKey, null);
        var forged = new TokenIssuer(settings with { SigningKey = new string('f', 48) }, TimeProvider.System)
            .Issue(new TokenRequest(Roles.Admin, "mallory", MelonSystem.Cooperative));
        var expired = new TokenIssuer(settings, new FixedClock(DateTimeOffset.UtcNow.AddDays(-2)))
            .Issue(new TokenRequest(Roles.Admin, "admin-1", MelonSystem.Cooperative), TimeSpan.FromHours(1));
        var neverServed = service == "Dispatch" ? Roles.Buyer : Roles.Courier;
        var wrongRole = new TokenIssuer(settings, TimeProvider.System)
            .Issue(new TokenRequest(neverServed, "someone", MelonSystem.Cooperative, BuyerId: f.BuyerId.ToString(), CourierId: "C-B"));
        var unsigned = Unsigned(new TokenRequest(Roles.Admin, "mallory", MelonSystem.Cooperative));

        var failures = new List<string>();
        foreach (var operation in operations.Where(o => !o.IsPublic))
        {
            var denied = operation.IsCarrierPush ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
            foreach (var (token, expected, what) in new[]
                     {
                         ((string?)null, HttpStatusCode.Unauthorized, "no token"), (forged, HttpStatusCode.Unauthorized, "forged signature"),
                         (unsigned, HttpStatusCode.Unauthorized, "alg none"), (expired, HttpStatusCode.Unauthorized, "expired"),
                         (wrongRole, denied, $"role {neverServed}"),
                     })
            {
                using var response = await Send(operation, token);
                if (response.StatusCode != expected || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    failures.Add($"{operation} with {what}: {(int)response.StatusCode} {response.Content.Headers.ContentType}, expected {(int)expected} ProblemDetails");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private async Task<HttpResponseMessage> Send(Operation operation, string? token)
    {
        var request = new HttpRequestMessage(new HttpMethod(operation.Method), f.Concrete(operation.Path));
        if (operation.HasBody) request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await f.Anonymous.SendAsync(request);
    }

    /// <summary>A token claiming admin with no signature at all (<c>alg: none</c>).</summary>
    private static string Unsigned(TokenRequest claims)
    {
        static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return Part("""{"alg":"none","typ":"JWT"}""") + "." +
               Part($$"""{"sub":"{{claims.Subject}}","role":"{{claims.Role}}","coop":"{{claims.CooperativeId}}","iss":"melonchain-dev","aud":"melonchain","exp":{{exp}}}""") + ".";
    }
}
