using System.Net.Http;
using MelonChain.Workstation.Pages.Orders;

namespace MelonChain.Workstation.Tests;

/// <summary>订单: the list by status, placing, packing with the freshness override asked plainly, cancelling, the labels PDF.</summary>
public sealed class OrdersScreenTests : WorkstationContext
{
    private static readonly Guid BuyerId = Guid.Parse("0199a000-0000-7000-8000-0000000000b1");
    private static readonly Guid OrderId = Guid.Parse("0199a000-0000-7000-8000-0000000000d1");

    private static object Order(string status, int boxes = 0) => new
    {
        id = OrderId, buyerId = BuyerId, destination = new { city = "北京", address = "朝阳区建国路 88 号", contactName = "王经理", phone = "13900001234" },
        lines = new[] { new { grade = "premium", kg = 100m, priceFenPerKg = 1250L } }, boxNetKg = 5m, product = "express", status,
        placedAt = DateTimeOffset.Parse("2026-06-12T02:00:00Z"), packedAt = (DateTimeOffset?)null, deliveredAt = (DateTimeOffset?)null,
        onTime = (bool?)null, freightFen = (long?)null,
        boxes = Enumerable.Range(1, boxes).Select(i => new { traceCode = $"T{i:D3}", grade = "premium", netKg = 5m }).ToArray(),
    };

    private static object Summary(string status) => new
    {
        items = new[] { new { id = OrderId, buyerId = BuyerId, buyerName = "北京鲜果", destinationCity = "北京", status, kg = 100.0000000000000000m, boxes = 0,
            product = "express", placedAt = DateTimeOffset.Parse("2026-06-12T02:00:00Z"), packedAt = (DateTimeOffset?)null, deliveredAt = (DateTimeOffset?)null } },
        next = (string?)null,
    };

    private static readonly object Packed = new
    {
        orderId = OrderId, certificateNo = "SX-HG-0001",
        freshness = new { product = "express", chain = "ambient", promisedDays = 2, shelfLifeDays = 4, oldestHarvestedOn = "2026-06-09",
            oldestLotAgeDays = 3, withinShelfLife = false, chillingRisk = false, warnings = new[] { "The oldest lot is beyond the 4-day ambient shelf life." } },
        boxes = new[] { new { traceCode = "T001", grade = "premium", netKg = 5m } },
    };

    private IRenderedComponent<Orders> RenderAs(string role, string status = "placed")
    {
        SignedInAs(role);
        Api.On(HttpMethod.Get, "/api/v1/cooperative/orders?", Summary(status));
        Api.On(HttpMethod.Get, $"/api/v1/cooperative/orders/{OrderId}", Order(status));
        Api.On(HttpMethod.Get, "/api/v1/cooperative/buyers", new
        {
            items = new[] { new { id = BuyerId, name = "北京鲜果", city = "北京", address = "朝阳区建国路 88 号", contactName = "王经理", phone = "139****1234" } },
            next = (string?)null,
        });
        return Render<Orders>();
    }

    private static void OpenTheOrder(IRenderedComponent<Orders> screen)
    {
        screen.WaitForElement($"#open-{OrderId}").Click();
        screen.WaitForElement("#orderDetail");
    }

    [Fact]
    public void The_list_asks_for_the_chosen_status_and_dates_and_shows_each_status_in_Chinese()
    {
        var screen = RenderAs("clerk");
        screen.WaitForAssertion(() => Assert.Equal("已下单", screen.Find("#orderList td.status").TextContent));
        Assert.Contains("<td>100</td>", screen.Find($"#orderList tr[data-order-id='{OrderId}']").InnerHtml);

        screen.Find("#filterStatus").Change("packed");
        screen.Find("#filterFrom").Change("2026-06-01");
        screen.Find("#filterTo").Change("2026-06-12");
        screen.Find("#orderFilter").Submit();

        screen.WaitForAssertion(() => Assert.Contains(Api.To(HttpMethod.Get, "/api/v1/cooperative/orders?"),
            r => r.PathAndQuery == "/api/v1/cooperative/orders?status=packed&from=2026-06-01&to=2026-06-12&limit=50"));
    }

