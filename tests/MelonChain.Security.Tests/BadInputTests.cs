using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MelonChain.Security.Tests;

/// <summary>
/// S4: bad input is refused with 400/413/422 ProblemDetails and writes nothing — whole-body attacks on every write
/// operation of every document, and a table of bad values put into each field of a valid request.
/// </summary>
[Collection(Secured.Name)]
public class BadInputTests(SecuredSystem f)
{
    private static readonly string Deep = string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200);

    /// <summary>Bodies no endpoint may accept (bodies over the size limit have a test of their own, in PublicExposureTests).</summary>
    private static readonly (string What, string Body)[] BadBodies =
    [
        ("malformed JSON", "{\"growerId\": "),
        ("an array", "[1,2,3]"),
        ("a string", "\"hello\""),
        ("JSON 200 levels deep", Deep),
        ("NaN", "{\"grossKg\": NaN, \"weightKg\": NaN}"),
    ];

    private static readonly string[] Today = [DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).ToString("yyyy-MM-dd")];

    /// <summary>Valid requests, and the bad values each field is attacked with.</summary>
    public static readonly (string Path, Func<SecuredSystem, JsonObject> Valid)[] Samples =
    [
        ("/api/v1/cooperative/growers", _ => Obj(new { memberNo = "SX-900", name = "李伯", phone = "13800001111", village = "上巷村", kind = "member" })),
        ("/api/v1/cooperative/receipts", s => Obj(new { growerId = s.Ids["{growerId}"], harvestedOn = Today[0], grossKg = 50.5m, crates = 3, note = "早上收" })),
        ("/api/v1/cooperative/buyers", _ => Obj(new { name = "沪上餐厅", city = "上海", address = "徐汇区漕溪北路1号", contactName = "陈经理", phone = "13911113333" })),
        ("/api/v1/cooperative/orders", s => Obj(new
        {
            buyerId = s.BuyerId, destination = new { city = "北京", address = "朝阳区建国路88号", contactName = "王经理", phone = "13911112222" },
            lines = new[] { new { grade = "premium", kg = 10m, priceFenPerKg = 1600 } },
        })),
        ("/api/v1/dispatch/quotes", _ => Obj(new { destinationCity = "Beijing", product = "express", parcels = new[] { new { weightKg = 5m, lengthCm = 40, widthCm = 30, heightCm = 25 } } })),
        ("/api/v1/growing/growers", _ => Obj(new { name = "梁婶", phone = "13622224444", town = "恩平市大田镇", village = "朗北村" })),
        ("/api/v1/growing/seedling-batches", _ => Obj(new { batchNo = "DR-SEC-1", nursery = "杜阮育苗场", motherField = "北芦村母本田", sownOn = Today[0], count = 1000, germinationRate = 0.9m })),
    ];

    private static readonly (string What, JsonNode? Value)[] BadValues =
    [
        ("wrong type (object)", new JsonObject { ["x"] = 1 }),
        ("wrong type (boolean)", JsonValue.Create(true)),
        ("negative", JsonValue.Create(-5)),
        ("huge", JsonValue.Create(1e300)),
        ("NaN as text", JsonValue.Create("NaN")),
        ("a date far in the future", JsonValue.Create("2999-01-01")),
        // Under the 1 MB body limit (which has a test of its own), so the field's own length check must refuse it.
        ("0.9 MB of text", JsonValue.Create(new string('x', 900_000))),
        ("control characters", JsonValue.Create("a\u0000b\u0007c")),
        ("SQL", JsonValue.Create("1'; drop table receipts; --")),
        ("script", JsonValue.Create("<script>alert(1)</script>")),
        ("null", null),
    ];

    public static IEnumerable<object[]> Services => SecuredSystem.ServiceNames.Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_write_operation_refuses_malformed_deep_huge_and_mistyped_bodies_with_ProblemDetails_and_writes_nothing(string service)
    {
        var admin = await f.AdminOf(MelonSystem.Cooperative);
        var before = await f.SnapshotAsync();
        var failures = new List<string>();
        foreach (var operation in (await f.OperationsAsync(service)).Where(o => o.HasBody && !o.IsCarrierPush))
            foreach (var (what, body) in BadBodies)
            {
                var (status, type) = await Send(admin, operation.Method, f.Concrete(operation.Path), body);
                if (status is not (400 or 413 or 422) || type != "application/problem+json")
                    failures.Add($"{operation} with {what}: {status} {type}");
            }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(await f.WrittenSinceAsync(before));
    }

    [Fact]
    public async Task Each_field_of_each_create_refuses_a_table_of_bad_values_with_ProblemDetails_and_writes_nothing()
    {
        var admin = await f.AdminOf(MelonSystem.Cooperative);
        var before = await f.SnapshotAsync();
        var failures = new List<string>();
        var tried = 0;
        foreach (var (path, valid) in Samples)
            foreach (var field in Leaves(valid(f)))
                foreach (var (what, value) in BadValues)
                {
                    if (Accepts(field, what)) continue;
                    var body = valid(f);
                    Set(body, field, value?.DeepClone());
                    tried++;
                    var (status, type) = await Send(admin, "POST", path, body.ToJsonString());
                    if (status is not (400 or 413 or 422) || type != "application/problem+json")
                        failures.Add($"POST {path} with {field} = {what}: {status} {type}");
                }
        Assert.True(tried > 200, $"only {tried} bad requests tried");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(await f.WrittenSinceAsync(before));
    }

    private static readonly string[] FreeText =
        ["note", "name", "address", "village", "town", "nursery", "motherField", "contactName", "city",
         "destination.city", "destination.address", "destination.contactName"];

    private static readonly string[] Codes = ["memberNo", "batchNo"];

    private static readonly string[] Optional =
        ["note", "product", "parcels[0].lengthCm", "parcels[0].widthCm", "parcels[0].heightCm"];

    /// <summary>
    /// Values a field rightly takes: free text (a note, a name, an address) may hold apostrophes and words such as
    /// "drop table" (stored as data through parameters, never run — see <see cref="Text_that_looks_like_SQL_is_stored_as_data_and_runs_nothing"/>),
    /// "NaN" or a date; a code may be "NaN" or look like a date, and so may a phone number; optional fields may be null.
    /// </summary>
    private static bool Accepts(string field, string what) => what switch
    {
        "SQL" => FreeText.Contains(field),
        "NaN as text" => FreeText.Contains(field) || Codes.Contains(field),
        // Digits and dashes are also the shape of a phone number.
        "a date far in the future" => FreeText.Contains(field) || Codes.Contains(field) || field.EndsWith("phone"),
        "null" => Optional.Contains(field),
        _ => false,
    };

    [Fact]
    public async Task Text_that_looks_like_SQL_is_stored_as_data_and_runs_nothing()
    {
        var clerk = f.Scenario.Clerk;
        var note = "Robert'); drop table receipts; --";
        var body = Samples.Single(s => s.Path == "/api/v1/cooperative/receipts").Valid(f);
        body["note"] = note;

        var (status, _) = await Send(clerk, "POST", "/api/v1/cooperative/receipts", body.ToJsonString());

        Assert.Equal(201, status);
        Assert.Equal(1, await f.System.ScalarAsync<long>("Cooperative", "select count(*) from receipts where note = @note", new { note }));
    }

    private static JsonObject Obj(object value) => JsonSerializer.SerializeToNode(value, new JsonSerializerOptions(JsonSerializerDefaults.Web))!.AsObject();

    private static IEnumerable<string> Leaves(JsonNode node, string prefix = "") => node switch
    {
        JsonObject o => o.SelectMany(p => Leaves(p.Value!, prefix.Length == 0 ? p.Key : $"{prefix}.{p.Key}")),
        JsonArray a => a.Count == 0 ? [] : Leaves(a[0]!, $"{prefix}[0]"),
        _ => [prefix],
    };

    private static void Set(JsonNode root, string path, JsonNode? value)
    {
        var parts = path.Replace("[0]", ".0").Split('.');
        var node = root;
        foreach (var part in parts[..^1]) node = int.TryParse(part, out var i) ? node[i]! : node[part]!;
        if (int.TryParse(parts[^1], out var index)) node[index] = value;
        else node[parts[^1]] = value;
    }

    private static async Task<(int Status, string? Type)> Send(HttpClient client, string method, string path, string body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        try
        {
            using var response = await client.SendAsync(request);
            return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType);
        }
        catch (HttpRequestException e) { return (0, e.Message); }
    }
}
