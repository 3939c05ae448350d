using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MelonChain.Cooperative.Tests;

public class ReceivingAndGradingTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static DateOnly Today => CooperativeFixture.Today;

    private static async Task<Guid> Receipt(ClerkSession c, Guid grower, decimal grossKg)
    {
        var receipt = await c.Post("/api/v1/cooperative/receipts", new { growerId = grower, harvestedOn = Today.ToString("yyyy-MM-dd"), grossKg, crates = 4 });
        return receipt.GetProperty("id").GetGuid();
    }

    [Theory]
    [InlineData(100.001, "graded more than received")]
    [InlineData(96.999, "shrink over 3%")]
    public async Task Grading_above_gross_or_with_shrink_over_the_limit_is_422_and_writes_nothing(double gradedKg, string because)
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        var receipt = await Receipt(c, grower, 100m);

        var response = await c.Http.PostAsJsonAsync($"/api/v1/cooperative/receipts/{receipt}/grading",
            new { lines = new[] { new { grade = "grade1", kg = (decimal)gradedKg - 10m }, new { grade = "grade2", kg = 10m } } });

        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, because);
        Assert.Equal(0, await f.CountAsync("select count(*) from lots where receipt_id = @receipt", new { receipt }));
        Assert.Equal(0, await f.CountAsync("select count(*) from gradings where receipt_id = @receipt", new { receipt }));
    }

    [Fact]
    public async Task Grading_within_the_shrink_limit_makes_one_lot_per_grade_and_grading_twice_is_409()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, memberNo) = await c.Grower();
        var receipt = await Receipt(c, grower, 100m);

        var first = await c.Post($"/api/v1/cooperative/receipts/{receipt}/grading",
            new { lines = new object[] { new { grade = "premium", kg = 20m, fruitCount = 40 }, new { grade = "grade1", kg = 70m }, new { grade = "offgrade", kg = 7.5m } } });
        var again = await c.Http.PostAsJsonAsync($"/api/v1/cooperative/receipts/{receipt}/grading", new { lines = new[] { new { grade = "grade1", kg = 97m } } });

        Assert.Equal(2.5m, first.GetProperty("shrinkKg").GetDecimal());
        Assert.Equal(3, first.GetProperty("lots").GetArrayLength());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var stock = await c.Http.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/stock");
        Assert.Equal(70m, stock.GetProperty("grades").EnumerateArray().Single(g => g.GetProperty("grade").GetString() == "grade1").GetProperty("availableKg").GetDecimal());

        var graded = await Eventually.Until(() => f.Broker.TakeAsync(f.GradedQueue), m => m.Any(e => e.GetProperty("receiptId").GetGuid() == receipt));
        var e = graded.Single(x => x.GetProperty("receiptId").GetGuid() == receipt);
        Assert.Equal(grower, e.GetProperty("memberId").GetGuid());
        Assert.Equal(2_500, e.GetProperty("shrinkGrams").GetInt64());
        Assert.Contains(e.GetProperty("lines").EnumerateArray(), l => l.GetProperty("grade").GetString() == "premium" && l.GetProperty("grams").GetInt64() == 20_000 && l.GetProperty("fruitCount").GetInt32() == 40);
        _ = memberNo;
    }

    [Theory]
    [InlineData(1, "in the future")]
    [InlineData(-8, "older than 7 days")]
    public async Task Harvest_dates_in_the_future_or_too_old_are_422(int days, string because)
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        var response = await c.Http.PostAsJsonAsync("/api/v1/cooperative/receipts",
            new { growerId = grower, harvestedOn = Today.AddDays(days).ToString("yyyy-MM-dd"), grossKg = 10m, crates = 1 });
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, because);
    }

    [Fact]
    public async Task A_clerk_of_another_cooperative_sees_none_of_our_rows()
    {
        var ours = await f.NewCooperativeAsync();
        var theirs = await f.NewCooperativeAsync();
        var (grower, _) = await ours.Grower();
        var receipt = await Receipt(ours, grower, 50m);
        var buyer = await ours.Buyer();
        var order = await ours.Order(buyer, ("grade1", 5m, 800));

        foreach (var path in new[] { $"/api/v1/cooperative/growers/{grower}", $"/api/v1/cooperative/receipts/{receipt}", $"/api/v1/cooperative/orders/{order}",
                     $"/api/v1/cooperative/growers/{grower}/account" })
            Assert.Equal(HttpStatusCode.NotFound, (await theirs.Http.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await theirs.Http.PostAsJsonAsync($"/api/v1/cooperative/receipts/{receipt}/grading", new { lines = new[] { new { grade = "grade1", kg = 50m } } })).StatusCode);
        Assert.Equal(0, (await theirs.Http.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/receipts")).GetProperty("items").GetArrayLength());
    }
}