    [Fact]
    public void An_order_that_ended_shows_where_each_box_went_its_new_status_and_the_way_to_its_exceptions()
    {
        SignedInAs("clerk");
        Api.On(HttpMethod.Get, "/api/v1/cooperative/orders?", Summary("partly_delivered"));
        Api.On(HttpMethod.Get, $"/api/v1/cooperative/orders/{OrderId}", new
        {
            id = OrderId, buyerId = BuyerId, destination = new { city = "北京", address = "朝阳区建国路 88 号", contactName = "王经理", phone = "13900001234" },
            lines = new[] { new { grade = "premium", kg = 15m, priceFenPerKg = 1250L } }, boxNetKg = 5m, product = "express", status = "partly_delivered",
            placedAt = DateTimeOffset.Parse("2026-06-12T02:00:00Z"), packedAt = DateTimeOffset.Parse("2026-06-12T03:00:00Z"), deliveredAt = (DateTimeOffset?)null,
            onTime = (bool?)null, freightFen = 3_000L, outcome = "partly_delivered", endedAt = DateTimeOffset.Parse("2026-06-15T03:00:00Z"),
            boxes = new object[]
            {
                new { traceCode = "T001", grade = "premium", netKg = 5m, outcome = "delivered", returned = (string?)null },
                new { traceCode = "T002", grade = "premium", netKg = 5m, outcome = "returned", returned = "write_off" },
                new { traceCode = "T003", grade = "premium", netKg = 5m, outcome = "lost", returned = (string?)null },
            },
        });
        Api.On(HttpMethod.Get, "/api/v1/cooperative/buyers", new { items = Array.Empty<object>(), next = (string?)null });
        var screen = Render<Orders>();

        screen.WaitForAssertion(() => Assert.Equal("部分送达", screen.Find("#orderList td.status").TextContent));
        OpenTheOrder(screen);

        Assert.Equal("partly_delivered", screen.Find("#detailStatus").GetAttribute("data-status"));
        Assert.Equal("已签收", screen.Find("#boxes tr[data-trace-code=T001] .outcome").TextContent);
        Assert.Equal("已退回（已报损）", screen.Find("#boxes tr[data-trace-code=T002] .outcome").TextContent);
        Assert.Equal("lost", screen.Find("#boxes tr[data-trace-code=T003]").GetAttribute("data-outcome"));
        Assert.Equal($"exceptions?order={OrderId}", screen.Find("#exceptionsLink").GetAttribute("href"));
        Assert.Contains(screen.FindAll("#filterStatus option"), o => o.GetAttribute("value") == "undelivered" && o.TextContent == "未送达");
    }

    [Fact]
    public void Placing_with_nothing_typed_says_what_is_missing_and_sends_nothing()
    {
        var screen = RenderAs("clerk");
        screen.WaitForElement("#newOrder").Click();
        screen.WaitForElement("#placeOrder").Submit();

        var messages = screen.FindAll(".field-error").Select(e => e.TextContent).ToList();
        Assert.Contains(Text.BuyerRequired, messages);
        Assert.Contains(Text.LinesRequired, messages);
        Assert.Empty(Api.To(HttpMethod.Post, "/api/v1/cooperative/orders"));
    }

