using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MelonChain.Security.Tests;

/// <summary>
/// S4: bad input is refused with 400/413/422 ProblemDetails and writes nothing — whole-body attacks on every write
/// operation of every document, a table of bad values put into each field of a valid request, and (S16) a null into
/// every list of every body and bad dates into every query date.
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

    /// <summary>Orders whose boxes are empty, too heavy, oddly sized, or too many (a box holds 1 to 30 kg; an order at most 2,000 boxes).</summary>
    private static readonly (string What, Action<JsonObject> Change)[] BadOrders =
    [
        ("0 kg boxes", o => o["boxNetKg"] = 0),
        ("negative kg boxes", o => o["boxNetKg"] = -5),
        ("half-kg boxes (under 1 kg)", o => o["boxNetKg"] = 0.5m),
        ("30.001 kg boxes", o => o["boxNetKg"] = 30.001m),
        ("31 kg boxes", o => o["boxNetKg"] = 31),
        ("boxes of a tonne", o => o["boxNetKg"] = 1000),
        ("a box 0 cm long", o => o["box"] = Box(0, 30, 25)),
        ("a box of negative width", o => o["box"] = Box(40, -30, 25)),
        ("a box 40.5 cm long", o => o["box"] = new JsonObject { ["lengthCm"] = 40.5m, ["widthCm"] = 30, ["heightCm"] = 25 }),
        ("a box 201 cm high", o => o["box"] = Box(40, 30, 201)),
        ("a box 2 billion cm long", o => o["box"] = Box(2_000_000_000, 30, 25)),
        ("2,001 boxes of 5 kg", o => o["lines"]![0]!["kg"] = 10_005),
        ("2,001 boxes of 1 kg", o => { o["boxNetKg"] = 1; o["lines"]![0]!["kg"] = 2_001; }),
        ("2,080 boxes over four lines", o => o["lines"] = new JsonArray([.. new[] { "premium", "grade1", "grade2", "offgrade" }
            .Select(g => (JsonNode)new JsonObject { ["grade"] = g, ["kg"] = 2_600, ["priceFenPerKg"] = 1600 })])),
    ];

    private static JsonObject Box(long length, long width, long height) => new() { ["lengthCm"] = length, ["widthCm"] = width, ["heightCm"] = height };

    [Fact]
    public async Task Orders_of_0_kg_over_30_kg_oddly_sized_or_over_2000_boxes_are_refused_and_write_nothing()
    {
        var clerk = f.Scenario.Clerk;
        var before = await f.SnapshotAsync();
        var failures = new List<string>();
        foreach (var (what, change) in BadOrders)
        {
            var body = Samples.Single(s => s.Path == "/api/v1/cooperative/orders").Valid(f);
            change(body);
            var (status, type) = await Send(clerk, "POST", "/api/v1/cooperative/orders", body.ToJsonString());
            if (status is not (400 or 422) || type != "application/problem+json") failures.Add($"{what}: {status} {type}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(await f.WrittenSinceAsync(before));
    }

    /// <summary>Settlement periods the system must not settle: backwards, across centuries, outside 2000–2099, malformed.</summary>
    private static readonly (string What, JsonNode? From, JsonNode? To)[] BadPeriods =
    [
        ("to before from", "2025-02-01", "2025-01-31"),
        ("across 1999 and 2000", "1999-12-01", "2000-01-31"),
        ("across 2099 and 2100", "2099-12-01", "2100-01-31"),
        ("two centuries long", "1901-01-01", "2099-12-31"),
        ("a century long inside 2000–2099", "2000-01-01", "2099-12-31"),
        ("0001-01-01", "0001-01-01", "0001-01-31"),
        ("9999-12-31", "9999-12-01", "9999-12-31"),
        ("0001-01-01 to 9999-12-31", "0001-01-01", "9999-12-31"),
        ("9999-12-31 to 0001-01-01", "9999-12-31", "0001-01-01"),
        ("30 February", "2025-02-01", "2025-02-30"),
        ("month 13", "2025-13-01", "2025-13-31"),
        ("day first", "01/02/2025", "28/02/2025"),
        ("no leading zeros", "2025-1-1", "2025-1-31"),
        ("a date and time", "2025-01-01T00:00:00Z", "2025-01-31T00:00:00Z"),
        ("empty text", "", ""),
        ("words", "yesterday", "today"),
        ("numbers", 20250101, 20250131),
        ("only to", null, "2025-01-31"),
    ];

    [Fact]
    public async Task Settlements_of_backwards_century_spanning_out_of_range_or_malformed_periods_are_refused_and_write_nothing()
    {
        var clerk = f.Scenario.Clerk;
        var before = await f.SnapshotAsync();
        var failures = new List<string>();
        foreach (var (what, from, to) in BadPeriods)
        {
            var body = new JsonObject { ["from"] = from?.DeepClone(), ["to"] = to?.DeepClone() };
            var (status, type) = await Send(clerk, "POST", "/api/v1/cooperative/settlements", body.ToJsonString());
            if (status is not (400 or 422) || type != "application/problem+json") failures.Add($"{what}: {status} {type}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(await f.WrittenSinceAsync(before));
    }

    private static readonly string[] BadDates = ["0001-01-01", "1999-12-31", "2100-01-01", "9999-12-31", "2025-02-30", "2025-13-01", "not a date"];

    private static readonly string[] BadInstants =
        ["0001-01-01T00:00:00Z", "1999-12-31T23:00:00Z", "2100-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-14:00", "2025-02-30T10:00:00Z", "not a time"];

    /// <summary>
    /// Every date and time field the document gives any write operation's body (found in its schema, so optional
    /// fields and new ones are attacked too), set in turn to dates outside 2000–2099, the ends of the calendar and
    /// malformed dates, in an otherwise valid body.
    /// </summary>
    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_date_field_of_every_write_refuses_extreme_and_malformed_dates_with_ProblemDetails_and_writes_nothing(string service)
    {
        var admin = await f.AdminOf(MelonSystem.Cooperative);
        var before = await f.SnapshotAsync();
        var failures = new List<string>();
        var fields = 0;
        foreach (var operation in (await f.OperationsAsync(service)).Where(o => o.HasBody && !o.IsCarrierPush))
            foreach (var (field, format) in DateFields(operation, operation.BodySchema!.Value))
            {
                fields++;
                foreach (var value in format == "date" ? BadDates : BadInstants)
                {
                    var body = ValidRequests.For(f, operation)!;
                    Set(body, field, JsonValue.Create(value));
                    var (status, type) = await Send(admin, operation.Method, f.Concrete(operation.Path), body.ToJsonString());
                    if (status is not (400 or 422) || type != "application/problem+json")
                        failures.Add($"{operation} with {field} = {value}: {status} {type}");
                }
            }
        Assert.True(fields >= service switch { "ContractGrowing" => 4, "Cooperative" => 3, "Dispatch" => 3, _ => 0 }, $"only {fields} date fields in {service}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(await f.WrittenSinceAsync(before));
    }

    /// <summary>
    /// S16: every list the document gives any write operation's body (found in its schema, so optional lists, lists inside
    /// list items and new ones are attacked too) holding a <c>null</c> in an otherwise valid body: 422 naming the element
    /// (<c>lines[0]</c>), nothing written.
    /// </summary>
    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_list_of_every_write_refuses_a_null_element_with_422_naming_it_and_writes_nothing(string service)
    {
        var admin = await f.AdminOf(MelonSystem.Cooperative);
        var before = await f.SnapshotAsync();
        var failures = new List<string>();
        var lists = 0;
        foreach (var operation in (await f.OperationsAsync(service)).Where(o => o.HasBody && !o.IsCarrierPush))
            foreach (var list in ListFields(operation, operation.BodySchema!.Value))
            {
                lists++;
                var body = ValidRequests.For(f, operation)!;
                Set(body, list, new JsonArray((JsonNode?)null));
                var (status, type, errors) = await SendForErrors(admin, operation.Method, f.Concrete(operation.Path), body.ToJsonString());
                if (status != 422 || type != "application/problem+json" || !errors.Contains($"{list}[0]"))
                    failures.Add($"{operation} with {list} = [null]: {status} {type} naming {string.Join(", ", errors)}");
            }
        Assert.True(lists >= service switch { "Cooperative" => 3, "Dispatch" => 5, _ => 0 }, $"only {lists} lists in {service}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(await f.WrittenSinceAsync(before));
    }

    /// <summary>
    /// S16: every date and time the document gives any operation's query (recall, EPCIS, certificates, reports and the
    /// rest), set in turn to the ends of the calendar, dates outside 2000–2099 and malformed dates: 422 naming the
    /// parameter (400 for what is not a date at all), never a 500.
    /// </summary>
    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_query_date_of_every_operation_refuses_extreme_and_malformed_dates_with_ProblemDetails_and_writes_nothing(string service)
    {
        var admin = await f.AdminOf(MelonSystem.Cooperative);
        var before = await f.SnapshotAsync();
        var failures = new List<string>();
        var parameters = 0;
        foreach (var operation in (await f.OperationsAsync(service)).Where(o => !o.IsPublic && !o.IsCarrierPush))
            foreach (var (name, format) in QueryDates(operation))
            {
                parameters++;
                foreach (var value in format == "date" ? BadDates : BadInstants)
                {
                    var path = ValidRequests.WithQuery(operation, f.Concrete(operation.Path));
                    path += (path.Contains('?') ? "&" : "?") + $"{name}={Uri.EscapeDataString(value)}";
                    var (status, type, errors) = await SendForErrors(admin, operation.Method, path, ValidRequests.For(f, operation)?.ToJsonString());
                    var wellFormed = DateTimeOffset.TryParse(value, out _) || DateOnly.TryParseExact(value, "yyyy-MM-dd", out _);
                    if (type != "application/problem+json" || !(wellFormed ? status == 422 && errors.Contains(name) : status is 400 or 422))
                        failures.Add($"{operation} with ?{name}={value}: {status} {type} naming {string.Join(", ", errors)}");
                }
            }
        Assert.True(parameters >= service switch { "Cooperative" => 8, _ => 0 }, $"only {parameters} query dates in {service}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(await f.WrittenSinceAsync(before));
    }

    /// <summary>The query parameters of an operation whose format is a date or a date-time.</summary>
    private static IEnumerable<(string Name, string Format)> QueryDates(Operation operation) =>
        !operation.Spec.TryGetProperty("parameters", out var parameters) ? [] :
        parameters.EnumerateArray()
            .Where(p => p.GetProperty("in").GetString() == "query" && p.TryGetProperty("schema", out var schema)
                && operation.Resolve(schema).TryGetProperty("format", out var format) && format.GetString() is "date" or "date-time")
            .Select(p => (p.GetProperty("name").GetString()!, operation.Resolve(p.GetProperty("schema")).GetProperty("format").GetString()!))
            .ToList();

    /// <summary>The lists of a request schema, as paths into the body (a list inside list items as <c>accounts[0].defaultFor</c>).</summary>
    private static IEnumerable<string> ListFields(Operation operation, JsonElement schema, string prefix = "")
    {
        schema = operation.Resolve(schema);
        foreach (var combinator in new[] { "allOf", "oneOf", "anyOf" })
            if (schema.TryGetProperty(combinator, out var parts))
                return parts.EnumerateArray().SelectMany(part => ListFields(operation, part, prefix)).ToList();
        if (schema.TryGetProperty("items", out var items))
            return new[] { prefix }.Concat(ListFields(operation, items, prefix + "[0]")).ToList();
        if (schema.TryGetProperty("properties", out var properties))
            return properties.EnumerateObject().SelectMany(p => ListFields(operation, p.Value, prefix.Length == 0 ? p.Name : $"{prefix}.{p.Name}")).ToList();
        return [];
    }

    /// <summary>The fields of a request schema whose format is a date or a date-time, as paths into the body.</summary>
    private static IEnumerable<(string Path, string Format)> DateFields(Operation operation, JsonElement schema, string prefix = "")
    {
        schema = operation.Resolve(schema);
        foreach (var combinator in new[] { "allOf", "oneOf", "anyOf" })
            if (schema.TryGetProperty(combinator, out var parts))
                return parts.EnumerateArray().SelectMany(part => DateFields(operation, part, prefix));
        if (schema.TryGetProperty("format", out var format) && format.GetString() is "date" or "date-time")
            return [(prefix, format.GetString()!)];
        if (schema.TryGetProperty("items", out var items))
            return DateFields(operation, items, prefix + "[0]");
        if (schema.TryGetProperty("properties", out var properties))
            return properties.EnumerateObject().SelectMany(p => DateFields(operation, p.Value, prefix.Length == 0 ? p.Name : $"{prefix}.{p.Name}")).ToList();
        return [];
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

    /// <summary>Sets the field at <paramref name="path"/>, making the objects on the way that the valid body leaves out.</summary>
    private static void Set(JsonNode root, string path, JsonNode? value)
    {
        var parts = path.Replace("[0]", ".0").Split('.');
        var node = root;
        foreach (var part in parts[..^1]) node = int.TryParse(part, out var i) ? node[i]! : node[part] ??= new JsonObject();
        if (int.TryParse(parts[^1], out var index)) node[index] = value;
        else node[parts[^1]] = value;
    }

    /// <summary>The answer's status, media type and the fields its <c>errors</c> name.</summary>
    private static async Task<(int Status, string? Type, IReadOnlyList<string> Errors)> SendForErrors(
        HttpClient client, string method, string path, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        var type = response.Content.Headers.ContentType?.MediaType;
        IReadOnlyList<string> errors = [];
        if (type == "application/problem+json" && JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement is var problem
            && problem.TryGetProperty("errors", out var named))
            errors = named.EnumerateObject().Select(e => e.Name).ToList();
        return ((int)response.StatusCode, type, errors);
    }

    private static async Task<(int Status, string? Type)> Send(HttpClient client, string method, string path, string body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        // Every POST carries an Idempotency-Key, as the apps send them (money that moves is refused without one: 428).
        if (method == "POST") request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        try
        {
            using var response = await client.SendAsync(request);
            return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType);
        }
        catch (HttpRequestException e) { return (0, e.Message); }
    }
}
