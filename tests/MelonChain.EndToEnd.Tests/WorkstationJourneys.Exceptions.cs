using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace MelonChain.EndToEnd.Tests;

public sealed partial class WorkstationJourneys
{
    /// <summary>
    /// Journey 6 (异常/理赔, issue 30). A Beijing buyer opens a delivered box of its order and finds it spoiled: it files a
    /// claim through the API with its own token; the clerk finds it in the claims queue on the 异常/理赔 screen, accepts
    /// it with a smaller credit than the one asked, and the accepted claim shows that credit against its order.
    /// </summary>
    [Fact]
    public async Task A_buyers_claim_on_a_delivered_box_is_in_the_clerks_queue_and_accepted_with_a_smaller_credit_shown_against_its_order()
    {
        var (orderId, traceCodes, _) = await ShippedOrderAsync(2);
        await Eventually.Until(() => OrderAsync(orderId), o => o.GetProperty("status").GetString() == "delivered",
            TimeSpan.FromSeconds(120), "the carrier to deliver the order");
        var buyerId = (await OrderAsync(orderId)).GetProperty("buyerId").GetGuid();
        var buyer = await f.System.AsAsync("buyer", "buyer-jingwei", buyerId: buyerId);
        var filed = await f.Scenario.PostAsync(buyer, $"/api/v1/cooperative/orders/{orderId}/claims",
            new { kind = "spoiled", traceCodes = new[] { traceCodes[0] }, kg = 3.5m, creditFen = 4_000, note = "开箱见烂瓜，已拍照" },
            key: $"claim-{orderId}");
        var claimId = filed.GetProperty("id").GetGuid();
        using var browser = f.Browser("exceptions-claim");
        browser.SignIn();

        browser.Visible("navExceptions").Click();
        var row = browser.Wait.Until(d => d.FindElements(By.CssSelector($"#claimList tr[data-claim-id='{claimId}']")).FirstOrDefault())!;
        Assert.Equal(("open", orderId.ToString()), (row.GetAttribute("data-status"), row.GetAttribute("data-order-id")));
        Assert.Equal("¥40.00", row.FindElement(By.CssSelector(".asked")).Text);
        Assert.Contains(traceCodes[0], row.Text);
        browser.Screenshot("claim-in-queue", show: "claims");

        browser.Visible($"decide-{claimId}").Click();
        Assert.Equal(claimId.ToString(), browser.Visible("claimDecision").GetAttribute("data-claim-id"));
        Assert.Equal("40.00", browser.Visible("decisionCredit").GetAttribute("value"));
        browser.SetValue("decision", "accepted");
        WorkstationBrowser.Replace(browser.Visible("decisionCredit"), "25.5");
        WorkstationBrowser.Replace(browser.Visible("decisionReason"), "照片核实：一箱部分腐烂");
        browser.Screenshot("decision", show: "claimDecision");
        browser.Visible("decide").Click();
        browser.Wait.Until(d => d.FindElements(By.Id("decisionProblem")).FirstOrDefault(e => e.Displayed) is { } problem
            ? throw new InvalidOperationException("the decision was refused: " + problem.Text)
            : d.FindElements(By.Id("claimDecided")).FirstOrDefault(e => e.GetAttribute("data-claim-id") == claimId.ToString()));
        Assert.Equal("accepted", browser.Visible("claimDecided").GetAttribute("data-status"));
        // Decided, it leaves the open queue; the accepted claims show its credit against its order.
        browser.Wait.Until(d => d.FindElements(By.CssSelector($"#claimList tr[data-claim-id='{claimId}']")).Count == 0);
        browser.SetValue("claimStatus", "accepted");
        var accepted = browser.Wait.Until(d => d.FindElements(By.CssSelector($"#claimList tr[data-claim-id='{claimId}'][data-status='accepted']")).FirstOrDefault())!;
        Assert.Equal(orderId.ToString(), accepted.GetAttribute("data-order-id"));
        Assert.Equal(("¥40.00", "¥25.50"), (accepted.FindElement(By.CssSelector(".asked")).Text, accepted.FindElement(By.CssSelector(".credit")).Text));
        browser.Screenshot("accepted", show: "claims");

        var claim = await f.Clerk.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/claims/{claimId}");
        Assert.Equal(("accepted", 4_000L, 2_550L, false, orderId), (claim.GetProperty("status").GetString(), claim.GetProperty("creditAskedFen").GetInt64(),
            claim.GetProperty("creditFen").GetInt64(), claim.GetProperty("carrierLiable").GetBoolean(), claim.GetProperty("orderId").GetGuid()));
    }

