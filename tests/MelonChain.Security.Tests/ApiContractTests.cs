using System.Net;
using System.Text.Json;

namespace MelonChain.Security.Tests;

/// <summary>
/// The API contract a generated client relies on, read from every service's OpenAPI document and checked against the
/// running system: every error answer is described with its problem types, every list is paged the same way, and a
/// web client on a configured origin may call the Gateway.
/// </summary>
[Collection(Secured.Name)]
public class ApiContractTests(SecuredSystem f)
{
    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_operation_describes_its_error_answers_as_ProblemDetails_with_their_problem_types(string service)
    {
        var failures = new List<string>();
        foreach (var operation in await f.OperationsAsync(service))
        {
            var responses = operation.Spec.GetProperty("responses");
            var errors = responses.EnumerateObject().Where(r => r.Name[0] is '4' or '5').ToDictionary(r => r.Name, r => r.Value);
            foreach (var (status, response) in errors)
            {
                var types = response.TryGetProperty("x-problem-types", out var t) ? t.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
                if (!response.TryGetProperty("content", out var content) || !content.TryGetProperty("application/problem+json", out _))
                    failures.Add($"{operation.Method} {operation.Path} {status}: not described as application/problem+json");
                if (types.Count == 0 || !types.All(x => x.StartsWith("urn:melonchain:problem:")))
                    failures.Add($"{operation.Method} {operation.Path} {status}: no problem types");
            }
            var expected = new List<string> { "429", "500", "503" };
            if (!operation.IsAnonymous) expected.AddRange(["401", "403"]);
            if (operation.Path.Contains('{')) expected.Add("404");
            if (operation.HasBody) expected.Add("422");
            foreach (var status in expected.Where(s => !errors.ContainsKey(s)))
                failures.Add($"{operation.Method} {operation.Path}: no {status} answer described");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task A_refusal_the_system_really_answers_is_one_its_document_names_for_that_operation()
    {
        var operations = await f.OperationsAsync("Cooperative");
        var receipts = operations.Single(o => o.Method == "POST" && o.Path == "/api/v1/cooperative/receipts");
        // A cooperative never onboarded: the receipt needs its profile.
        var stranger = await f.System.AsAsync("clerk", "clerk-new", "never-onboarded");
        using var response = await stranger.PostAsync("/api/v1/cooperative/receipts",
            new StringContent(JsonSerializer.Serialize(new { growerId = Guid.NewGuid(), harvestedOn = Scenario.ChinaToday, grossKg = 10m, crates = 1 }),
                System.Text.Encoding.UTF8, "application/json"));
        var type = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetString();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var declared = receipts.Spec.GetProperty("responses").GetProperty("409").GetProperty("x-problem-types").EnumerateArray().Select(x => x.GetString());
        Assert.Contains(type, declared);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_list_is_a_page_with_limit_and_after_and_refuses_a_cursor_it_did_not_give(string service)
    {
        var failures = new List<string>();
        var pages = 0;
        foreach (var operation in (await f.OperationsAsync(service)).Where(o => o.Method == "GET" && !o.IsPublic))
        {
            if (!operation.Spec.GetProperty("responses").TryGetProperty("200", out var ok)
                || !ok.TryGetProperty("content", out var content) || !content.TryGetProperty("application/json", out var json)) continue;
            var schema = operation.Resolve(json.GetProperty("schema"));
            // A part of one record (a pickup's boxes, at most 2,000; a contract's timeline) comes whole with it.
            if (schema.TryGetProperty("type", out var type) && type.ToString().Contains("array") && !operation.Path.Contains('{'))
            {
                failures.Add($"{operation.Path}: an unpaged list");
                continue;
            }
            if (!schema.TryGetProperty("properties", out var properties) || !properties.TryGetProperty("items", out _) || !properties.TryGetProperty("next", out _))
                continue;
            pages++;
            var query = operation.Spec.TryGetProperty("parameters", out var parameters)
                ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()).ToList() : [];
            if (!query.Contains("limit") || !query.Contains("after")) failures.Add($"{operation.Path}: a page without limit and after");
            if (operation.Path.Contains('{')) continue;
            var admin = await f.AdminOf(MelonChain.Testing.MelonSystem.Cooperative);
            var path = ValidRequests.WithQuery(operation, operation.Path);
            using var bad = await admin.GetAsync(path + (path.Contains('?') ? "&" : "?") + "after=bm90LWEtY3Vyc29y");
            if (bad.StatusCode != HttpStatusCode.UnprocessableEntity || bad.Content.Headers.ContentType?.MediaType != "application/problem+json")
                failures.Add($"{operation.Path}?after=<not ours>: {(int)bad.StatusCode}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(pages > 0, $"{service} has no paged list");
    }

    [Fact]
    public async Task A_web_client_on_the_configured_origin_may_call_the_Gateway_and_any_other_origin_may_not()
    {
        async Task<HttpResponseMessage> Preflight(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/cooperative/receipts");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,idempotency-key");
            return await f.Anonymous.SendAsync(request);
        }

        using var allowed = await Preflight(SecuredSystem.WebClientOrigin);
        using var other = await Preflight("https://evil.example");

        Assert.True(allowed.IsSuccessStatusCode, $"preflight answered {(int)allowed.StatusCode}");
        Assert.Equal(SecuredSystem.WebClientOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("idempotency-key", string.Join(",", allowed.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant());
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    public static TheoryData<string> Services() => new(SecuredSystem.ServiceNames);
}
