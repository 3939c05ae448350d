using System.Net.Http;
using MelonChain.Workstation.Pages.Exceptions;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace MelonChain.Workstation.Tests;

/// <summary>
/// 异常/理赔: overdue carrier orders, returned boxes scanned back in, claims filed for the buyer and decided, a lost
/// carrier order claimed from the carrier; what each role may use; the keys of money decisions kept for their retries.
/// </summary>
public sealed class ExceptionsScreenTests : WorkstationContext
{
    private static readonly Guid OrderId = Guid.Parse("0199a000-0000-7000-8000-0000000000d7");
    private static readonly Guid ShipmentId = Guid.Parse("0199a000-0000-7000-8000-0000000000f7");
    private static readonly Guid ClaimId = Guid.Parse("0199a000-0000-7000-8000-0000000000c7");
    private const string Orders = "/api/v1/cooperative/orders";
    private const string Claims = "/api/v1/cooperative/claims";

    /// <summary>A 4-box order: T001 delivered, T002 and T003 returned (T003 already restocked), T004 lost.</summary>
    private static object Order(string? t002Returned = null) => new
    {
        id = OrderId, buyerId = Guid.NewGuid(), destination = new { city = "北京", address = "朝阳区建国路 88 号", contactName = "王经理", phone = "13900001234" },
        lines = new[] { new { grade = "premium", kg = 20m, priceFenPerKg = 1250L } }, boxNetKg = 5m, product = "express", status = "partly_delivered",
        placedAt = DateTimeOffset.Parse("2026-06-12T02:00:00Z"), packedAt = DateTimeOffset.Parse("2026-06-12T03:00:00Z"), deliveredAt = (DateTimeOffset?)null,
        onTime = (bool?)null, freightFen = 4_000L, outcome = "partly_delivered", endedAt = DateTimeOffset.Parse("2026-06-15T03:00:00Z"),
        boxes = new object[]
        {
            new { traceCode = "T001", grade = "premium", netKg = 5m, outcome = "delivered", returned = (string?)null },
            new { traceCode = "T002", grade = "premium", netKg = 5m, outcome = "returned", returned = t002Returned },
            new { traceCode = "T003", grade = "premium", netKg = 5m, outcome = "returned", returned = "restock" },
            new { traceCode = "T004", grade = "premium", netKg = 5m, outcome = "lost", returned = (string?)null },
        },
    };

    private static object Claim(string status = "open") => new
    {
        id = ClaimId, orderId = OrderId, kind = "spoiled", traceCodes = new[] { "T001" }, kg = 5m, creditAskedFen = 6_000L, note = "开箱发现烂瓜",
        filedAt = DateTimeOffset.Parse("2026-06-16T02:00:00Z"), filedBy = "buyer-1", status, creditFen = status == "accepted" ? 5_000L : (long?)null,
        carrierLiable = (bool?)null, reason = (string?)null, decidedAt = (DateTimeOffset?)null, decidedBy = (string?)null, settlementId = (Guid?)null,
    };

    private static object CarrierClaim(string status = "filed") => new
    {
        id = Guid.NewGuid(), shipmentId = ShipmentId, orderId = OrderId, carrier = "sf", waybillNo = "SF1000000004", reason = "lost", amountFen = 30_000L,
        traceCodes = new[] { "T004" }, status, carrierClaimNo = (string?)null, refusal = (string?)null, paidFen = (long?)null,
        filedAt = DateTimeOffset.Parse("2026-06-20T02:00:00Z"), answeredAt = (DateTimeOffset?)null, paidAt = (DateTimeOffset?)null,
    };

    private const string Returns = "/api/v1/cooperative/returns";
    private static readonly Guid OtherOrderId = Guid.Parse("0199a000-0000-7000-8000-0000000000d8");

    private static object Waiting(string traceCode, Guid orderId, string buyerName, string endedAt, decimal kg = 5m) => new
    {
        traceCode, orderId, buyerId = Guid.NewGuid(), buyerName, buyerCity = "北京", grade = "premium", netKg = kg, waybillNo = $"SF9{traceCode}",
        carrierOrderId = "SFO-0002", endedAt = DateTimeOffset.Parse(endedAt), harvestedOn = "2026-06-10",
        sources = new[] { new { lotId = Guid.NewGuid(), receiptId = Guid.NewGuid(), growerId = Guid.NewGuid(), kg } },
    };

