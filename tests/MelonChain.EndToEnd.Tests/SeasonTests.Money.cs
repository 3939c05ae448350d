using System.Net.Http.Json;
using System.Text.Json;

namespace MelonChain.EndToEnd.Tests;

public partial class SeasonTests
{
    /// <summary>
    /// The demo's money beyond the pools: a 0.20 yuan/kg sorting fee from the catalogue on every statement, two
    /// advances netted (what is left carried forward), and the year's surplus returned by volume to the fen.
    /// </summary>
    [Fact]
    public async Task The_demo_takes_the_sorting_fee_nets_two_advances_and_returns_the_years_surplus_by_volume()
    {
        var settled = Assert.Single(await SeasonFixture.AllAsync(f.Clerk, $"{Cooperative}/settlements"));
        var id = settled.GetProperty("id").GetGuid();
        var settlement = await f.Clerk.GetFromJsonAsync<JsonElement>($"{Cooperative}/settlements/{id}");
        var statements = settlement.GetProperty("statements").EnumerateArray().ToList();

        foreach (var s in statements)
        {
            var grams = s.GetProperty("lines").EnumerateArray().Sum(l => (long)(l.GetProperty("kg").GetDecimal() * 1000));
            Assert.Equal((grams * 20 + 500) / 1000, s.GetProperty("deductionsFen").GetInt64());   // 0.20 yuan/kg, half up
        }
        Assert.Equal(statements.Sum(s => s.GetProperty("deductionsFen").GetInt64()), settlement.GetProperty("totals").GetProperty("deductionsFen").GetInt64());

        // Two growers of the Beijing order were advanced 300 and 200 yuan: each statement nets what it can.
        var advanced = statements.Where(s => s.GetProperty("advanceNettedFen").GetInt64() > 0).ToList();
        Assert.Equal(2, advanced.Count);
        var advances = new List<long>();
        foreach (var s in advanced)
        {
            var grower = s.GetProperty("growerId").GetGuid();
            var paid = -(await f.Clerk.GetFromJsonAsync<JsonElement>($"{Cooperative}/growers/{grower}/account")).GetProperty("entries").EnumerateArray()
                .Where(e => e.GetProperty("kind").GetString() == "advance").Sum(e => e.GetProperty("amountFen").GetInt64());
            var statement = await f.Clerk.GetFromJsonAsync<JsonElement>($"{Cooperative}/settlements/{id}/statements/{grower}");
            Assert.Equal(Math.Min(paid, statement.GetProperty("totalFen").GetInt64()), statement.GetProperty("advanceNettedFen").GetInt64());
            Assert.Equal(paid, statement.GetProperty("advanceNettedFen").GetInt64() + statement.GetProperty("advanceCarriedFen").GetInt64());
            Assert.Equal(statement.GetProperty("totalFen").GetInt64() - statement.GetProperty("advanceNettedFen").GetInt64(), statement.GetProperty("toPayFen").GetInt64());
            advances.Add(paid);
        }
        Assert.Equal([20_000L, 30_000L], advances.Order());
        Assert.Equal(advanced.Sum(s => s.GetProperty("advanceNettedFen").GetInt64()), settlement.GetProperty("totals").GetProperty("advancesNettedFen").GetInt64());

        var surplus = Assert.Single((await f.Clerk.GetFromJsonAsync<JsonElement>($"{Cooperative}/surplus-returns")).GetProperty("items").EnumerateArray());
        var returned = await f.Clerk.GetFromJsonAsync<JsonElement>($"{Cooperative}/surplus-returns/{surplus.GetProperty("id").GetGuid()}");
        Assert.Equal(3_000_000, returned.GetProperty("byVolumeFen").GetInt64());
        Assert.Equal(2_000_000, returned.GetProperty("retainedFen").GetInt64());
        var members = returned.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(3_000_000, members.Sum(m => m.GetProperty("amountFen").GetInt64()));
        Assert.Equal(statements.Select(s => s.GetProperty("memberNo").GetString()).Order(), members.Select(m => m.GetProperty("memberNo").GetString()).Order());
        // The summary `up` prints shows all three, per member.
        Assert.Matches(@"Advances   \S+ 300 yuan and \S+ 200 yuan paid at harvest: [\d,.]+ yuan netted", f.FirstPlay);
        Assert.Contains($"Surplus    {returned.GetProperty("year").GetInt32()}: 50,000 yuan distributable, 60% by volume = 30,000 yuan to {members.Count} members", f.FirstPlay);
        var memberLines = f.FirstPlay.Split('\n').Where(l => l.Contains(" kg sold ") && l.Contains(" fee −") && l.Contains(" surplus +")).ToList();
        Assert.Equal(statements.Count, memberLines.Count);
        Assert.Equal(2, memberLines.Count(l => l.Contains(" advance −")));
        // More kg sold, never a smaller part.
        var byVolume = members.OrderBy(m => m.GetProperty("volumeKg").GetDecimal()).Select(m => m.GetProperty("amountFen").GetInt64()).ToList();
        Assert.Equal(byVolume.Order(), byVolume);
    }
}
