using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.ContractGrowing.Tests;

public class ContractTests(GrowingFixture f) : IClassFixture<GrowingFixture>
{
    [Fact]
    public async Task Issuing_more_seedlings_than_the_batch_has_left_is_422_and_takes_nothing()
    {
        var (_, _, contract) = await f.DraftAsync();
        var batch = await f.BatchAsync(1000);
        (await f.Officer.PostAsJsonAsync($"/api/v1/growing/contracts/{contract}/seedling-issues", new { batchId = batch, count = 800 })).EnsureSuccessStatusCode();

        var over = await f.Officer.PostAsJsonAsync($"/api/v1/growing/contracts/{contract}/seedling-issues", new { batchId = batch, count = 201 });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, over.StatusCode);
        Assert.Equal(200, (await over.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("remaining").GetInt32());
        Assert.Equal(200, await f.CountAsync("select remaining from seedling_batches where id = @batch", new { batch }));
        Assert.Equal(1, await f.CountAsync("select count(*) from seedling_issues where batch_id = @batch", new { batch }));
    }

    [Fact]
    public async Task Two_concurrent_issues_that_together_exceed_the_batch_leave_exactly_one_issued()
    {
        var (_, _, first) = await f.DraftAsync();
        var (_, _, second) = await f.DraftAsync();
        var batch = await f.BatchAsync(6000);
        var other = f.Growing.As(Roles.Officer, "officer-2");

        var responses = await Task.WhenAll(
            f.Officer.PostAsJsonAsync($"/api/v1/growing/contracts/{first}/seedling-issues", new { batchId = batch, count = 4000 }),
            other.PostAsJsonAsync($"/api/v1/growing/contracts/{second}/seedling-issues", new { batchId = batch, count = 4000 }));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.UnprocessableEntity);
        Assert.Equal(2000, await f.CountAsync("select remaining from seedling_batches where id = @batch", new { batch }));
        Assert.Equal(4000, await f.CountAsync("select coalesce(sum(count), 0) from seedling_issues where batch_id = @batch", new { batch }));
    }

    [Fact]
    public async Task Signed_terms_change_only_by_amendment_and_every_version_is_kept()
    {
        var (grower, plot, contract) = await f.DraftAsync(expectedKg: 2000m);
        var batch = await f.BatchAsync(3000);
        (await f.Officer.PostAsJsonAsync($"/api/v1/growing/contracts/{contract}/seedling-issues", new { batchId = batch, count = 1500 })).EnsureSuccessStatusCode();
        (await f.Officer.PostAsync($"/api/v1/growing/contracts/{contract}/sign", null)).EnsureSuccessStatusCode();

        var edit = await f.Officer.PutAsJsonAsync($"/api/v1/growing/contracts/{contract}", new
        {
            growerId = grower, plotId = plot, season = "2026-autumn", variety = "杜阮凉瓜", seedlings = 1500, expectedKg = 1m, minPriceFenPerKg = GrowingFixture.Prices(grade1: 1),
        });
        Assert.Equal(HttpStatusCode.Conflict, edit.StatusCode);

        var amended = await f.Officer.PostAsJsonAsync($"/api/v1/growing/contracts/{contract}/amendments",
            new { minPriceFenPerKg = GrowingFixture.Prices(grade1: 760), reason = "台风后保底价上调 minimum raised after the typhoon" });
        Assert.Equal(HttpStatusCode.Created, amended.StatusCode);

        var view = await f.Officer.GetFromJsonAsync<JsonElement>($"/api/v1/growing/contracts/{contract}");
        Assert.Equal("signed", view.GetProperty("status").GetString());
        Assert.Equal(760, view.GetProperty("terms").GetProperty("minPriceFenPerKg").GetProperty("grade1").GetInt64());
        var history = view.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal([1, 2], history.Select(h => h.GetProperty("version").GetInt32()));
        Assert.Equal(700, history[0].GetProperty("minPriceFenPerKg").GetProperty("grade1").GetInt64());
        Assert.Equal(2000m, view.GetProperty("terms").GetProperty("expectedKg").GetDecimal());

        // Both changes left through the outbox with the catalogue's fields.
        var signed = await Eventually.Until(() => f.Broker.TakeAsync(f.SignedQueue), m => m.Any(e => e.GetProperty("contractId").GetGuid() == contract));
        var s = signed.Single(e => e.GetProperty("contractId").GetGuid() == contract);
        Assert.Equal(grower, s.GetProperty("growingGrowerId").GetGuid());
        Assert.Equal("恩平市大田镇朗北村", s.GetProperty("region").GetString());
        Assert.Equal(6700, s.GetProperty("plotAreaM2").GetInt64());
        Assert.Equal(2_000_000, s.GetProperty("expectedGrams").GetInt64());
        Assert.Equal(700, s.GetProperty("minPriceFenPerKg").GetProperty("grade1").GetInt64());
        Assert.StartsWith("DR-", s.GetProperty("seedlingBatchNo").GetString());
        Assert.Equal("shangxiang", s.GetProperty("cooperativeId").GetString());
        var amendedEvent = await Eventually.Until(() => f.Broker.TakeAsync(f.AmendedQueue), m => m.Any(e => e.GetProperty("contractId").GetGuid() == contract));
        Assert.Equal(760, amendedEvent.Single(e => e.GetProperty("contractId").GetGuid() == contract).GetProperty("minPriceFenPerKg").GetProperty("grade1").GetInt64());
    }

    [Theory]
    [InlineData("complete", "draft")]
    [InlineData("sign", "signed")]
    [InlineData("terminate", "completed")]
    public async Task Illegal_status_moves_are_409(string move, string from)
    {
        var (_, _, contract) = await f.DraftAsync();
        if (from != "draft") (await f.Officer.PostAsync($"/api/v1/growing/contracts/{contract}/sign", null)).EnsureSuccessStatusCode();
        if (from == "completed") (await f.Officer.PostAsync($"/api/v1/growing/contracts/{contract}/complete", null)).EnsureSuccessStatusCode();

        var response = await f.Officer.PostAsync($"/api/v1/growing/contracts/{contract}/{move}", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(from, (await f.Officer.GetFromJsonAsync<JsonElement>($"/api/v1/growing/contracts/{contract}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_officer_of_another_cooperative_sees_nothing()
    {
        var (grower, _, contract) = await f.DraftAsync();
        var stranger = f.Growing.As(Roles.Officer, "officer-x", cooperative: "another-coop");

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/growing/contracts/{contract}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/growing/growers/{grower}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsync($"/api/v1/growing/contracts/{contract}/sign", null)).StatusCode);
        Assert.Equal("draft", (await f.Officer.GetFromJsonAsync<JsonElement>($"/api/v1/growing/contracts/{contract}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Bad_input_is_refused_with_ProblemDetails_and_writes_nothing()
    {
        var (grower, plot, _) = await f.DraftAsync();
        var before = await f.CountAsync("select (select count(*) from contracts) + (select count(*) from contract_terms) + (select count(*) from growers)");

        var badContract = await f.Officer.PostAsJsonAsync("/api/v1/growing/contracts", new
        {
            growerId = grower, plotId = plot, season = "autumn", variety = "<script>alert(1)</script>", seedlings = -5, expectedKg = -1m,
            minPriceFenPerKg = GrowingFixture.Prices(grade1: -700),
        });
        var badGrower = await f.Officer.PostAsJsonAsync("/api/v1/growing/growers", new { name = "x", phone = "call me", idNumber = "123", town = "t", village = "v" });
        var wrongType = await f.Officer.PostAsync("/api/v1/growing/contracts",
            new StringContent("{\"growerId\": 12, \"seedlings\": \"many\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, badContract.StatusCode);
        var errors = (await badContract.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "season", "variety", "seedlings", "expectedKg", "minPriceFenPerKg.grade1" })
            Assert.True(errors.TryGetProperty(field, out _), field);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badGrower.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Equal("application/problem+json", wrongType.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await f.CountAsync("select (select count(*) from contracts) + (select count(*) from contract_terms) + (select count(*) from growers)"));
    }

    [Fact]
    public async Task Lists_mask_phone_and_ID_numbers()
    {
        await f.DraftAsync();
        var growers = await f.Officer.GetFromJsonAsync<JsonElement>("/api/v1/growing/growers");
        var body = growers.GetRawText();
        Assert.DoesNotContain("13622223333", body);
        Assert.DoesNotContain("440785197001011234", body);
        Assert.Contains("136****3333", body);
    }
}
