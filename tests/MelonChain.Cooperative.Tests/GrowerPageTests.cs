using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MelonChain.Cooperative.Tests;

/// <summary>
/// 农户自己的页面 (S13): the private link printed on every slip is stable until the clerk rotates it, then dead at once;
/// the page it opens shows this grower's deliveries, gradings, destinations, statements and account, and nothing of
/// another grower or of any buyer.
/// </summary>
public class GrowerPageTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static DateOnly Today => CooperativeFixture.Today;

    private static string Yuan(long fen) => (fen / 100m).ToString("#,0.00", CultureInfo.InvariantCulture);

    private static async Task<string> Link(ClerkSession c, Guid grower) =>
        (await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/growers/{grower}/link")).GetProperty("url").GetString()!;

    /// <summary>The page as a phone opens it: no token, only the path of the link.</summary>
    private async Task<HttpResponseMessage> Open(string url) => await f.Cooperative.CreateClient().GetAsync(new Uri(url).AbsolutePath);

    [Fact]
    public async Task A_growers_link_is_the_same_on_every_slip_and_gives_away_no_id()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, memberNo) = await c.Grower();
        var (other, _) = await c.Grower();

        var first = await Link(c, grower);
        var again = await Link(c, grower);

        Assert.Equal(first, again);
        Assert.Matches("^http://127.0.0.1:8080/grower/[A-Za-z0-9_-]{22}$", first);
        Assert.DoesNotContain(grower.ToString("N"), first);
        Assert.DoesNotContain(memberNo, first);
        Assert.NotEqual(first, await Link(c, other));
        var elsewhere = await f.NewCooperativeAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.Http.GetAsync($"/api/v1/cooperative/growers/{grower}/link")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.Http.PostAsync($"/api/v1/cooperative/growers/{grower}/link/rotation", null)).StatusCode);
        Assert.Equal(first, await Link(c, grower));
    }

    [Fact]
    public async Task Rotating_a_link_makes_every_older_link_404_at_once_and_the_new_one_opens_the_page()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, memberNo) = await c.Grower();
        var old = await Link(c, grower);
        Assert.Equal(HttpStatusCode.OK, (await Open(old)).StatusCode);

        var rotated = await c.Http.PostAsync($"/api/v1/cooperative/growers/{grower}/link/rotation", null);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var fresh = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;

        Assert.NotEqual(old, fresh);
        var dead = await Open(old);
        Assert.Equal(HttpStatusCode.NotFound, dead.StatusCode);
        var deadPage = await dead.Content.ReadAsStringAsync();
        Assert.DoesNotContain(memberNo, deadPage);
        Assert.Equal(HttpStatusCode.OK, (await Open(fresh)).StatusCode);
        Assert.Equal(fresh, await Link(c, grower));
        // A rotated link, a made-up one and a malformed one look alike: nothing tells them apart.
        var madeUp = await Open($"http://x/grower/{Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_')}");
        Assert.Equal(HttpStatusCode.NotFound, madeUp.StatusCode);
        Assert.Equal(deadPage, await madeUp.Content.ReadAsStringAsync());
        Assert.Equal(deadPage, await (await Open("http://x/grower/not-a-token")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_page_shows_this_growers_receipt_grading_destination_statement_and_advance_and_nothing_of_another_grower_or_the_buyer()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, memberNo) = await c.Grower();
        var (neighbour, neighbourNo) = await c.Grower();
        var receipt = await c.Harvest(grower, Today.AddDays(-1), ("grade1", 21.7m), ("premium", 5.3m));
        var neighbours = await c.Harvest(neighbour, Today, ("grade1", 30.05m), ("grade2", 8m));
        var buyer = await c.Buyer("北京");
        var order = await c.Order(buyer, ("grade1", 45.5m, 860), ("premium", 5.3m, 2_200));
        await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });
        var deliveredOn = new DateTimeOffset(2031, 3, 10, 15, 0, 0, TimeSpan.FromHours(8));
        await f.DeliverAsync(c, order, 31_499, deliveredOn);
        await c.Post($"/api/v1/cooperative/growers/{grower}/account/advances", new { amountFen = 5_000, note = "采收预付" });
        var settlement = await c.Post("/api/v1/cooperative/settlements", new { from = "2031-03-09", to = "2031-03-10" });
        var statement = settlement.GetProperty("statements").EnumerateArray().Single(s => s.GetProperty("growerId").GetGuid() == grower);
        var receiptNo = (await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/receipts/{receipt}")).GetProperty("receiptNo").GetString()!;
        var detail = await c.Http.GetFromJsonAsync<JsonElement>(
            $"/api/v1/cooperative/settlements/{settlement.GetProperty("id").GetGuid()}/statements/{grower}");

        var response = await Open(await Link(c, grower));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("lang=\"zh-CN\"", page);
        Assert.Contains(memberNo, page);
        Assert.Contains("社员" + memberNo, page);
        Assert.Contains(receiptNo, page);
        Assert.Contains("<td>一级</td><td class=\"n\">21.7 公斤</td>", page);
        Assert.Contains("<td>特级</td><td class=\"n\">5.3 公斤</td>", page);
        Assert.Contains("<td>北京</td><td>2031-03-10 送达</td>", page);
        Assert.Contains("2031-03-09 至 2031-03-10", page);
        foreach (var line in statement.GetProperty("lines").EnumerateArray())
            Assert.Contains($"{Yuan(line.GetProperty("payoutFen").GetInt64())}</td></tr>", page);
        Assert.Equal(5_000, detail.GetProperty("advanceNettedFen").GetInt64());
        Assert.Contains($"<th colspan=\"3\">应付</th><th class=\"n\">{Yuan(detail.GetProperty("toPayFen").GetInt64())}</th>", page);
        Assert.Contains("<td>预付款</td><td class=\"n\">-50.00</td>", page);
        Assert.Contains($"¥{Yuan(detail.GetProperty("balanceFen").GetInt64())}", page);

        Assert.DoesNotContain(neighbourNo, page);
        var neighboursReceipt = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/receipts/{neighbours}");
        Assert.DoesNotContain(neighboursReceipt.GetProperty("receiptNo").GetString()!, page);
        Assert.DoesNotContain("二级", page);   // only the neighbour delivered grade 2
        Assert.DoesNotContain(neighbour.ToString(), page);
        foreach (var ofTheBuyer in new[] { "京味餐厅", "王经理", "13911112222", "建国路", "朝阳区" })
            Assert.DoesNotContain(ofTheBuyer, page);
    }

    [Fact]
    public async Task What_a_grower_typed_is_encoded_not_markup()
    {
        var c = await f.NewCooperativeAsync();
        var grower = await c.Post("/api/v1/cooperative/growers",
            new { memberNo = "SX-Q-" + Guid.NewGuid().ToString()[..4], name = "李\"&'四", phone = "13800001111", village = "上巷村", kind = "member" });

        var page = await (await Open(await Link(c, grower.GetProperty("id").GetGuid()))).Content.ReadAsStringAsync();

        Assert.Contains("李&quot;&amp;&#x27;四", page);
        Assert.DoesNotContain("李\"&'四", page);
    }
}
