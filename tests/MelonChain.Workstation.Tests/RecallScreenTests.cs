using System.Net.Http;
using MelonChain.Workstation.Pages.Recall;

namespace MelonChain.Workstation.Tests;

/// <summary>召回: one selector, the boxes and buyers it reaches, and the same query as CSV.</summary>
public sealed class RecallScreenTests : WorkstationContext
{
    private static readonly object Result = new
    {
        selector = new { kind = "seedlingBatch", value = "JM-2026-03" },
        summary = new { lots = 2, receipts = 2, growers = 1, gradedKg = 180m, inStockKg = 30m },
        boxes = new[] { new { traceCode = "T001", grade = "premium", netKg = 5m, recalledKg = 5m, orderId = Guid.NewGuid(), orderStatus = "delivered",
            buyerId = Guid.Parse("0199a000-0000-7000-8000-0000000000b1"), waybillNo = "SF1000000001", shipmentId = Guid.NewGuid(),
            packedAt = DateTimeOffset.UtcNow, deliveredAt = DateTimeOffset.UtcNow } },
        orders = Array.Empty<object>(),
        buyers = new[] { new { buyerId = Guid.Parse("0199a000-0000-7000-8000-0000000000b1"), name = "北京鲜果", city = "北京", contactName = "王经理", phone = "13900001234", address = "朝阳区" } },
        waybills = new[] { "SF1000000001" },
    };

    [Fact]
    public void A_recall_by_seedling_batch_shows_the_boxes_and_buyers_and_the_same_query_downloads_as_CSV()
    {
        Api.On(HttpMethod.Get, "/api/v1/cooperative/recall?seedlingBatch=", Result);
        var save = JSInterop.SetupModule("./js/documents.js").SetupVoid("save", _ => true).SetVoidResult();
        SignedInAs("clerk");
        var screen = Render<Recall>();
        screen.WaitForElement("#recallBy");

        screen.Find("#recallBy").Change("seedlingBatch");
        screen.Find("#recallValue").Change("JM-2026-03");
        screen.Find("#recallForm").Submit();

        screen.WaitForElement("#recallBoxes");
        Assert.Equal(Text.RecallSummary(1, 2, 2, 180m, 30m, 1), screen.Find("#recallSummary").TextContent);
        Assert.Contains("北京鲜果", screen.Find("#recallBoxes").TextContent);
        Assert.Contains("SF1000000001", screen.Find("#recallBoxes").TextContent);

        screen.Find("#recallCsv").Click();

        screen.WaitForAssertion(() => Assert.Single(save.Invocations));
        var gets = Api.To(HttpMethod.Get, "/api/v1/cooperative/recall");
        Assert.Equal(["/api/v1/cooperative/recall?seedlingBatch=JM-2026-03", "/api/v1/cooperative/recall?seedlingBatch=JM-2026-03"], gets.Select(g => g.PathAndQuery));
        var call = Assert.Single(save.Invocations);
        Assert.Equal(("text/csv", "recall.csv"), ((string)call.Arguments[1]!, (string)call.Arguments[2]!));
    }

    [Fact]
    public void A_recall_by_grower_is_picked_from_the_register_and_by_dates_needs_both()
    {
        Api.On(HttpMethod.Get, "/api/v1/cooperative/recall?", Result);
        SignedInAs("clerk");
        var screen = Render<Recall>();
        screen.WaitForElement("#growerSearch:not([disabled])").Input("王");
        screen.Find("ul.choices button").Click();
        screen.Find("#recallForm").Submit();
        screen.WaitForElement("#recallBoxes");
        Assert.Equal($"/api/v1/cooperative/recall?growerId={StubApi.ContractGrower.Id}", Api.To(HttpMethod.Get, "/api/v1/cooperative/recall").Single().PathAndQuery);

        screen.Find("#recallBy").Change("harvested");
        screen.Find("#recallFrom").Change("2026-06-01");
        screen.Find("#recallForm").Submit();

        Assert.Equal(Text.PeriodRequired, screen.Find("#recallForm .field-error").TextContent);
        Assert.Single(Api.To(HttpMethod.Get, "/api/v1/cooperative/recall"));
    }