    [Fact]
    public void A_clerk_places_an_order_for_a_buyer_with_kg_and_price_per_grade_in_fen_and_sees_it_placed()
    {
        Api.On(HttpMethod.Post, "/api/v1/cooperative/orders", Order("placed"), 201);
        var screen = RenderAs("clerk");
        screen.WaitForElement("#newOrder").Click();
        screen.WaitForElement($"#buyer option[value='{BuyerId}']");

        screen.Find("#buyer").Change(BuyerId.ToString());
        screen.Find("#destPhone").Change("13900001234");
        screen.Find("#kg-premium").Change("100");
        screen.Find("#price-premium").Change("12.5");
        screen.Find("#placeOrder").Submit();

        screen.WaitForAssertion(() => Assert.Equal("placed", screen.Find("#detailStatus").GetAttribute("data-status")));
        var sent = Assert.Single(Api.To(HttpMethod.Post, "/api/v1/cooperative/orders")).Json;
        Assert.Equal(BuyerId, sent.GetProperty("buyerId").GetGuid());
        Assert.Equal("北京", sent.GetProperty("destination").GetProperty("city").GetString());
        Assert.Equal("13900001234", sent.GetProperty("destination").GetProperty("phone").GetString());
        var line = Assert.Single(sent.GetProperty("lines").EnumerateArray());
        Assert.Equal(("premium", 100m, 1250L), (line.GetProperty("grade").GetString(), line.GetProperty("kg").GetDecimal(), line.GetProperty("priceFenPerKg").GetInt64()));
    }

    [Fact]
    public void A_line_the_server_refuses_is_shown_beside_its_grade_in_Chinese()
    {
        Api.On(HttpMethod.Post, "/api/v1/cooperative/orders", _ => StubApi.Problem(422, "validation", "See errors.",
            new Dictionary<string, string[]> { ["lines"] = ["fill 2001 boxes of 5 kg; an order holds at most 2000 boxes"] }));
        var screen = RenderAs("clerk");
        screen.WaitForElement("#newOrder").Click();
        screen.WaitForElement($"#buyer option[value='{BuyerId}']");
        screen.Find("#buyer").Change(BuyerId.ToString());
        screen.Find("#destPhone").Change("13900001234");
        screen.Find("#kg-grade1").Change("10005");
        screen.Find("#price-grade1").Change("8");
        screen.Find("#placeOrder").Submit();

        screen.WaitForAssertion(() => Assert.Equal("订单明细：fill 2001 boxes of 5 kg; an order holds at most 2000 boxes", screen.Find("#placeProblem li").TextContent));
    }

    [Fact]
    public void Packing_refused_for_freshness_is_explained_and_uses_older_lots_only_once_the_clerk_confirms()
    {
        Api.On(HttpMethod.Post, $"/api/v1/cooperative/orders/{OrderId}/pack", _ => StubApi.Problem(409, "freshness-at-risk",
            "Only lots harvested on or after 2026-06-10 reach the buyer fresh by express."), once: true);
        Api.On(HttpMethod.Post, $"/api/v1/cooperative/orders/{OrderId}/pack", Packed);
        var screen = RenderAs("clerk");
        OpenTheOrder(screen);

        screen.Find("#pack").Click();

        screen.WaitForElement("#freshnessWarning");
        Assert.Contains(Text.FreshnessAtRisk, screen.Find("#freshnessWarning").TextContent);
        Assert.Contains("2026-06-10", screen.Find("#freshnessWarning .server-detail").TextContent);
        var first = Assert.Single(Api.To(HttpMethod.Post, $"/api/v1/cooperative/orders/{OrderId}/pack"));
        Assert.False(first.Json.GetProperty("allowOldLots").GetBoolean());

        screen.Find("#packOldLots").Click();

        screen.WaitForAssertion(() => Assert.Equal("SX-HG-0001", screen.Find("#certificateNo").TextContent));
        Assert.Contains("beyond the 4-day", screen.Find("#packed .freshness-warning").TextContent);
        var packs = Api.To(HttpMethod.Post, $"/api/v1/cooperative/orders/{OrderId}/pack");
        Assert.True(packs[1].Json.GetProperty("allowOldLots").GetBoolean());
        Assert.Empty(screen.FindAll("#freshnessWarning"));
    }

