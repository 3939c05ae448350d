using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MelonChain.Platform.Tests;

/// <summary>What a clerk on a flaky village network relies on: a retried POST records once; bad input writes nothing.</summary>
public class RequestRulesTests(SliceFixture f) : IClassFixture<SliceFixture>
{
    [Fact]
    public async Task Retrying_a_receipt_with_the_same_Idempotency_Key_returns_the_same_receipt_and_records_one()
    {
        var grower = await f.RegisterContractGrowerAsync("EP-201");
        var key = Guid.NewGuid().ToString();

        var first = await Post("/api/v1/cooperative/receipts", SliceFixture.Receipt(grower, 42.5m), key);
        var retry = await Post("/api/v1/cooperative/receipts", SliceFixture.Receipt(grower, 42.5m), key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(Id(firstBody), Id(await retry.Content.ReadAsStringAsync()));
        Assert.Equal(1, await f.CountAsync(f.CooperativeDb, $"select count(*) from receipts where grower_id = '{grower}'"));
    }

    [Fact]
    public async Task Reusing_an_Idempotency_Key_with_another_body_is_refused_and_writes_nothing()
    {
        var grower = await f.RegisterContractGrowerAsync("EP-202");
        var key = Guid.NewGuid().ToString();
        (await Post("/api/v1/cooperative/receipts", SliceFixture.Receipt(grower, 10m), key)).EnsureSuccessStatusCode();

        var changed = await Post("/api/v1/cooperative/receipts", SliceFixture.Receipt(grower, 11m), key);

        await AssertProblem(changed, HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        Assert.Equal(1, await f.CountAsync(f.CooperativeDb, $"select count(*) from receipts where grower_id = '{grower}'"));
    }

    [Theory]
    [InlineData("{\"growerId\": ")]                                                        // truncated JSON
    [InlineData("{\"growerId\": \"not-a-guid\", \"harvestedOn\": \"2026-11-20\", \"grossKg\": 5, \"crates\": 1}")]
    [InlineData("{\"growerId\": \"0195d3a0-0000-7000-8000-000000000001\", \"grossKg\": \"lots\", \"crates\": 1}")]
    [InlineData("{\"growerId\": \"0195d3a0-0000-7000-8000-000000000001\", \"grossKg\": 5, \"crates\": 1.5}")]
    [InlineData("{\"growerId\": \"0195d3a0-0000-7000-8000-000000000001\", \"grossKg\": 1e999, \"crates\": 1}")]
    [InlineData("[1, 2, 3]")]
    public async Task Malformed_json_and_wrong_types_get_400_ProblemDetails_and_write_nothing(string body)
    {
        var before = await Written();

        var response = await f.Clerk.PostAsync("/api/v1/cooperative/receipts", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertProblem(response, HttpStatusCode.BadRequest, "malformed-request");
        Assert.Equal(before, await Written());
    }

    [Fact]
    public async Task Rule_violations_get_422_with_every_field_named_and_write_nothing()
    {
        var grower = await f.RegisterContractGrowerAsync("EP-203");
        var before = await Written();

        var response = await f.Clerk.PostAsJsonAsync("/api/v1/cooperative/receipts", new
        {
            growerId = grower, harvestedOn = SliceFixture.ChinaToday().AddDays(2).ToString("yyyy-MM-dd"), grossKg = 2000.0001m, crates = -1,
        });

        var problem = await AssertProblem(response, HttpStatusCode.UnprocessableEntity, "validation");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("harvestedOn", out _));
        Assert.True(errors.TryGetProperty("grossKg", out _));
        Assert.True(errors.TryGetProperty("crates", out _));
        Assert.Equal(before, await Written());
    }

    /// <summary>
    /// S12: a clash with another request's write that no use case names — a unique or exclusion constraint, a
    /// serialization failure, a deadlock — is 409 with a stable type, never a 500, and the answer shows neither the SQL
    /// nor the constraint or table.
    /// </summary>
    [Theory]
    [InlineData("23505", "already-exists")]
    [InlineData("23P01", "already-exists")]
    [InlineData("40001", "concurrent-update")]
    [InlineData("40P01", "concurrent-update")]
    public async Task A_clash_no_use_case_names_is_409_with_a_stable_type_and_shows_no_sql(string sqlState, string code)
    {
        var clash = new Npgsql.PostgresException("duplicate key value violates unique constraint \"deduction_rules_cooperative_id_name_key\"",
            "ERROR", "ERROR", sqlState, detail: "Key (cooperative_id, name)=(shangxiang, 分拣费) already exists.",
            tableName: "deduction_rules", constraintName: "deduction_rules_cooperative_id_name_key");
        var http = new DefaultHttpContext { RequestServices = f.Cooperative.Services };
        http.Response.Body = new MemoryStream();
        var handler = ActivatorUtilities.CreateInstance<MelonChain.ServiceDefaults.Http.ProblemExceptionHandler>(f.Cooperative.Services);

        Assert.True(await handler.TryHandleAsync(http, clash, CancellationToken.None));

        Assert.Equal(409, http.Response.StatusCode);
        var body = Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray());
        Assert.Equal("urn:melonchain:problem:" + code, JsonDocument.Parse(body).RootElement.GetProperty("type").GetString());
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        Assert.DoesNotContain("deduction_rules", body);
        Assert.DoesNotContain("cooperative_id", body);
    }

    [Fact]
    public async Task A_database_shutting_down_is_still_503_with_Retry_After_not_a_conflict()
    {
        var http = new DefaultHttpContext { RequestServices = f.Cooperative.Services };
        http.Response.Body = new MemoryStream();
        var handler = ActivatorUtilities.CreateInstance<MelonChain.ServiceDefaults.Http.ProblemExceptionHandler>(f.Cooperative.Services);

        Assert.True(await handler.TryHandleAsync(http, new Npgsql.PostgresException("terminating connection due to administrator command",
            "FATAL", "FATAL", "57P01"), CancellationToken.None));

        Assert.Equal(503, http.Response.StatusCode);
        Assert.Equal("2", http.Response.Headers.RetryAfter.ToString());
    }

    private async Task<long> Written() =>
        await f.CountAsync(f.CooperativeDb, "select (select count(*) from receipts) + (select count(*) from idempotency_keys)");

    private Task<HttpResponseMessage> Post(string path, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return f.Clerk.SendAsync(request);
    }

    private static Guid Id(string json) => JsonDocument.Parse(json).RootElement.GetProperty("id").GetGuid();

    internal static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("urn:melonchain:problem:" + code, problem.GetProperty("type").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }
}