    /// <summary>
    /// Journey 7 (异常/理赔, issue 30). The buyer refuses the parcel: the carrier (the simulator, told the waybill's fate)
    /// sends the order's carrier order back. Stock shows its boxes on their way back; the clerk opens the undelivered
    /// order on 异常/理赔, scans every returned box back in to restock, and stock has them again.
    /// </summary>
    [Fact]
    public async Task A_returned_carrier_order_is_scanned_back_in_on_the_exceptions_screen_and_its_boxes_are_in_stock_again()
    {
        var (orderId, traceCodes, shipment) = await ShippedOrderAsync(2);
        await SetFateAsync(shipment.GetProperty("masterWaybillNo").GetString()!, "returned");
        await Eventually.Until(() => OrderAsync(orderId), o => o.GetProperty("status").GetString() == "undelivered",
            TimeSpan.FromSeconds(120), "the carrier to send the order back");
        var before = await PremiumStockAsync();
        Assert.True(before.ReturningBoxes >= 2, $"the order's boxes on their way back: {before}");
        using var browser = f.Browser("exceptions-return");
        browser.SignIn();

        browser.Visible("navStock").Click();
        var premium = browser.Wait.Until(d => d.FindElements(By.CssSelector("#stock tr[data-grade='premium']")).FirstOrDefault())!;
        Assert.Equal(before.ReturningBoxes.ToString(), premium.FindElement(By.CssSelector(".returning-boxes")).Text);
        browser.Screenshot("stock-returning", show: "stock");

        browser.Visible("navExceptions").Click();
        var listed = browser.Wait.Until(d => d.FindElements(By.CssSelector($"#exceptionOrderList tr[data-order-id='{orderId}']")).FirstOrDefault())!;
        Assert.Equal("undelivered", listed.GetAttribute("data-status"));
        browser.Visible($"openException-{orderId}").Click();
        browser.Wait.Until(d => d.FindElements(By.Id("exceptionOrder")).FirstOrDefault(e => e.GetAttribute("data-order-id") == orderId.ToString()));
        Assert.Equal("undelivered", browser.Visible("exceptionStatus").GetAttribute("data-status"));
        foreach (var code in traceCodes)
        {
            var box = browser.Driver.FindElement(By.CssSelector($"#exceptionBoxes tr[data-trace-code='{code}']"));
            Assert.Equal("returned", box.GetAttribute("data-outcome"));
            Assert.Single(box.FindElements(By.CssSelector($"input.return-pick[data-trace-code='{code}']")));
        }
        browser.Screenshot("returned-order", show: "exceptionOrder");

        browser.Visible("pickAllReturned").Click();
        browser.Wait.Until(d => d.FindElements(By.CssSelector("#exceptionBoxes input.return-pick")).All(e => e.Selected));
        browser.SetValue("disposition", "restock");
        WorkstationBrowser.Replace(browser.Visible("returnReason"), "收货人拒收，箱内完好");
        browser.Visible("scanReturns").Click();
        browser.Wait.Until(d => d.FindElements(By.Id("returnProblem")).FirstOrDefault(e => e.Displayed) is { } problem
            ? throw new InvalidOperationException("the return was refused: " + problem.Text)
            : d.FindElements(By.Id("returnsDone")).FirstOrDefault(e => e.Displayed));
        browser.Wait.Until(d => traceCodes.All(code => d.FindElements(By.CssSelector($"#exceptionBoxes tr[data-trace-code='{code}'][data-returned='restock']")).Count == 1));
        Assert.Empty(browser.Driver.FindElements(By.CssSelector("#exceptionBoxes input.return-pick")));
        browser.Visible("noReturns");
        browser.Screenshot("restocked", show: "exceptionOrder");

        browser.Visible("navStock").Click();
        premium = browser.Wait.Until(d => d.FindElements(By.CssSelector("#stock tr[data-grade='premium']")).FirstOrDefault())!;
        var after = await PremiumStockAsync();
        Assert.Equal((before.ReturningBoxes - 2, before.AvailableKg + 10m), (after.ReturningBoxes, after.AvailableKg));
        Assert.Equal(after.ReturningBoxes.ToString(), premium.FindElement(By.CssSelector(".returning-boxes")).Text);
        browser.Screenshot("stock-restocked", show: "stock");

        var order = await OrderAsync(orderId);
        Assert.All(order.GetProperty("boxes").EnumerateArray(), b => Assert.Equal(("returned", "restock"),
            (b.GetProperty("outcome").GetString(), b.GetProperty("returned").GetString())));
    }