    [Fact]
    public void Not_enough_stock_shows_the_servers_problem_and_offers_no_override()
    {
        Api.On(HttpMethod.Post, $"/api/v1/cooperative/orders/{OrderId}/pack", _ => StubApi.Problem(409, "insufficient-stock",
            "premium: 100 kg ordered, 40 kg available"));
        var screen = RenderAs("clerk");
        OpenTheOrder(screen);

        screen.Find("#pack").Click();

        screen.WaitForAssertion(() => Assert.Equal("与现有记录冲突（409）：premium: 100 kg ordered, 40 kg available", screen.Find("#orderProblem li").TextContent));
        Assert.Empty(screen.FindAll("#packOldLots"));
    }

    [Fact]
    public void Cancelling_asks_for_confirmation_first_and_sends_the_reason()
    {
        Api.On(HttpMethod.Post, $"/api/v1/cooperative/orders/{OrderId}/cancel", Order("cancelled"));
        var screen = RenderAs("clerk");
        OpenTheOrder(screen);

        screen.Find("#cancel").Click();
        Assert.Equal(Text.CancelPlacedExplained, screen.Find("#cancelConfirm p").TextContent);
        Assert.Empty(Api.To(HttpMethod.Post, $"/api/v1/cooperative/orders/{OrderId}/cancel"));
        screen.Find("#keepOrder").Click();
        Assert.Empty(screen.FindAll("#cancelConfirm"));

        screen.Find("#cancel").Click();
        screen.Find("#cancelReason").Change("采购商改期");
        screen.Find("#confirmCancel").Click();

        screen.WaitForAssertion(() => Assert.Equal("cancelled", screen.Find("#detailStatus").GetAttribute("data-status")));
        Assert.Equal("采购商改期", Assert.Single(Api.To(HttpMethod.Post, $"/api/v1/cooperative/orders/{OrderId}/cancel")).Json.GetProperty("reason").GetString());
        Assert.True(screen.Find("#pack").HasAttribute("disabled"));
    }

    [Fact]
    public void The_labels_PDF_is_fetched_with_the_token_and_opened_from_a_blob_and_a_blocked_tab_leaves_a_link()
    {
        Api.On(HttpMethod.Get, $"/api/v1/cooperative/orders/{OrderId}/labels.pdf",
            _ => new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent("%PDF-1.7"u8.ToArray()) });
        var documents = JSInterop.SetupModule("./js/documents.js");
        var open = documents.Setup<string?>("open", _ => true).SetResult("blob:http://127.0.0.1:8080/1");
        SignedInAs("clerk");
        Api.On(HttpMethod.Get, "/api/v1/cooperative/orders?", Summary("packed"));
        Api.On(HttpMethod.Get, $"/api/v1/cooperative/orders/{OrderId}", Order("packed", boxes: 2));
        var screen = Render<Orders>();
        OpenTheOrder(screen);

        screen.Find("#labels").Click();

        screen.WaitForAssertion(() => Assert.Equal("blob:http://127.0.0.1:8080/1", screen.Find("#labelsLink").GetAttribute("href")));
        var fetched = Assert.Single(Api.To(HttpMethod.Get, $"/api/v1/cooperative/orders/{OrderId}/labels.pdf"));
        Assert.StartsWith("Bearer ", fetched.Authorization);
        var call = Assert.Single(open.Invocations);
        Assert.Equal("%PDF-1.7"u8.ToArray(), (byte[])call.Arguments[0]!);
        Assert.Equal("application/pdf", call.Arguments[1]);
    }

    [Theory]
    [InlineData("officer")]
    [InlineData("dispatcher")]
    public void A_role_that_may_not_sell_sees_why_and_every_action_is_disabled(string role)
    {
        var screen = RenderAs(role);

        screen.WaitForAssertion(() => Assert.Equal(Text.RoleMayNotSell, screen.Find("#roleNotice").TextContent));
        Assert.True(screen.Find("#newOrder").HasAttribute("disabled"));
        Assert.True(screen.Find("#filter").HasAttribute("disabled"));
        Assert.Empty(Api.Sent);
    }
}