    [Fact]
    public void A_receipt_is_chosen_by_its_number_from_the_days_receipts_and_a_contract_by_its_contract_grower()
    {
        var receiptId = Guid.NewGuid();
        Api.On(HttpMethod.Get, "/api/v1/cooperative/receipts?date=2026-06-11", new
        {
            items = new[] { new { id = receiptId, receiptNo = "SX-20260611-0007", growerId = StubApi.Member.Id, memberNo = "SX-001", contractId = (Guid?)null,
                harvestedOn = "2026-06-11", grossKg = 120.5m, crates = 6, receivedAt = DateTimeOffset.UtcNow } },
            next = (string?)null,
        });
        Api.On(HttpMethod.Get, "/api/v1/cooperative/receipts?", new { items = Array.Empty<object>(), next = (string?)null });
        Api.On(HttpMethod.Get, "/api/v1/cooperative/recall?", Result);
        SignedInAs("clerk");
        var screen = Render<Recall>();
        screen.WaitForElement("#growerSearch:not([disabled])");

        screen.Find("#recallBy").Change("receiptId");
        screen.WaitForElement("#recallReceiptDate").Change("2026-06-11");
        screen.WaitForElement($"#recallReceipt option[value='{receiptId}']");
        Assert.Contains("SX-20260611-0007", screen.Find("#recallReceipt").TextContent);
        screen.Find("#recallReceipt").Change(receiptId.ToString());
        screen.Find("#recallForm").Submit();
        screen.WaitForElement("#recallBoxes");

        screen.Find("#recallBy").Change("contractId");
        screen.Find("#growerSearch").Input("SX");
        Assert.Empty(screen.FindAll("ul.choices button")); // SX-001 is a member grower: no contract
        screen.Find("#growerSearch").Input("EP");
        screen.Find("ul.choices button").Click();
        screen.Find("#recallForm").Submit();

        screen.WaitForAssertion(() => Assert.Equal(
            [$"/api/v1/cooperative/recall?receiptId={receiptId}", $"/api/v1/cooperative/recall?contractId={StubApi.ContractId}"],
            Api.To(HttpMethod.Get, "/api/v1/cooperative/recall").Select(r => r.PathAndQuery)));
    }

    [Fact]
    public void The_officer_who_may_not_read_the_register_types_the_id_and_nothing_else_is_asked()
    {
        Api.On(HttpMethod.Get, "/api/v1/cooperative/recall?", Result);
        SignedInAs("officer");
        var screen = Render<Recall>();
        var growerId = Guid.NewGuid();

        screen.WaitForElement("#recallValue").Change(growerId.ToString());
        screen.Find("#recallForm").Submit();

        screen.WaitForElement("#recallBoxes");
        Assert.Equal([$"/api/v1/cooperative/recall?growerId={growerId}"], Api.Sent.Select(r => r.PathAndQuery));
    }

    [Fact]
    public void A_recall_the_server_refuses_shows_its_problem()
    {
        Api.On(HttpMethod.Get, "/api/v1/cooperative/recall?", _ => StubApi.Problem(422, "validation", "See errors.",
            new Dictionary<string, string[]> { ["receiptId"] = ["is not a receipt of this cooperative"] }));
        SignedInAs("officer");
        var screen = Render<Recall>();
        screen.WaitForElement("#recallBy").Change("receiptId");
        screen.Find("#recallValue").Change(Guid.NewGuid().ToString());
        screen.Find("#recallForm").Submit();

        screen.WaitForAssertion(() => Assert.Equal("receiptId：is not a receipt of this cooperative", screen.Find("#recallProblem li").TextContent));
    }

    [Fact]
    public void A_role_that_may_not_recall_sees_why_and_nothing_is_asked()
    {
        SignedInAs("dispatcher");
        var screen = Render<Recall>();

        screen.WaitForAssertion(() => Assert.Equal(Text.RoleMayNotRecall, screen.Find("#roleNotice").TextContent));
        Assert.Empty(Api.Sent);
    }
}