    /// <summary>The returned boxes not yet scanned in (GET /returns answers them), oldest ending first.</summary>
    private readonly List<object> _waiting =
    [
        Waiting("T002", OrderId, "北京鲜果", "2026-06-15T03:00:00Z"),
        Waiting("R005", OtherOrderId, "上海果品", "2026-06-16T01:30:00Z", 4.5m),
        Waiting("R006", OtherOrderId, "上海果品", "2026-06-16T01:30:00Z"),
    ];

    /// <summary>The carrier claims Dispatch holds for the shipment (GET …/carrier-claims answers them).</summary>
    private readonly List<object> _carrierClaims = [];

    private static readonly object NoPage = new { items = Array.Empty<object>(), next = (string?)null };

    private IRenderedComponent<Exceptions> RenderAs(string role, bool withClaim = true, string? page = null)
    {
        SignedInAs(role);
        Api.On(HttpMethod.Get, "/api/v1/dispatch/overdue-parts", new
        {
            items = new[]
            {
                new { shipmentId = ShipmentId, orderId = OrderId, carrier = "sf", carrierOrderId = "SFO-0003", masterWaybillNo = "SF1000000003", parcels = 1,
                    collectedAt = DateTimeOffset.Parse("2026-06-12T04:00:00Z"), promisedBy = DateTimeOffset.Parse("2026-06-14T04:00:00Z"),
                    overdueSince = DateTimeOffset.Parse("2026-06-17T04:00:00Z"), lastStatus = "in_transit", lastScanAt = DateTimeOffset.Parse("2026-06-13T01:00:00Z") },
            },
            next = (string?)null,
        });
        Api.On(HttpMethod.Get, $"{Orders}?status=partly_delivered", new
        {
            items = new[] { new { id = OrderId, buyerId = Guid.NewGuid(), buyerName = "北京鲜果", destinationCity = "北京", status = "partly_delivered", kg = 20m, boxes = 4,
                product = "express", placedAt = DateTimeOffset.Parse("2026-06-12T02:00:00Z"), packedAt = (DateTimeOffset?)null, deliveredAt = (DateTimeOffset?)null } },
            next = (string?)null,
        });
        Api.On(HttpMethod.Get, $"{Orders}?status=undelivered", NoPage);
        Api.On(HttpMethod.Get, Returns, _ => StubApi.Json(new { items = _waiting.ToArray(), next = (string?)null }));
        Api.On(HttpMethod.Get, $"{Orders}/{OrderId}", Order());
        Api.On(HttpMethod.Get, $"{Claims}?status=open", withClaim ? new { items = new[] { Claim() }, next = (string?)null } : NoPage);
        Api.On(HttpMethod.Get, $"{Claims}?status=", NoPage);
        Api.On(HttpMethod.Get, "/api/v1/dispatch/pickups?status=collected", new
        {
            items = new[] { new { id = Guid.NewGuid(), orderId = OrderId, shipmentId = ShipmentId, status = "collected", courierId = "c-1", product = "express",
                destinationCity = "北京", boxCount = 4, oldestHarvest = "2026-06-10", windowStart = DateTimeOffset.UtcNow, windowEnd = DateTimeOffset.UtcNow,
                openedAt = DateTimeOffset.UtcNow, carrier = "sf" } },
            next = (string?)null,
        });
        Api.On(HttpMethod.Get, $"/api/v1/dispatch/shipments/{ShipmentId}/carrier-claims", _ => StubApi.Json(new { items = _carrierClaims.ToArray() }));
        Api.On(HttpMethod.Get, $"/api/v1/dispatch/shipments/{ShipmentId}", new
        {
            id = ShipmentId, orderId = OrderId, carrier = "sf", product = "express", masterWaybillNo = "SF1000000001",
            waybills = new[] { new { waybillNo = "SF1000000001", traceCode = "T001" } }, collectedAt = DateTimeOffset.UtcNow, promisedBy = DateTimeOffset.UtcNow,
            status = "in_transit", statusAt = DateTimeOffset.UtcNow, deliveredAt = (DateTimeOffset?)null, onTime = (bool?)null, timeline = Array.Empty<object>(),
            carrierOrders = new object[]
            {
                new { part = 1, carrierOrderId = "SFO-0001", masterWaybillNo = "SF1000000001", parcels = 1, outcome = "delivered", endedAt = DateTimeOffset.UtcNow },
                new { part = 4, carrierOrderId = "SFO-0004", masterWaybillNo = "SF1000000004", parcels = 1, outcome = "lost", endedAt = DateTimeOffset.UtcNow },
            },
        });
        if (page is not null) Services.GetRequiredService<NavigationManager>().NavigateTo(page);
        return Render<Exceptions>();
    }

