using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MelonChain.Cooperative.Tests;

/// <summary>A grading mistake is corrected by a reversal (who, when, why) and a new grading; both stay on record.</summary>
public class GradingCorrectionTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static DateOnly Today => CooperativeFixture.Today;

    private static async Task<Guid> GradedReceipt(ClerkSession c, Guid grower, params (string Grade, decimal Kg)[] lines) =>
        await c.Harvest(grower, Today, lines);

    private static Task<HttpResponseMessage> Reverse(ClerkSession c, Guid receipt, object body) =>
        c.Http.PostAsJsonAsync($"/api/v1/cooperative/receipts/{receipt}/grading/reversal", body);

    private static async Task<decimal> AvailableKg(ClerkSession c, string grade) =>
        (await c.Http.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/stock")).GetProperty("grades").EnumerateArray()
            .Single(g => g.GetProperty("grade").GetString() == grade).GetProperty("availableKg").GetDecimal();

    [Fact]
    public async Task A_reversed_grading_stays_on_record_leaves_stock_and_a_new_grading_replaces_it()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        // 100 kg graded as grade 1 by mistake: it was premium.
        var receipt = await GradedReceipt(c, grower, ("grade1", 100m));
        Assert.Equal(100m, await AvailableKg(c, "grade1"));

        var reversal = await Reverse(c, receipt, new { reason = "评级错误：应为特级" });
        Assert.Equal(HttpStatusCode.OK, reversal.StatusCode);
        var reversed = await reversal.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, reversed.GetProperty("gradingNo").GetInt32());
        Assert.Equal("评级错误：应为特级", reversed.GetProperty("reversal").GetProperty("reason").GetString());
        Assert.Equal("clerk-1", reversed.GetProperty("reversal").GetProperty("reversedBy").GetString());
        Assert.Equal(0m, await AvailableKg(c, "grade1"));

        var regraded = await c.Post($"/api/v1/cooperative/receipts/{receipt}/grading", new { lines = new[] { new { grade = "premium", kg = 100m } } });
        Assert.Equal(2, regraded.GetProperty("gradingNo").GetInt32());
        Assert.Equal(100m, await AvailableKg(c, "premium"));
        Assert.Equal(0m, await AvailableKg(c, "grade1"));

        // Both gradings on record, oldest first, the first with its reversal.
        var gradings = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/receipts/{receipt}/gradings");
        Assert.Equal([1, 2], gradings.EnumerateArray().Select(g => g.GetProperty("gradingNo").GetInt32()));
        Assert.Equal("grade1", gradings[0].GetProperty("lots")[0].GetProperty("grade").GetString());
        Assert.Equal(JsonValueKind.Object, gradings[0].GetProperty("reversal").ValueKind);
        Assert.Equal(JsonValueKind.Null, gradings[1].GetProperty("reversal").ValueKind);

        // The intake book counts the live grading only.
        var intake = await c.Http.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/reports/intake");
        Assert.Equal(100m, intake.GetProperty("gradedKg").GetDecimal());
        var perGrade = intake.GetProperty("grades").EnumerateArray().ToDictionary(g => g.GetProperty("grade").GetString()!, g => g.GetProperty("gradedKg").GetDecimal());
        Assert.Equal(100m, perGrade["premium"]);
        Assert.Equal(0m, perGrade["grade1"]);

        // ContractGrowing and anyone else hear of the reversal, and of the new grading under its number.
        var reversals = await f.Broker.TakeUntilAsync(f.GradingReversedQueue, m => m.Any(e => e.GetProperty("receiptId").GetGuid() == receipt),
            TimeSpan.FromSeconds(30), "the reversal published");
        var published = reversals.Single(e => e.GetProperty("receiptId").GetGuid() == receipt);
        Assert.Equal(1, published.GetProperty("gradingNo").GetInt32());
        Assert.Equal("评级错误：应为特级", published.GetProperty("reason").GetString());
        var graded = await f.Broker.TakeUntilAsync(f.GradedQueue, m => m.Count(e => e.GetProperty("receiptId").GetGuid() == receipt) == 2,
            TimeSpan.FromSeconds(30), "both gradings published");
        Assert.Equal([1, 2], graded.Where(e => e.GetProperty("receiptId").GetGuid() == receipt).Select(e => e.GetProperty("gradingNo").GetInt32()).Order());
    }

    [Fact]
    public async Task A_grading_whose_lots_are_packed_is_409_naming_the_orders_and_nothing_changes()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        var receipt = await GradedReceipt(c, grower, ("grade1", 60m), ("grade2", 30m));
        var buyer = await c.Buyer();
        var first = await c.Order(buyer, ("grade1", 20m, 900));
        var second = await c.Order(buyer, ("grade1", 10m, 900));
        await c.Post($"/api/v1/cooperative/orders/{first}/pack", new { });
        await c.Post($"/api/v1/cooperative/orders/{second}/pack", new { });
        var before = await c.Http.GetStringAsync($"/api/v1/cooperative/receipts/{receipt}/gradings");

        var response = await Reverse(c, receipt, new { reason = "wrong scale" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith("grading-allocated", problem.GetProperty("type").GetString());
        Assert.Equal(new[] { first, second }.Order(), problem.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("orderId").GetGuid()).Order());
        Assert.Contains(first.ToString(), problem.GetProperty("detail").GetString());
        Assert.Equal(before, await c.Http.GetStringAsync($"/api/v1/cooperative/receipts/{receipt}/gradings"));
        Assert.Equal(30m, await AvailableKg(c, "grade1"));
        Assert.Equal(30m, await AvailableKg(c, "grade2"));
    }

    [Theory]
    [InlineData(null, "no reason")]
    [InlineData("   ", "a blank reason")]
    [InlineData("<script>x</script>", "markup")]
    public async Task A_reversal_without_a_plain_reason_is_422_and_writes_nothing(string? reason, string because)
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        var receipt = await GradedReceipt(c, grower, ("grade1", 40m));

        var response = await Reverse(c, receipt, new { reason });

        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, because);
        Assert.Equal(0, await f.CountAsync("select count(*) from gradings where receipt_id = @receipt and reversed_at is not null", new { receipt }));
        Assert.Equal(40m, await AvailableKg(c, "grade1"));
    }

    [Fact]
    public async Task Reversing_an_ungraded_or_already_reversed_receipt_is_409()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        var ungraded = (await c.Post("/api/v1/cooperative/receipts", new { growerId = grower, harvestedOn = Today.ToString("yyyy-MM-dd"), grossKg = 10m, crates = 1 }))
            .GetProperty("id").GetGuid();
        var graded = await GradedReceipt(c, grower, ("grade2", 10m));
        Assert.Equal(HttpStatusCode.OK, (await Reverse(c, graded, new { reason = "re-weigh" })).StatusCode);

        foreach (var receipt in new[] { ungraded, graded })
        {
            var response = await Reverse(c, receipt, new { reason = "again" });
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.EndsWith("not-graded", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        }
        Assert.Equal(1, await f.CountAsync("select count(*) from gradings where receipt_id = @graded and reversed_at is not null", new { graded }));
    }

    [Fact]
    public async Task A_reversal_racing_a_packing_for_the_same_lots_ends_in_exactly_one_of_them()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        var buyer = await c.Buyer();
        for (var round = 0; round < 6; round++)
        {
            var receipt = await GradedReceipt(c, grower, ("grade1", 25m));
            var order = await c.Order(buyer, ("grade1", 25m, 900));

            var pack = c.Http.PostAsJsonAsync($"/api/v1/cooperative/orders/{order}/pack", new { });
            var reverse = Reverse(c, receipt, new { reason = "race" });
            var (packed, reversed) = (await pack, await reverse);

            Assert.True(packed.IsSuccessStatusCode ^ reversed.IsSuccessStatusCode,
                $"round {round}: pack {(int)packed.StatusCode}, reversal {(int)reversed.StatusCode}");
            Assert.Equal(HttpStatusCode.Conflict, packed.IsSuccessStatusCode ? reversed.StatusCode : packed.StatusCode);
            // Whichever won, no lot is both withdrawn and packed, and nothing is left in stock from this receipt.
            Assert.Equal(0, await f.CountAsync("select count(*) from lots where cooperative_id = @Coop and withdrawn_at is not null and allocated_grams > 0",
                new { Coop = c.CooperativeId }));
            Assert.Equal(0m, await AvailableKg(c, "grade1"));
        }
    }
}
