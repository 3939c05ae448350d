using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.ServiceDefaults.Security;
using MelonChain.Testing;

namespace MelonChain.Dispatch.Tests;

/// <summary>
/// S12 in Dispatch: two people saving the same whole collection at once (an admin's carrier accounts, a dispatcher's
/// rate card) end with one of the saves, whole, and an answer that is a success or a 409, never a 500.
/// </summary>
public class ConcurrentSaveTests(DispatchFixture f) : IClassFixture<DispatchFixture>
{
    private const int Saves = 8;

    /// <summary>Sends every request at the same moment.</summary>
    private static async Task<HttpResponseMessage[]> AllAtOnceAsync(IEnumerable<Func<Task<HttpResponseMessage>>> sends)
    {
        using var start = new SemaphoreSlim(0);
        var running = sends.Select(async send => { await start.WaitAsync(); return await send(); }).ToList();
        start.Release(running.Count);
        return await Task.WhenAll(running);
    }

    private static void NoServerErrors(HttpResponseMessage[] answers) =>
        Assert.All(answers, a => Assert.True(a.IsSuccessStatusCode || a.StatusCode == HttpStatusCode.Conflict,
            $"{(int)a.StatusCode} {a.Content.ReadAsStringAsync().Result}"));

    [Fact]
    public async Task Eight_admins_saving_the_carrier_accounts_at_once_end_with_one_save_whole_and_no_500()
    {
        var coop = "acc-race-" + Guid.NewGuid().ToString("N")[..8];
        var admin = f.Dispatch.As(Roles.Admin, "admin-1", cooperative: coop);
        // Each save its own discounts and default cities, the SF card and JD customer code the cooperative's own.
        var saves = Enumerable.Range(0, Saves).Select(i => new
        {
            accounts = new object[]
            {
                new { carrier = "sf", account = Onboarding.MonthlyCardOf(coop), discountBps = 7000 + i, defaultFor = new[] { $"City{i}" } },
                new { carrier = "jd", account = Onboarding.JdCustomerCodeOf(coop), discountBps = 8000 + i, defaultFor = new[] { $"Town{i}" } },
            },
        }).ToList();

        var answers = await AllAtOnceAsync(saves.Select(body =>
            (Func<Task<HttpResponseMessage>>)(() => admin.PutAsJsonAsync("/api/v1/dispatch/carrier-accounts", body))));

        NoServerErrors(answers);
        Assert.Contains(answers, a => a.IsSuccessStatusCode);
        var rows = await f.QueryAsync<(string Carrier, string Account, int DiscountBps, string DefaultFor)>(
            "select carrier, account, discount_bps, array_to_string(default_for, ',') from carrier_accounts where cooperative_id = @coop order by carrier", new { coop });
        Assert.Equal(["jd", "sf"], rows.Select(r => r.Carrier));
        var i = rows.Single(r => r.Carrier == "sf").DiscountBps - 7000;
        Assert.InRange(i, 0, Saves - 1);
        Assert.Equal([("jd", Onboarding.JdCustomerCodeOf(coop), 8000 + i, $"Town{i}"), ("sf", Onboarding.MonthlyCardOf(coop), 7000 + i, $"City{i}")], rows);
    }

    [Fact]
    public async Task Eight_dispatchers_saving_the_rate_card_at_once_end_with_one_card_whole_and_no_500()
    {
        var coop = "card-race-" + Guid.NewGuid().ToString("N")[..8];
        var dispatcher = f.Dispatch.As(Roles.Dispatcher, "dispatcher-1", cooperative: coop);
        // Save i prices every line at 2000 + i fen; saves differ in how many lines they hold too.
        var saves = Enumerable.Range(0, Saves).Select(i => new
        {
            lines = new[] { "Beijing", "Shanghai", "Guangzhou", "Shenzhen", "Hangzhou", "Nanjing", "Wuhan", "Chengdu" }.Take(1 + i)
                .Select(city => new { product = "express", originProvince = "Guangdong", destination = city, firstKg = 1m, firstFen = 2000 + i,
                    perKgFen = 1000, volumetricDivisor = 6000, promisedDays = 2, perShipment = false }).ToArray(),
        }).ToList();

        var answers = await AllAtOnceAsync(saves.Select(body => (Func<Task<HttpResponseMessage>>)(() => dispatcher.PutAsJsonAsync("/api/v1/dispatch/rate-cards", body))));

        NoServerErrors(answers);
        Assert.Contains(answers, a => a.IsSuccessStatusCode);
        var lines = await f.QueryAsync<(string Destination, long FirstFen)>(
            "select destination, first_fen from rate_cards where cooperative_id = @coop order by destination", new { coop });
        var i = (int)lines[0].FirstFen - 2000;
        Assert.InRange(i, 0, Saves - 1);
        Assert.Equal(saves[i].lines.Select(l => (l.destination, (long)l.firstFen)).OrderBy(l => l.destination, StringComparer.Ordinal),
            lines.OrderBy(l => l.Destination, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Eight_cooperatives_saving_one_monthly_card_at_once_leave_it_with_one_and_the_others_get_409()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var card = "755" + Random.Shared.Next(1_000_000, 9_999_999);
        var coops = Enumerable.Range(0, Saves).Select(i => $"card-{i}-{run}").ToList();
        var body = new { accounts = new[] { new { carrier = "sf", account = card, discountBps = 7500, defaultFor = new[] { "Beijing" } } } };

        var answers = await AllAtOnceAsync(coops.Select(coop => (Func<Task<HttpResponseMessage>>)(() =>
            f.Dispatch.As(Roles.Admin, "admin-1", cooperative: coop).PutAsJsonAsync("/api/v1/dispatch/carrier-accounts", body))));

        NoServerErrors(answers);
        Assert.Single(answers, a => a.IsSuccessStatusCode);
        foreach (var refused in answers.Where(a => !a.IsSuccessStatusCode))
            Assert.Equal("urn:melonchain:problem:carrier-account-taken", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        var holders = await f.QueryAsync<string>("select cooperative_id from carrier_accounts where carrier = 'sf' and account = @card", new { card });
        Assert.Equal([coops[Array.FindIndex(answers, a => a.IsSuccessStatusCode)]], holders);
        Assert.Equal(1, await f.ScalarAsync<long>("select count(*) from carrier_accounts where cooperative_id = any(@coops)", new { coops }));
    }
}
