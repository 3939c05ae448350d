using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Tests;

/// <summary>
/// S4/S16: a <c>null</c> inside a list and a date at the ends of the calendar in a query are 422 naming the field, never
/// a 500, and write nothing. (The Security suite's sweep puts them into every list and query date of every service.)
/// </summary>
public class NullAndExtremeInputTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static DateOnly Today => CooperativeFixture.Today;

    private static async Task AssertFieldNamed(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), $"{field} not named in {body}");
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, string method, string path, string json) =>
        client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    [Fact]
    public async Task A_null_line_of_an_order_or_a_grading_is_422_naming_it_and_writes_nothing()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        await c.Harvest(grower, Today, ("grade1", 10m));
        var receipt = (await c.Post("/api/v1/cooperative/receipts", new { growerId = grower, harvestedOn = Today.ToString("yyyy-MM-dd"), grossKg = 10m, crates = 1 }))
            .GetProperty("id").GetGuid();
        var buyer = await c.Buyer();

        var order = await Send(c.Http, "POST", "/api/v1/cooperative/orders", JsonSerializer.Serialize(new
        {
            buyerId = buyer, destination = new { city = "北京", address = "朝阳区建国路88号", contactName = "王经理", phone = "13911112222" },
            lines = new object?[] { new { grade = "grade1", kg = 5m, priceFenPerKg = 800 }, null },
        }));
        var grading = await Send(c.Http, "POST", $"/api/v1/cooperative/receipts/{receipt}/grading", """{"lines":[null]}""");

        await AssertFieldNamed(order, "lines[1]");
        await AssertFieldNamed(grading, "lines[0]");
        Assert.Equal(0, await f.CountAsync("select count(*) from orders where cooperative_id = @Coop", new { Coop = c.CooperativeId }));
        Assert.Equal(0, await f.CountAsync("select count(*) from gradings where receipt_id = @receipt", new { receipt }));
    }

    [Fact]
    public async Task A_null_rule_in_the_deduction_catalogue_is_422_naming_it_and_the_catalogue_stays_as_it_was()
    {
        var c = await f.NewCooperativeAsync();
        var admin = f.Cooperative.As(Roles.Admin, "admin-1", cooperative: c.CooperativeId);
        var before = await admin.GetStringAsync("/api/v1/cooperative/deduction-rules");

        var response = await Send(admin, "PUT", "/api/v1/cooperative/deduction-rules",
            """{"rules":[{"name":"分拣费","basis":"per_kg_sold","amount":20,"effectiveFrom":"2035-01-01"},null]}""");

        await AssertFieldNamed(response, "rules[1]");
        Assert.Equal(before, await admin.GetStringAsync("/api/v1/cooperative/deduction-rules"));
    }

    [Theory]
    [InlineData("/api/v1/cooperative/certificates?to=0001-01-01", "to")]
    [InlineData("/api/v1/cooperative/certificates?from=0001-01-01", "from")]
    [InlineData("/api/v1/cooperative/certificates?to=9999-12-31", "to")]
    [InlineData("/api/v1/cooperative/epcis?to=0001-01-01", "to")]
    [InlineData("/api/v1/cooperative/reports/intake?from=9999-12-31", "from")]
    [InlineData("/api/v1/cooperative/recall?harvestedFrom=0001-01-01&harvestedTo=0001-01-02", "harvestedFrom")]
    public async Task A_query_date_at_the_ends_of_the_calendar_is_422_naming_it(string path, string field)
    {
        var c = await f.NewCooperativeAsync();
        var admin = f.Cooperative.As(Roles.Admin, "admin-1", cooperative: c.CooperativeId);

        await AssertFieldNamed(await admin.GetAsync(path), field);
    }
}