    private static void OpenTheOrder(IRenderedComponent<Exceptions> screen)
    {
        screen.WaitForElement($"#openException-{OrderId}").Click();
        screen.WaitForElement("#exceptionOrder");
    }

    [Theory]
    [InlineData("courier")]
    [InlineData("officer")]
    [InlineData("buyer")]
    public void A_role_that_may_not_handle_exceptions_sees_why_and_nothing_is_asked(string role)
    {
        var screen = RenderAs(role);

        Assert.Equal(Text.RoleMayNotSeeExceptions, screen.WaitForElement("#roleNotice").TextContent);
        Assert.DoesNotContain(Api.Sent, r => r.PathAndQuery.StartsWith("/api/v1/dispatch", StringComparison.Ordinal)
                                             || r.PathAndQuery.StartsWith("/api/v1/cooperative", StringComparison.Ordinal));
    }

    [Fact]
    public void A_dispatcher_sees_the_overdue_carrier_orders_and_why_returns_and_claims_are_not_theirs()
    {
        var screen = RenderAs("dispatcher");

        var row = screen.WaitForElement("#overdueParts tr[data-carrier-order-id='SFO-0003']");
        Assert.Contains("顺丰", row.TextContent);
        Assert.Equal("SF1000000003", row.QuerySelector(".waybill")!.TextContent);
        Assert.Equal("2026-06-17 12:00", row.QuerySelector(".overdue-since")!.TextContent);
        Assert.Contains("运输中", row.TextContent);
        Assert.Equal(Text.DispatcherSeesOverdueOnly, screen.Find("#claimsRoleNotice").TextContent);
        Assert.Empty(screen.FindAll("#claimList"));
        Assert.DoesNotContain(Api.Sent, r => r.PathAndQuery.StartsWith("/api/v1/cooperative", StringComparison.Ordinal));
    }

    [Fact]
    public void The_orders_not_wholly_delivered_are_listed_and_one_opens_with_each_boxs_outcome()
    {
        var screen = RenderAs("clerk");
        OpenTheOrder(screen);

        Assert.Equal("partly_delivered", screen.Find("#exceptionStatus").GetAttribute("data-status"));
        Assert.Equal("部分送达", screen.Find("#exceptionStatus").TextContent);
        Assert.Equal("已签收", screen.Find("#exceptionBoxes tr[data-trace-code=T001] .outcome").TextContent);
        Assert.Equal("已退回（待入库）", screen.Find("#exceptionBoxes tr[data-trace-code=T002] .outcome").TextContent);
        Assert.Equal("已退回（已重新入库）", screen.Find("#exceptionBoxes tr[data-trace-code=T003] .outcome").TextContent);
        Assert.Equal("已丢失", screen.Find("#exceptionBoxes tr[data-trace-code=T004] .outcome").TextContent);
        // only the returned box not yet back can be scanned in; only the delivered one claimed on
        Assert.Single(screen.FindAll("input.return-pick"));
        Assert.Equal("T002", screen.Find("input.return-pick").GetAttribute("data-trace-code"));
        Assert.Equal("T001", screen.Find("input.claim-pick").GetAttribute("data-trace-code"));
        Assert.Contains(Api.Sent, r => r.PathAndQuery.StartsWith($"{Orders}?status=undelivered", StringComparison.Ordinal));
    }

    [Fact]
    public void An_order_that_ends_undelivered_while_the_screen_is_open_is_listed_on_refresh()
    {
        var lost = Guid.Parse("0199a000-0000-7000-8000-0000000000e7");
        // Undelivered: none when the screen opens; the carrier declares a parcel lost meanwhile.
        Api.On(HttpMethod.Get, $"{Orders}?status=undelivered", _ => StubApi.Json(NoPage), once: true);
        Api.On(HttpMethod.Get, $"{Orders}?status=undelivered", new
        {
            items = new[] { new { id = lost, buyerId = Guid.NewGuid(), buyerName = "北京鲜果", destinationCity = "北京", status = "undelivered", kg = 5m, boxes = 1,
                product = "express", placedAt = DateTimeOffset.Parse("2026-06-13T02:00:00Z"), packedAt = (DateTimeOffset?)null, deliveredAt = (DateTimeOffset?)null } },
            next = (string?)null,
        });
        var screen = RenderAs("clerk");
        screen.WaitForElement($"#exceptionOrderList tr[data-order-id='{OrderId}']");
        Assert.Empty(screen.FindAll($"#exceptionOrderList tr[data-order-id='{lost}']"));

        screen.Find("#refreshExceptionOrders").Click();

        var row = screen.WaitForElement($"#exceptionOrderList tr[data-order-id='{lost}']");
        Assert.Equal("undelivered", row.GetAttribute("data-status"));
        Assert.Single(screen.FindAll($"#exceptionOrderList tr[data-order-id='{OrderId}']"));
    }

