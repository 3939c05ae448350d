extern alias cooperative;
extern alias growing;
extern alias tracking;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MelonChain.ServiceDefaults.Security;
using Microsoft.Extensions.DependencyInjection;

namespace MelonChain.Security.Tests;

/// <summary>
/// S1 for every endpoint in each service's OpenAPI document: no token, a forged token and an expired token are
/// 401; a role the service never serves is 403. Public endpoints are the ones under <c>/public</c> (and the
/// health and Swagger endpoints, which are not in the document).
/// </summary>
public sealed class EndpointAuthTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly Dictionary<string, (HttpClient Client, TokenIssuer Tokens, AuthSettings Settings, string NeverServed)> _services = new();

    public async Task InitializeAsync()
    {
        await Add<cooperative::Program>("cooperative", Roles.Courier);
        await Add<growing::Program>("growing", Roles.Courier);
        await Add<tracking::Program>("tracking", Roles.Courier);
    }

    private async Task Add<TProgram>(string name, string neverServed) where TProgram : class
    {
        var db = TestDatabase.Create("sec_" + name);
        var vhost = await TestVirtualHost.CreateAsync("sec_" + name);
        var host = new ServiceHost<TProgram>(db.ConnectionString, vhost.ConnectionString);
        _owned.AddRange([host, db, vhost]);
        await host.StartAsync();
        _services[name] = (host.CreateClient(), host.Services.GetRequiredService<TokenIssuer>(), host.Services.GetRequiredService<AuthSettings>(), neverServed);
    }

    public static IEnumerable<object[]> Services => [["cooperative"], ["growing"], ["tracking"]];

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_protected_endpoint_refuses_missing_forged_and_expired_tokens_and_roles_it_does_not_serve(string service)
    {
        var (client, tokens, settings, neverServed) = _services[service];
        var endpoints = await Endpoints(client);
        Assert.True(endpoints.Count(e => !e.Path.Contains("/public/")) >= 3, $"only {endpoints.Count} endpoints found in the document");
        var forged = new TokenIssuer(new AuthSettings("melonchain-dev", "melonchain", new string('f', 48), null), TimeProvider.System)
            .Issue(new TokenRequest(Roles.Admin, "mallory", "shangxiang"));
        var expired = new TokenIssuer(settings, new FixedClock(DateTimeOffset.UtcNow.AddDays(-2)))
            .Issue(new TokenRequest(Roles.Admin, "admin-1", "shangxiang"), TimeSpan.FromHours(1));
        var wrongRole = tokens.Issue(new TokenRequest(neverServed, "someone", "shangxiang", BuyerId: Guid.NewGuid().ToString(), CourierId: "k-1"));

        var failures = new List<string>();
        foreach (var (method, path) in endpoints.Where(e => !e.Path.Contains("/public/")))
        {
            foreach (var (token, expected, what) in new[] { ((string?)null, HttpStatusCode.Unauthorized, "no token"), (forged, HttpStatusCode.Unauthorized, "forged"),
                         (expired, HttpStatusCode.Unauthorized, "expired"), (wrongRole, HttpStatusCode.Forbidden, $"role {neverServed}") })
            {
                var status = await Send(client, method, path, token);
                if (status != expected) failures.Add($"{method} {path} with {what}: {(int)status}, expected {(int)expected}");
            }
        }
        Assert.Empty(failures);
    }

    private static async Task<HttpStatusCode> Send(HttpClient client, string method, string path, string? token)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await client.SendAsync(request)).StatusCode;
    }

    /// <summary>Every operation of the service's OpenAPI document, with path parameters filled in.</summary>
    private static async Task<List<(string Method, string Path)>> Endpoints(HttpClient client)
    {
        var document = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        var endpoints = new List<(string, string)>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var concrete = System.Text.RegularExpressions.Regex.Replace(path.Name, "{([^}]+)}", m =>
                m.Groups[1].Value.Contains("id", StringComparison.OrdinalIgnoreCase) && !m.Groups[1].Value.Contains("waybill", StringComparison.OrdinalIgnoreCase)
                    ? Guid.NewGuid().ToString() : "SF0000000000000");
            foreach (var operation in path.Value.EnumerateObject())
                endpoints.Add((operation.Name.ToUpperInvariant(), concrete));
        }
        return endpoints;
    }

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned) await owned.DisposeAsync();
    }
}
