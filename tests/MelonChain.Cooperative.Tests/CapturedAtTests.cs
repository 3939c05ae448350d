using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MelonChain.Cooperative.Tests;

/// <summary>
/// capturedAt: a receipt or grading the workstation captured offline and sends later keeps the moment it was taken — its
/// received (graded) time, its receipt number's day, the day's list and the harvest-age rule are those of the capture.
/// </summary>
public class CapturedAtTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static DateOnly Today => CooperativeFixture.Today;

    /// <summary>10:00 in Beijing on that China day, as a workstation sends it.</summary>
    private static string At(DateOnly day, int hour = 10) => $"{day:yyyy-MM-dd}T{hour:D2}:00:00+08:00";

    private static async Task<JsonElement> Problem(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_receipt_captured_yesterday_offline_is_received_then_numbered_for_that_day_and_its_harvest_judged_from_that_day()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        var yesterday = Today.AddDays(-1);
        // Harvested 7 days before the capture: 8 days before today, which a receipt taken now would refuse.
        var harvested = yesterday.AddDays(-7);

        var receipt = await c.Post("/api/v1/cooperative/receipts",
            new { growerId = grower, harvestedOn = harvested.ToString("yyyy-MM-dd"), grossKg = 42.5m, crates = 2, capturedAt = At(yesterday) });

        var capturedAt = DateTimeOffset.Parse(At(yesterday));
        Assert.Equal(capturedAt, receipt.GetProperty("receivedAt").GetDateTimeOffset());
        Assert.Equal(capturedAt, receipt.GetProperty("capturedAt").GetDateTimeOffset());
        Assert.Contains($"-{yesterday:yyyyMMdd}-", receipt.GetProperty("receiptNo").GetString());
        var id = receipt.GetProperty("id").GetGuid();
        var listed = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/receipts?date={yesterday:yyyy-MM-dd}");
        Assert.Equal([id], listed.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()));
        Assert.Equal(capturedAt, listed.GetProperty("items")[0].GetProperty("capturedAt").GetDateTimeOffset());
        // Taken now, the same harvest is too old.
        var now = await c.Http.PostAsJsonAsync("/api/v1/cooperative/receipts",
            new { growerId = grower, harvestedOn = harvested.ToString("yyyy-MM-dd"), grossKg = 42.5m, crates = 2 });
        Assert.True((await Problem(now)).GetProperty("errors").TryGetProperty("harvestedOn", out _));
        // Without capturedAt nothing changes: received now, capturedAt null.
        var online = await c.Post("/api/v1/cooperative/receipts", new { growerId = grower, harvestedOn = Today.ToString("yyyy-MM-dd"), grossKg = 10m, crates = 1 });
        Assert.Equal(JsonValueKind.Null, online.GetProperty("capturedAt").ValueKind);
        Assert.Contains($"-{Today:yyyyMMdd}-", online.GetProperty("receiptNo").GetString());
    }

    public static TheoryData<string, string> BadReceiptCaptures => new()
    {
        { "yesterday", "not a timestamp" },
        { "2026-06-12T10:00:00", "no offset: the instant is unknown" },
        { DateTimeOffset.UtcNow.AddMinutes(30).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), "later than now beyond the clock skew" },
        { At(Today.AddDays(-8)), "older than the harvest-age window" },
        { "", "empty" },
        { "0001-01-01T00:00:00Z", "the start of the calendar" },
        { "9999-12-31T23:59:59-14:00", "past the end of the calendar in UTC" },
        { "2025-02-30T10:00:00Z", "a day that does not exist" },
    };

    [Theory]
    [MemberData(nameof(BadReceiptCaptures))]
    public async Task A_receipt_with_a_capturedAt_that_cannot_be_right_is_422_naming_it_and_records_nothing(string capturedAt, string because)
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();

        var response = await c.Http.PostAsJsonAsync("/api/v1/cooperative/receipts",
            new { growerId = grower, harvestedOn = Today.ToString("yyyy-MM-dd"), grossKg = 30m, crates = 1, capturedAt });

        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty("capturedAt", out _), because);
        Assert.Equal(0, await f.CountAsync("select count(*) from receipts where cooperative_id = @Coop", new { Coop = c.CooperativeId }));
    }

    [Fact]
    public async Task A_harvest_dated_after_the_capture_is_refused()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();

        var response = await c.Http.PostAsJsonAsync("/api/v1/cooperative/receipts",
            new { growerId = grower, harvestedOn = Today.ToString("yyyy-MM-dd"), grossKg = 30m, crates = 1, capturedAt = At(Today.AddDays(-1)) });

        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty("harvestedOn", out _));
        Assert.Equal(0, await f.CountAsync("select count(*) from receipts where cooperative_id = @Coop", new { Coop = c.CooperativeId }));
    }

    [Fact]
    public async Task A_grading_captured_offline_keeps_its_time_and_one_before_its_receipt_or_in_the_future_is_422_writing_nothing()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        var yesterday = Today.AddDays(-1);
        var receipt = (await c.Post("/api/v1/cooperative/receipts",
            new { growerId = grower, harvestedOn = yesterday.ToString("yyyy-MM-dd"), grossKg = 50m, crates = 2, capturedAt = At(yesterday, 9) })).GetProperty("id").GetGuid();
        var path = $"/api/v1/cooperative/receipts/{receipt}/grading";

        foreach (var (bad, because) in new[] { (At(yesterday, 8), "before the receipt"), (DateTimeOffset.UtcNow.AddHours(1).ToString("O"), "in the future"), ("soon", "not a timestamp") })
        {
            var refused = await c.Http.PostAsJsonAsync(path, new { lines = new[] { new { grade = "grade1", kg = 49.5m } }, capturedAt = bad });
            Assert.True((await Problem(refused)).GetProperty("errors").TryGetProperty("capturedAt", out _), because);
        }
        Assert.Equal(0, await f.CountAsync("select count(*) from gradings where cooperative_id = @Coop", new { Coop = c.CooperativeId }));
        Assert.Equal(0, await f.CountAsync("select count(*) from lots where cooperative_id = @Coop", new { Coop = c.CooperativeId }));

        var grading = await c.Post(path, new { lines = new[] { new { grade = "grade1", kg = 49.5m } }, capturedAt = At(yesterday, 11) });

        var capturedAt = DateTimeOffset.Parse(At(yesterday, 11));
        Assert.Equal(capturedAt, grading.GetProperty("gradedAt").GetDateTimeOffset());
        Assert.Equal(capturedAt, grading.GetProperty("capturedAt").GetDateTimeOffset());
        var listed = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/receipts/{receipt}/gradings");
        Assert.Equal(capturedAt, listed[0].GetProperty("capturedAt").GetDateTimeOffset());
        Assert.Equal(1, await f.CountAsync("select count(*) from lots where cooperative_id = @Coop and graded_at = @At", new { Coop = c.CooperativeId, At = capturedAt.ToUniversalTime() }));
    }

    [Fact]
    public async Task Another_cooperative_sees_none_of_the_receipts_captured_offline()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        var yesterday = Today.AddDays(-1);
        await c.Post("/api/v1/cooperative/receipts", new { growerId = grower, harvestedOn = yesterday.ToString("yyyy-MM-dd"), grossKg = 20m, crates = 1, capturedAt = At(yesterday) });
        var other = await f.NewCooperativeAsync();

        var seen = await other.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/receipts?date={yesterday:yyyy-MM-dd}");

        Assert.Empty(seen.GetProperty("items").EnumerateArray());
    }
}
