using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Messages;

namespace MelonChain.ContractGrowing.Tests;

/// <summary>
/// Contract terms follow the lot: ending a contract is published with the day it ended, and an amendment carries the
/// harvest date it prices from, so the cooperative never applies it to melons harvested before.
/// </summary>
public class ContractEndsAndAmendmentsTests(GrowingFixture f) : IClassFixture<GrowingFixture>
{
    private static DateOnly Today => ChinaTime.Today(TimeProvider.System);

    [Theory]
    [InlineData("complete")]
    [InlineData("terminate")]
    public async Task Completing_or_terminating_a_signed_contract_publishes_the_day_it_ended(string move)
    {
        var (grower, _, contract) = await f.DraftAsync();
        (await f.Officer.PostAsync($"/api/v1/growing/contracts/{contract}/sign", null)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.OK, (await f.Officer.PostAsync($"/api/v1/growing/contracts/{contract}/{move}", null)).StatusCode);

        var queue = move == "complete" ? f.CompletedQueue : f.TerminatedQueue;
        var ended = await Eventually.Until(() => f.Broker.TakeAsync(queue), m => m.Any(e => e.GetProperty("contractId").GetGuid() == contract));
        var e = ended.Single(e => e.GetProperty("contractId").GetGuid() == contract);
        Assert.Equal(grower, e.GetProperty("growingGrowerId").GetGuid());
        Assert.Equal(Today.ToString("yyyy-MM-dd"), e.GetProperty("endedOn").GetString());
        Assert.Equal("shangxiang", e.GetProperty("cooperativeId").GetString());
    }

    [Fact]
    public async Task A_draft_terminated_was_never_announced_and_publishes_nothing()
    {
        var (_, _, draft) = await f.DraftAsync();
        var (_, _, signed) = await f.DraftAsync();
        (await f.Officer.PostAsync($"/api/v1/growing/contracts/{signed}/sign", null)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.OK, (await f.Officer.PostAsync($"/api/v1/growing/contracts/{draft}/terminate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await f.Officer.PostAsync($"/api/v1/growing/contracts/{signed}/terminate", null)).StatusCode);

        // The draft's termination was committed first: had it been published, it would be in the queue by the time the signed one's is.
        var ended = await Eventually.Until(() => f.Broker.TakeAsync(f.TerminatedQueue), m => m.Any(e => e.GetProperty("contractId").GetGuid() == signed));
        Assert.DoesNotContain(ended, e => e.GetProperty("contractId").GetGuid() == draft);
    }

    [Fact]
    public async Task An_amendment_prices_harvests_from_its_effective_date_and_the_published_terms_carry_it()
    {
        var (_, _, contract) = await f.DraftAsync();
        (await f.Officer.PostAsync($"/api/v1/growing/contracts/{contract}/sign", null)).EnsureSuccessStatusCode();
        var tomorrow = Today.AddDays(1).ToString("yyyy-MM-dd");

        var later = await f.Officer.PostAsJsonAsync($"/api/v1/growing/contracts/{contract}/amendments",
            new { minPriceFenPerKg = GrowingFixture.Prices(grade1: 800), reason = "明天起保底价上调", effectiveFrom = tomorrow });
        var unnamed = await f.Officer.PostAsJsonAsync($"/api/v1/growing/contracts/{contract}/amendments",
            new { expectedKg = 1200m, reason = "预计产量上调" });

        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        Assert.Equal(HttpStatusCode.Created, unnamed.StatusCode);
        var history = (await f.Officer.GetFromJsonAsync<JsonElement>($"/api/v1/growing/contracts/{contract}")).GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(JsonValueKind.Null, history[0].GetProperty("effectiveFrom").ValueKind);
        Assert.Equal(tomorrow, history[1].GetProperty("effectiveFrom").GetString());
        Assert.Equal(Today.ToString("yyyy-MM-dd"), history[2].GetProperty("effectiveFrom").GetString());
        var amended = await Eventually.Until(() => f.Broker.TakeAsync(f.AmendedQueue), m => m.Count(e => e.GetProperty("contractId").GetGuid() == contract) == 2);
        var byVersion = amended.Where(e => e.GetProperty("contractId").GetGuid() == contract).ToDictionary(e => e.GetProperty("version").GetInt32());
        Assert.Equal(tomorrow, byVersion[2].GetProperty("effectiveFrom").GetString());
        Assert.Equal(800, byVersion[2].GetProperty("minPriceFenPerKg").GetProperty("grade1").GetInt64());
        Assert.Equal(Today.ToString("yyyy-MM-dd"), byVersion[3].GetProperty("effectiveFrom").GetString());
    }

    [Fact]
    public async Task An_amendment_effective_in_the_past_or_over_a_year_ahead_is_422_and_writes_nothing()
    {
        var (_, _, contract) = await f.DraftAsync();
        (await f.Officer.PostAsync($"/api/v1/growing/contracts/{contract}/sign", null)).EnsureSuccessStatusCode();

        foreach (var day in new[] { Today.AddDays(-1), Today.AddDays(367), DateOnly.MinValue, DateOnly.MaxValue })
        {
            var response = await f.Officer.PostAsJsonAsync($"/api/v1/growing/contracts/{contract}/amendments",
                new { minPriceFenPerKg = GrowingFixture.Prices(grade1: 800), reason = "追溯调价", effectiveFrom = day.ToString("yyyy-MM-dd") });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("effectiveFrom", out _), day.ToString("O"));
        }
        Assert.Equal(1, await f.CountAsync("select count(*) from contract_terms where contract_id = @contract", new { contract }));
    }
}