    /// <summary>
    /// Journey 8 (异常/理赔, issue 30). The carrier stops scanning a parcel after its hub: past SF's limit without a final
    /// scan (<see cref="WorkstationFixture.FinalScanWithinHours"/>) it shows as overdue on 异常/理赔; once the carrier
    /// declares it lost (the simulator's clock moved a week on) it leaves the overdue list, its order is undelivered, and
    /// the clerk claims its value from the carrier on the screen, which the carrier accepts and pays into the order.
    /// </summary>
    [Fact]
    public async Task An_unscanned_parcel_shows_overdue_then_declared_lost_is_claimed_from_the_carrier_on_the_exceptions_screen_and_paid()
    {
        var (orderId, traceCodes, shipment) = await ShippedOrderAsync(1);
        var shipmentId = shipment.GetProperty("id").GetGuid();
        var waybillNo = shipment.GetProperty("masterWaybillNo").GetString()!;
        await SetFateAsync(waybillNo, "lost");
        using var browser = f.Browser("exceptions-lost");
        browser.SignIn();

        browser.Visible("navExceptions").Click();
        var overdueRow = By.CssSelector($"#overdueParts tr[data-order-id='{orderId}']");
        // Asked again every second, as a clerk taps 刷新, until the parcel is past the limit.
        var asked = new WebDriverWait(browser.Driver, TimeSpan.FromSeconds(120)) { PollingInterval = TimeSpan.FromSeconds(1) };
        var overdue = asked.Until<IWebElement?>(d =>
        {
            if (d.FindElements(overdueRow).FirstOrDefault() is { } row) return row;
            browser.Visible("refreshOverdue").Click();
            return null;
        })!;
        Assert.Equal((shipmentId.ToString(), waybillNo), (overdue.GetAttribute("data-shipment-id"), overdue.FindElement(By.CssSelector(".waybill")).Text));
        browser.Screenshot("overdue", show: "overdue");

        await AdvanceSimulatorClockAsync(170);
        await Eventually.Until(() => OrderAsync(orderId), o => o.GetProperty("status").GetString() == "undelivered",
            TimeSpan.FromSeconds(120), "the carrier to declare the parcel lost");
        asked.Until<string?>(d =>
        {
            browser.Visible("refreshOverdue").Click();
            return d.FindElements(overdueRow).Count == 0 ? "gone" : null;
        });

        var carrierOrderId = Assert.Single((await f.Clerk.GetFromJsonAsync<JsonElement>($"/api/v1/dispatch/shipments/{shipmentId}"))
            .GetProperty("carrierOrders").EnumerateArray()).GetProperty("carrierOrderId").GetString()!;
        // Listed when the screen opened, before the parcel was declared lost: the clerk refreshes the orders.
        browser.Visible("refreshExceptionOrders").Click();
        var listed = browser.Wait.Until(d => d.FindElements(By.CssSelector($"#exceptionOrderList tr[data-order-id='{orderId}']")).FirstOrDefault())!;
        Assert.Equal("undelivered", listed.GetAttribute("data-status"));
        browser.Visible($"openException-{orderId}").Click();
        browser.Wait.Until(d => d.FindElements(By.Id("exceptionOrder")).FirstOrDefault(e => e.GetAttribute("data-order-id") == orderId.ToString()));
        Assert.Equal("undelivered", browser.Visible("exceptionStatus").GetAttribute("data-status"));
        Assert.Equal("lost", browser.Driver.FindElement(By.CssSelector($"#exceptionBoxes tr[data-trace-code='{traceCodes[0]}']")).GetAttribute("data-outcome"));
        browser.Wait.Until(d => d.FindElements(By.CssSelector($"#lostCarrierOrders tr[data-carrier-order-id='{carrierOrderId}']")).FirstOrDefault());
        WorkstationBrowser.Replace(browser.Visible($"carrierAmount-{carrierOrderId}"), "120");
        browser.Screenshot("lost-order", show: "carrierClaims");
        browser.Visible($"claimCarrier-{carrierOrderId}").Click();
        var filed = browser.Wait.Until(d => d.FindElements(By.Id("carrierClaimProblem")).FirstOrDefault(e => e.Displayed) is { } problem
            ? throw new InvalidOperationException("the carrier claim was refused: " + problem.Text)
            : d.FindElements(By.Id("carrierClaimFiled")).FirstOrDefault(e => e.Displayed))!;
        var carrierClaimId = filed.GetAttribute("data-carrier-claim-id")!;
        browser.Wait.Until(d => d.FindElements(By.CssSelector($"#carrierClaimList tr[data-carrier-claim-id='{carrierClaimId}']")).FirstOrDefault());
        Assert.False(browser.Visible($"claimCarrier-{carrierOrderId}").Enabled);
        browser.Screenshot("carrier-claim-filed", show: "carrierClaims");

        var claim = await Eventually.Until(async () => Assert.Single((await f.Clerk.GetFromJsonAsync<JsonElement>($"/api/v1/dispatch/shipments/{shipmentId}/carrier-claims"))
                .GetProperty("items").EnumerateArray()),
            c => c.GetProperty("status").GetString() == "paid", TimeSpan.FromSeconds(120), "the carrier to pay the claim");
        Assert.Equal((carrierClaimId, waybillNo, "lost", 12_000L, 12_000L), (claim.GetProperty("id").GetGuid().ToString(), claim.GetProperty("waybillNo").GetString(),
            claim.GetProperty("reason").GetString(), claim.GetProperty("amountFen").GetInt64(), claim.GetProperty("paidFen").GetInt64()));
        await Eventually.Until(() => OrderAsync(orderId), o => o.GetProperty("compensationFen").GetInt64() == 12_000, TimeSpan.FromSeconds(60),
            "the cooperative to book the compensation on the order");
        // The screen opened again shows the claim paid.
        browser.Open($"/app/exceptions?order={orderId}");
        browser.Wait.Until(d => d.FindElements(By.CssSelector($"#carrierClaimList tr[data-carrier-claim-id='{carrierClaimId}'][data-status='paid']")).FirstOrDefault());
        browser.Screenshot("carrier-claim-paid", show: "carrierClaims");
    }