    [Fact]
    public void The_order_named_in_the_address_opens_at_once()
    {
        var screen = RenderAs("clerk", page: $"exceptions?order={OrderId}");

        screen.WaitForAssertion(() => Assert.Equal(OrderId.ToString(), screen.Find("#exceptionOrder").GetAttribute("data-order-id")));
    }

    [Fact]
    public void Returned_boxes_are_restocked_and_the_order_is_shown_as_the_server_answers()
    {
        Api.On(HttpMethod.Post, $"{Orders}/{OrderId}/returns", Order(t002Returned: "restock"));
        var screen = RenderAs("clerk");
        OpenTheOrder(screen);

        screen.Find("#pickAllReturned").Click();
        screen.Find("#returns").Submit();

        screen.WaitForAssertion(() => Assert.Equal(Text.ReturnsDone(1, "restock"), screen.Find("#returnsDone").TextContent));
        var sent = Assert.Single(Api.To(HttpMethod.Post, $"{Orders}/{OrderId}/returns")).Json;
        Assert.Equal(["T002"], sent.GetProperty("traceCodes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("restock", sent.GetProperty("disposition").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, sent.GetProperty("reason").ValueKind);
        Assert.Equal("已退回（已重新入库）", screen.Find("#exceptionBoxes tr[data-trace-code=T002] .outcome").TextContent);
        Assert.Empty(screen.FindAll("#returns"));
    }

    [Fact]
    public void Writing_off_without_a_reason_or_a_box_is_explained_and_nothing_is_sent()
    {
        var screen = RenderAs("clerk");
        OpenTheOrder(screen);

        screen.Find("#disposition").Change("write_off");
        screen.Find("#returns").Submit();

        var messages = screen.FindAll("#returns ~ .field-error").Select(e => e.TextContent).ToList();
        Assert.Contains(Text.PickReturnedBoxes, messages);
        Assert.Contains(Text.WriteOffReasonRequired, messages);
        Assert.Empty(Api.To(HttpMethod.Post, $"{Orders}/{OrderId}/returns"));
    }

    [Fact]
    public void A_box_written_off_with_its_reason_and_the_servers_refusal_shown_as_it_says()
    {
        Api.On(HttpMethod.Post, $"{Orders}/{OrderId}/returns", _ => StubApi.Problem(409, "box-not-returned",
            "Only a box whose carrier order ended returned can be scanned back in, and only once."));
        var screen = RenderAs("clerk");
        OpenTheOrder(screen);

        screen.Find("input.return-pick").Change(true);
        screen.Find("#disposition").Change("write_off");
        screen.Find("#returnReason").Change("压坏");
        screen.Find("#returns").Submit();

        screen.WaitForAssertion(() => Assert.Equal("与现有记录冲突（409）：Only a box whose carrier order ended returned can be scanned back in, and only once.",
            screen.Find("#returnProblem li").TextContent));
        var sent = Assert.Single(Api.To(HttpMethod.Post, $"{Orders}/{OrderId}/returns")).Json;
        Assert.Equal("write_off", sent.GetProperty("disposition").GetString());
        Assert.Equal("压坏", sent.GetProperty("reason").GetString());
    }

    [Fact]
    public void Returned_boxes_waiting_to_be_scanned_in_are_listed_with_order_buyer_and_lots_and_a_scan_ticks_the_box()
    {
        var screen = RenderAs("clerk");

        var rows = screen.WaitForElements("#waitingReturns tbody tr");
        Assert.Equal(["T002", "R005", "R006"], rows.Select(r => r.GetAttribute("data-trace-code")));
        Assert.Equal(OtherOrderId.ToString(), rows[1].GetAttribute("data-order-id"));
        Assert.Contains("上海果品", rows[1].TextContent);
        Assert.Contains(OtherOrderId.ToString()[^8..], rows[1].TextContent);
        Assert.Contains("特级", rows[1].TextContent);
        Assert.Equal("2026-06-16 09:30", rows[1].QuerySelector(".ended-at")!.TextContent);
        Assert.Equal("2026-06-10", rows[1].QuerySelector(".harvested-on")!.TextContent);
        Assert.Equal("4.5", rows[1].QuerySelector(".lots")!.TextContent);
        Assert.Single(Api.To(HttpMethod.Get, Returns));

        // The scanner types the code (or the label's QR, the trace URL) and Enter: that box is ticked.
        screen.Find("#returnScan").Change("r005");
        screen.Find("#returnScanForm").Submit();
        screen.Find("#returnScan").Change("http://127.0.0.1:8080/trace/T002");
        screen.Find("#returnScanForm").Submit();
        Assert.Equal([true, true, false], screen.FindAll("#waitingReturns input.waiting-pick").Select(c => c.HasAttribute("checked")));
        Assert.Empty(screen.FindAll("#returnScanMiss"));
        screen.Find("#returnScan").Change("ZZZ999");
        screen.Find("#returnScanForm").Submit();
        Assert.Equal(Text.ScanNotWaiting("ZZZ999"), screen.Find("#returnScanMiss").TextContent);
        Assert.Empty(Api.To(HttpMethod.Post, $"{Orders}/{OrderId}/returns"));
    }

    [Fact]
    public void Ticked_boxes_of_two_orders_are_written_off_with_one_call_per_order_and_the_list_is_read_again()
    {
        Api.On(HttpMethod.Post, $"{Orders}/{OrderId}/returns", _ => { _waiting.RemoveAt(0); return StubApi.Json(Order(t002Returned: "write_off")); });
        Api.On(HttpMethod.Post, $"{Orders}/{OtherOrderId}/returns", _ => { _waiting.RemoveRange(0, 2); return StubApi.Json(Order()); });
        var screen = RenderAs("clerk");
        screen.WaitForElements("#waitingReturns tbody tr");

        screen.Find("#pickAllWaiting").Click();
        screen.Find("#waitingDisposition").Change("write_off");
        screen.Find("#waitingReturnsForm").Submit();
        Assert.Contains(Text.WriteOffReasonRequired, screen.FindAll("#waitingReturnsForm ~ .field-error").Select(e => e.TextContent));
        Assert.DoesNotContain(Api.Sent, r => r.Method == HttpMethod.Post);
        screen.Find("#waitingReason").Change("途中压坏");
        screen.Find("#waitingReturnsForm").Submit();

        screen.WaitForAssertion(() => Assert.Equal(Text.ReturnsDone(3, "write_off"), screen.Find("#waitingDone").TextContent));
        var first = Assert.Single(Api.To(HttpMethod.Post, $"{Orders}/{OrderId}/returns")).Json;
        Assert.Equal(["T002"], first.GetProperty("traceCodes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("write_off", first.GetProperty("disposition").GetString());
        Assert.Equal("途中压坏", first.GetProperty("reason").GetString());
        var second = Assert.Single(Api.To(HttpMethod.Post, $"{Orders}/{OtherOrderId}/returns")).Json;
        Assert.Equal(["R005", "R006"], second.GetProperty("traceCodes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("write_off", second.GetProperty("disposition").GetString());
        Assert.Equal(2, Api.To(HttpMethod.Get, Returns).Count);
        Assert.Equal(Text.NoWaitingReturns, screen.Find("#noWaitingReturns").TextContent);
    }

    [Fact]
    public void A_box_another_clerk_scanned_meanwhile_is_refused_for_its_order_while_the_other_orders_boxes_are_restocked()
    {
        Api.On(HttpMethod.Post, $"{Orders}/{OrderId}/returns", _ => StubApi.Problem(409, "box-not-returned",
            "Only a box whose carrier order ended returned can be scanned back in, and only once."));
        Api.On(HttpMethod.Post, $"{Orders}/{OtherOrderId}/returns", _ => { _waiting.RemoveAt(2); return StubApi.Json(Order()); });
        var screen = RenderAs("clerk");
        screen.WaitForElements("#waitingReturns tbody tr");

        screen.Find("#waitingReturns tr[data-trace-code=T002] input.waiting-pick").Change(true);
        screen.Find("#returnScan").Change("R006");
        screen.Find("#returnScanForm").Submit();
        screen.Find("#waitingReturnsForm").Submit();

        screen.WaitForAssertion(() => Assert.Equal(Text.ReturnsDone(1, "restock"), screen.Find("#waitingDone").TextContent));
        Assert.Equal($"订单 {OrderId.ToString()[^8..]}：与现有记录冲突（409）：Only a box whose carrier order ended returned can be scanned back in, and only once.",
            screen.Find("#waitingProblem li").TextContent);
        Assert.Equal("restock", Assert.Single(Api.To(HttpMethod.Post, $"{Orders}/{OtherOrderId}/returns")).Json.GetProperty("disposition").GetString());
        Assert.Equal(["T002", "R005"], screen.FindAll("#waitingReturns tbody tr").Select(r => r.GetAttribute("data-trace-code")));
    }

    [Fact]
    public void The_clerk_files_a_claim_for_the_buyer_on_a_delivered_box_in_fen_and_kg()
    {
        Api.On(HttpMethod.Post, $"{Orders}/{OrderId}/claims", Claim(), 201);
        var screen = RenderAs("clerk");
        OpenTheOrder(screen);

        screen.Find("input.claim-pick").Change(true);
        screen.Find("#claimKind").Change("damaged");
        screen.Find("#claimKg").Change("2.5");
        screen.Find("#claimCredit").Change("31.25");
        screen.Find("#claimNote").Change("外箱压扁");
        screen.Find("#fileClaim").Submit();

        screen.WaitForElement("#claimFiled");
        var sent = Assert.Single(Api.To(HttpMethod.Post, $"{Orders}/{OrderId}/claims")).Json;
        Assert.Equal("damaged", sent.GetProperty("kind").GetString());
        Assert.Equal(["T001"], sent.GetProperty("traceCodes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(2.5m, sent.GetProperty("kg").GetDecimal());
        Assert.Equal(3_125L, sent.GetProperty("creditFen").GetInt64());
        Assert.Equal("外箱压扁", sent.GetProperty("note").GetString());
    }

    [Fact]
    public void A_claim_filing_keeps_its_key_for_its_retry_and_another_filing_gets_its_own()
    {
        var filing = $"{Orders}/{OrderId}/claims";
        Api.On(HttpMethod.Post, filing, _ => throw new HttpRequestException("reset"), once: true);
        Api.On(HttpMethod.Post, filing, Claim(), 201);
        var screen = RenderAs("clerk");
        OpenTheOrder(screen);

        screen.Find("input.claim-pick").Change(true);
        screen.Find("#claimKg").Change("5");
        screen.Find("#claimCredit").Change("60");
        screen.Find("#fileClaim").Submit();
        screen.WaitForAssertion(() => Assert.Equal(Text.NetworkDownRetry, screen.Find("#fileClaimProblem li").TextContent));
        screen.Find("#fileClaim").Submit();
        screen.WaitForElement("#claimFiled");
        screen.Find("input.claim-pick").Change(true);
        screen.Find("#claimKg").Change("5");
        screen.Find("#claimCredit").Change("60");
        screen.Find("#fileClaim").Submit();

        screen.WaitForAssertion(() => Assert.Equal(3, Api.To(HttpMethod.Post, filing).Count));
        var posts = Api.To(HttpMethod.Post, filing);
        Assert.True(Guid.TryParse(posts[0].IdempotencyKey, out _));
        Assert.Equal(posts[0].IdempotencyKey, posts[1].IdempotencyKey);
        Assert.NotEqual(posts[1].IdempotencyKey, posts[2].IdempotencyKey);
    }

    [Fact]
    public void A_claim_the_server_refuses_shows_its_reason_with_the_field_named_in_Chinese()
    {
        Api.On(HttpMethod.Post, $"{Orders}/{OrderId}/claims", _ => StubApi.Problem(422, "validation", "One or more fields are invalid.",
            new { traceCodes = new[] { "not delivered boxes of this order: T001" } }));
        var screen = RenderAs("clerk");
        OpenTheOrder(screen);

        screen.Find("input.claim-pick").Change(true);
        screen.Find("#claimKg").Change("5");
        screen.Find("#claimCredit").Change("60");
        screen.Find("#fileClaim").Submit();

        screen.WaitForAssertion(() => Assert.Equal("箱码：not delivered boxes of this order: T001", screen.Find("#fileClaimProblem li").TextContent));
    }

    [Fact]
    public void A_claim_for_more_kg_than_its_boxes_hold_is_explained_and_nothing_is_sent()
    {
        var screen = RenderAs("clerk");
        OpenTheOrder(screen);

        screen.Find("input.claim-pick").Change(true);
        screen.Find("#claimKg").Change("6");
        screen.Find("#claimCredit").Change("0");
        screen.Find("#fileClaim").Submit();

        var messages = screen.FindAll("#fileClaim ~ .field-error").Select(e => e.TextContent).ToList();
        Assert.Contains(Text.ClaimKgAtMost(5m), messages);
        Assert.Contains(Text.CreditInvalid, messages);
        Assert.Empty(Api.To(HttpMethod.Post, $"{Orders}/{OrderId}/claims"));
    }

    [Fact]
    public void A_claim_decision_keeps_its_key_for_its_retry_and_the_queue_is_read_again()
    {
        var decision = $"{Claims}/{ClaimId}/decision";
        Api.On(HttpMethod.Post, decision, _ => throw new HttpRequestException("reset"), once: true);
        Api.On(HttpMethod.Post, decision, Claim("accepted"));
        var screen = RenderAs("clerk");

        screen.WaitForElement($"#decide-{ClaimId}").Click();
        Assert.Equal("60.00", screen.Find("#decisionCredit").GetAttribute("value"));
        screen.Find("#decisionCredit").Change("50");
        screen.Find("#carrierLiable").Change(true);
        screen.Find("#claimDecision").Submit();
        screen.WaitForAssertion(() => Assert.Equal(Text.NetworkDownRetry, screen.Find("#decisionProblem li").TextContent));
        screen.Find("#claimDecision").Submit();

        screen.WaitForAssertion(() => Assert.Equal("accepted", screen.Find("#claimDecided").GetAttribute("data-status")));
        var posts = Api.To(HttpMethod.Post, decision);
        Assert.Equal(2, posts.Count);
        Assert.True(Guid.TryParse(posts[0].IdempotencyKey, out _));
        Assert.Equal(posts[0].IdempotencyKey, posts[1].IdempotencyKey);
        Assert.Equal("accepted", posts[0].Json.GetProperty("decision").GetString());
        Assert.Equal(5_000L, posts[0].Json.GetProperty("creditFen").GetInt64());
        Assert.True(posts[0].Json.GetProperty("carrierLiable").GetBoolean());
        Assert.Equal(2, Api.To(HttpMethod.Get, $"{Claims}?status=open").Count);
    }

    [Fact]
    public void A_changed_decision_is_another_action_with_its_own_key_and_a_claim_decided_meanwhile_is_shown()
    {
        var decision = $"{Claims}/{ClaimId}/decision";
        Api.On(HttpMethod.Post, decision, _ => StubApi.Problem(409, "claim-decided", "The claim is accepted already."));
        var screen = RenderAs("clerk");

        screen.WaitForElement($"#decide-{ClaimId}").Click();
        screen.Find("#claimDecision").Submit();
        screen.WaitForAssertion(() => Assert.Equal("与现有记录冲突（409）：The claim is accepted already.", screen.Find("#decisionProblem li").TextContent));
        screen.Find("#decision").Change("rejected");
        screen.Find("#decisionReason").Change("照片显示瓜完好");
        screen.Find("#claimDecision").Submit();

        screen.WaitForAssertion(() => Assert.Equal(2, Api.To(HttpMethod.Post, decision).Count));
        var posts = Api.To(HttpMethod.Post, decision);
        Assert.NotEqual(posts[0].IdempotencyKey, posts[1].IdempotencyKey);
        Assert.Equal("rejected", posts[1].Json.GetProperty("decision").GetString());
        Assert.Equal("照片显示瓜完好", posts[1].Json.GetProperty("reason").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, posts[1].Json.GetProperty("creditFen").ValueKind);
    }

    [Theory]
    [InlineData("accepted", "60.01", "", "credit")]
    [InlineData("accepted", "0", "", "credit")]
    [InlineData("rejected", "", " ", "reason")]
    public void A_decision_the_server_would_refuse_is_explained_and_nothing_is_sent(string outcome, string credit, string reason, string which)
    {
        var screen = RenderAs("clerk");
        screen.WaitForElement($"#decide-{ClaimId}").Click();

        screen.Find("#decision").Change(outcome);
        if (outcome == "accepted") screen.Find("#decisionCredit").Change(credit);
        screen.Find("#decisionReason").Change(reason);
        screen.Find("#claimDecision").Submit();

        Assert.Equal(which == "credit" ? Text.CreditAtMost(6_000) : Text.RejectReasonRequired, screen.Find("#claimDecision + .field-error").TextContent);
        Assert.Empty(Api.To(HttpMethod.Post, $"{Claims}/{ClaimId}/decision"));
    }

    [Fact]
    public void The_queue_by_another_status_is_asked_for_and_decided_claims_cannot_be_decided_again()
    {
        Api.On(HttpMethod.Get, $"{Claims}?status=accepted", new { items = new[] { Claim("accepted") }, next = (string?)null });
        var screen = RenderAs("clerk", withClaim: false);
        screen.WaitForElement("#noClaims");

        screen.Find("#claimStatus").Change("accepted");

        screen.WaitForAssertion(() => Assert.Equal("¥50.00", screen.Find($"#claimList tr[data-claim-id='{ClaimId}'] .credit").TextContent));
        Assert.Empty(screen.FindAll($"#decide-{ClaimId}"));
    }

    [Fact]
    public void A_lost_carrier_order_is_claimed_from_the_carrier_with_a_key_kept_for_its_retry()
    {
        var path = $"/api/v1/dispatch/shipments/{ShipmentId}/carrier-claims";
        Api.On(HttpMethod.Post, path, _ => throw new HttpRequestException("reset"), once: true);
        Api.On(HttpMethod.Post, path, _ =>
        {
            _carrierClaims.Add(CarrierClaim());
            return StubApi.Json(CarrierClaim(), 201);
        });
        var screen = RenderAs("clerk");
        OpenTheOrder(screen);

        screen.WaitForElement("#carrierAmount-SFO-0004").Change("300");
        screen.Find("#claimCarrier-SFO-0004").Click();
        screen.WaitForAssertion(() => Assert.Equal(Text.NetworkDownRetry, screen.Find("#carrierClaimProblem li").TextContent));
        screen.Find("#claimCarrier-SFO-0004").Click();

        screen.WaitForElement("#carrierClaimFiled");
        var posts = Api.To(HttpMethod.Post, path);
        Assert.Equal(2, posts.Count);
        Assert.True(Guid.TryParse(posts[0].IdempotencyKey, out _));
        Assert.Equal(posts[0].IdempotencyKey, posts[1].IdempotencyKey);
        Assert.Equal("SF1000000004", posts[0].Json.GetProperty("waybillNo").GetString());
        Assert.Equal("lost", posts[0].Json.GetProperty("reason").GetString());
        Assert.Equal(30_000L, posts[0].Json.GetProperty("amountFen").GetInt64());
        Assert.Empty(screen.FindAll("#lostCarrierOrders tr[data-carrier-order-id='SFO-0001']")); // delivered: nothing to claim
        screen.WaitForAssertion(() => Assert.Equal("filed", screen.Find("#carrierClaimList tr[data-carrier-claim-id]").GetAttribute("data-status")));
        Assert.True(screen.Find("#claimCarrier-SFO-0004").HasAttribute("disabled"));
    }

    [Fact]
    public void A_carrier_order_claimed_already_cannot_be_claimed_again()
    {
        _carrierClaims.Add(CarrierClaim("accepted"));
        var screen = RenderAs("clerk");
        OpenTheOrder(screen);

        screen.WaitForAssertion(() => Assert.Equal(Text.ClaimedAlready, screen.Find("#claimCarrier-SFO-0004").TextContent));
        Assert.True(screen.Find("#claimCarrier-SFO-0004").HasAttribute("disabled"));
        Assert.Equal("已受理", screen.Find("#carrierClaimList td:nth-child(5)").TextContent);
    }

    [Fact]
    public void A_carrier_claim_amount_that_is_not_money_is_explained_and_nothing_is_sent()
    {
        var screen = RenderAs("clerk");
        OpenTheOrder(screen);

        screen.WaitForElement("#carrierAmount-SFO-0004").Change("abc");
        screen.Find("#claimCarrier-SFO-0004").Click();

        Assert.Equal(Text.CarrierClaimAmountInvalid, screen.Find("#carrierClaims .field-error").TextContent);
        Assert.Empty(Api.To(HttpMethod.Post, $"/api/v1/dispatch/shipments/{ShipmentId}/carrier-claims"));
    }
}
