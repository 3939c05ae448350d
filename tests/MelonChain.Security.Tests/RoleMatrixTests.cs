using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Security.Tests;

/// <summary>
/// S8, the role matrix: every role the system serves, on every operation of every document it may not use, through
/// the Gateway with a valid token of that role (of the seeded rows' cooperative) and a valid body, is 403 and writes
/// nothing. Which roles may use an operation is declared once, in the endpoint's authorization, and the document
/// publishes it (<c>x-roles</c>, from <c>OpenApiSetup</c>); this test only reads it.
/// </summary>
[Collection(Secured.Name)]
public class RoleMatrixTests(SecuredSystem f)
{
    public static IEnumerable<object[]> Services => SecuredSystem.ServiceNames.Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_operation_publishes_the_roles_its_authorization_admits_or_that_it_is_public(string service)
    {
        var failures = new List<string>();
        foreach (var operation in await f.OperationsAsync(service))
        {
            var open = operation.IsPublic || operation.IsCarrierPush;
            if (open != operation.IsAnonymous)
                failures.Add($"{operation}: {(operation.IsAnonymous ? "needs no token but is neither public nor the carrier's push" : "is public but the document asks for a token")}");
            if (open) continue;
            if (operation.Roles is not { Count: > 0 } roles)
                failures.Add($"{operation}: publishes no roles (give it RequireRoles)");
            else if (!roles.Contains(Roles.Admin) || roles.Except(Roles.All).Any())
                failures.Add($"{operation}: publishes [{string.Join(", ", roles)}]; roles are {string.Join(", ", Roles.All)} and admin is always one of them");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_role_is_refused_with_403_on_every_operation_it_may_not_use_and_nothing_is_written(string service)
    {
        var operations = (await f.OperationsAsync(service)).Where(o => !o.IsPublic && !o.IsCarrierPush).ToList();
        var before = await f.SnapshotAsync();
        var failures = new List<string>();
        var refused = 0;
        foreach (var role in Roles.All)
        {
            var client = await ClientOf(role);
            foreach (var operation in operations.Where(o => !(o.Roles ?? []).Contains(role)))
            {
                refused++;
                var (status, type) = await Send(client, operation.Method, f.Concrete(operation.Path), ValidRequests.For(f, operation)?.ToJsonString());
                if (status != 403 || type != "application/problem+json")
                    failures.Add($"{role} on {operation}: {status} {type}, expected 403 ProblemDetails");
            }
        }
        Assert.True(refused >= operations.Count, $"only {refused} refusals tried over {operations.Count} operations");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(await f.WrittenSinceAsync(before));
    }

    /// <summary>
    /// The matrix is real: each role an operation admits gets past authorization. Reads are made on the seeded rows;
    /// writes on an unknown id (404) or, with no id, with a body that fails validation (400/422), so nothing is
    /// written. A write with neither an id nor a body (rebuilding Tracking's read model) is not called.
    /// </summary>
    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_role_an_operation_admits_gets_past_authorization(string service)
    {
        var operations = (await f.OperationsAsync(service)).Where(o => !o.IsPublic && !o.IsCarrierPush).ToList();
        var before = await f.SnapshotAsync();
        var failures = new List<string>();
        var admitted = 0;
        foreach (var role in Roles.All)
        {
            var client = await ClientOf(role);
            foreach (var operation in operations.Where(o => (o.Roles ?? []).Contains(role)))
            {
                var hasId = operation.Path.Contains('{');
                if (operation.IsWrite && !hasId && !operation.HasBody) continue;
                admitted++;
                var path = ValidRequests.WithQuery(operation,
                    operation.IsWrite && hasId ? Regex.Replace(operation.Path, "{[^}]+}", _ => Guid.NewGuid().ToString()) : f.Concrete(operation.Path));
                var body = operation.IsWrite && !hasId ? "[]" : ValidRequests.For(f, operation)?.ToJsonString();
                var (status, type) = await Send(client, operation.Method, path, body);
                var expected = !operation.IsWrite ? status is >= 200 and < 300 || (status == 404 && NoSeededRow.Contains(operation.Path))
                    : hasId ? status == 404 : status is 400 or 422;
                if (!expected || status is 401 or 403)
                    failures.Add($"{role} on {operation}: {status} {type}");
            }
        }
        Assert.True(admitted >= operations.Count - 1, $"only {admitted} admitted calls over {operations.Count} operations");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(await f.WrittenSinceAsync(before));
    }

    /// <summary>
    /// R15's endpoints exist in every service, through the Gateway, for its admin only: the dead letters listed as a
    /// page, and redelivered (nothing here to move). Every other role is refused.
    /// </summary>
    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_service_lists_and_redelivers_its_dead_letters_for_its_admin_only(string service)
    {
        var operations = await f.OperationsAsync(service);
        var prefix = operations.Select(o => o.Path).First(p => p.StartsWith("/api/v1/")).Split('/')[..4];
        var list = string.Join('/', prefix) + "/admin/dead-letters";
        Assert.Equal(new[] { Roles.Admin }, Assert.Single(operations, o => o.Method == "GET" && o.Path == list).Roles);
        Assert.Equal(new[] { Roles.Admin }, Assert.Single(operations, o => o.Method == "POST" && o.Path == list + "/redeliver").Roles);

        var admin = await ClientOf(Roles.Admin);
        using var page = await admin.GetAsync(list);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, System.Text.Json.JsonDocument.Parse(await page.Content.ReadAsStringAsync()).RootElement.GetProperty("items").ValueKind);
        Assert.Equal(200, (await Send(admin, "POST", list + "/redeliver", "{}")).Status);
        Assert.Equal(422, (await Send(admin, "POST", list + "/redeliver", "{\"queue\":\"not-ours_error\"}")).Status);
        foreach (var role in Roles.All.Where(r => r != Roles.Admin))
        {
            var client = await ClientOf(role);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(list)).StatusCode);
            Assert.Equal(403, (await Send(client, "POST", list + "/redeliver", "{}")).Status);
        }
    }

    /// <summary>Reads of a row the seeded data does not hold, so an admitted role meets 404.</summary>
    private static readonly string[] NoSeededRow =
    [
        "/api/v1/cooperative/settlements/{id}/statements/{growerId}", // the seeded settlement settled no delivered order: no statements
        "/api/v1/cooperative/settlements/{id}/statements/{growerId}.pdf",
        "/api/v1/cooperative/claims/{id}", // the seeded system files no claim
    ];

    /// <summary>A token of the role for the seeded rows' cooperative; the buyer and the courier are the seeded ones.</summary>
    private Task<HttpClient> ClientOf(string role) => role switch
    {
        Roles.Buyer => f.System.AsAsync(role, "buyer-a", buyerId: f.BuyerId),
        Roles.Courier => f.System.AsAsync(role, "courier-a", courierId: Scenario.CourierId),
        _ => f.System.AsAsync(role, role + "-1"),
    };

    private static async Task<(int Status, string? Type)> Send(HttpClient client, string method, string path, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        // Every POST carries an Idempotency-Key, as the apps send them (money that moves is refused without one: 428).
        if (method == "POST") request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType);
    }
}