    /// <summary>A packed order of <paramref name="boxes"/> premium boxes to Beijing, accepted and collected by the courier (booked with the carrier).</summary>
    private async Task<(Guid OrderId, List<string> TraceCodes, JsonElement Shipment)> ShippedOrderAsync(int boxes)
    {
        var (orderId, traceCodes) = await f.Scenario.PackedOrderAsync(boxes);
        var pickupId = await f.Scenario.AcceptPickupAsync(orderId);
        var shipment = await f.Scenario.CollectAsync(pickupId, traceCodes);
        return (orderId, traceCodes, shipment);
    }

    private Task<JsonElement> OrderAsync(Guid orderId) => f.Clerk.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{orderId}");

    private async Task<(int ReturningBoxes, decimal AvailableKg)> PremiumStockAsync()
    {
        var premium = (await f.Clerk.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/stock")).GetProperty("grades").EnumerateArray()
            .Single(g => g.GetProperty("grade").GetString() == "premium");
        return (premium.GetProperty("returningBoxes").GetInt32(), premium.GetProperty("availableKg").GetDecimal());
    }

    private async Task AdvanceSimulatorClockAsync(double hours)
    {
        using var simulator = new HttpClient { BaseAddress = f.System["CarrierSimulator"].BaseAddress };
        using var response = await simulator.PostAsJsonAsync("/admin/clock", new { advanceHours = hours });
        Assert.True(response.IsSuccessStatusCode, $"clock +{hours} h: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The carrier's side (the simulator's admin API, as a tester decides it): how the waybill's carrier order ends.</summary>
    private async Task SetFateAsync(string waybillNo, string fate)
    {
        using var simulator = new HttpClient { BaseAddress = f.System["CarrierSimulator"].BaseAddress };
        using var response = await simulator.PostAsJsonAsync($"/admin/waybills/{waybillNo}/fate", new { fate });
        Assert.True(response.IsSuccessStatusCode, $"fate {fate} for {waybillNo}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
