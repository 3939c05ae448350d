using System.Net.Http;
using MelonChain.Workstation.Pages.Receiving;

namespace MelonChain.Workstation.Tests;

/// <summary>收货: what the clerk sees and what the screen sends.</summary>
public sealed class ReceivingScreenTests : WorkstationContext
{
    private IRenderedComponent<Receiving> RenderForClerk(string role = "clerk")
    {
        SignedInAs(role);
        var screen = Render<Receiving>();
        if (role is "clerk" or "admin") screen.WaitForElement("#growerSearch:not([disabled])");
        return screen;
    }

    private static void Pick(IRenderedComponent<Receiving> screen, string typed)
    {
        screen.Find("#growerSearch").Input(typed);
        screen.Find("ul.choices button").Click();
    }

    [Fact]
    public void Saving_with_nothing_typed_shows_in_Chinese_what_is_missing_and_sends_nothing()
    {
        var screen = RenderForClerk();

        screen.Find("form.receipt").Submit();

        var messages = screen.FindAll(".field-error").Select(e => e.TextContent).ToList();
        Assert.Equal([Text.GrowerRequired, Text.GrossKgRequired], messages);
        Assert.Empty(Api.Receipts);
    }

    [Theory]
    [InlineData("abc", Text.GrossKgNotNumber)]
    [InlineData("0", Text.GrossKgPositive)]
    [InlineData("2000.5", "毛重不能超过 2000 公斤。")]
    [InlineData("120.5555", Text.GrossKgGrams)]
    public void A_gross_weight_the_server_would_refuse_is_explained_next_to_the_field(string typed, string message)
    {
        var screen = RenderForClerk();
        Pick(screen, "SX");

        screen.Find("#grossKg").Change(typed);
        screen.Find("form.receipt").Submit();

        Assert.Equal([message], screen.FindAll(".field-error").Select(e => e.TextContent));
        Assert.Empty(Api.Receipts);
    }

    [Theory]
    [InlineData("officer")]
    [InlineData("dispatcher")]
    [InlineData("buyer")]
    public void A_role_that_may_not_record_receipts_sees_why_and_the_save_button_is_disabled(string role)
    {
        var screen = RenderForClerk(role);

        screen.WaitForAssertion(() => Assert.Equal(Text.RoleMayNotReceive, screen.Find(".notice").TextContent));
        Assert.True(screen.Find("#save").HasAttribute("disabled"));
        screen.Find("form.receipt").Submit();
        Assert.Empty(Api.Sent); // not even the member register: the Cooperative answers it to clerks only
    }

    [Fact]
    public void A_clerk_records_a_contract_growers_delivery_with_its_contract_a_key_and_the_token_and_sees_the_receipt_number()
    {
        var screen = RenderForClerk();
        Assert.False(screen.Find("#save").HasAttribute("disabled"));

        Pick(screen, "王");
        Assert.Equal(StubApi.ContractId.ToString(), screen.Find("#contract").TextContent);
        screen.Find("#grossKg").Change("120.5");
        screen.Find("#crates").Change("6");
        screen.Find("form.receipt").Submit();

        screen.WaitForAssertion(() => Assert.Equal("SX-20260612-0001", screen.Find("#receiptNo").TextContent));
        var sent = Assert.Single(Api.Receipts);
        Assert.StartsWith("Bearer ", sent.Authorization);
        Assert.True(Guid.TryParse(sent.IdempotencyKey, out _));
        Assert.Equal(StubApi.ContractGrower.Id, sent.Json.GetProperty("growerId").GetGuid());
        Assert.Equal(StubApi.ContractId, sent.Json.GetProperty("contractId").GetGuid());
        Assert.Equal(120.5m, sent.Json.GetProperty("grossKg").GetDecimal());
        Assert.Equal(6, sent.Json.GetProperty("crates").GetInt32());
        // Ready for the next grower: the form is empty again.
        Assert.NotNull(screen.Find("#growerSearch"));
        Assert.Equal("", screen.Find("#grossKg").GetAttribute("value"));
    }

    [Fact]
    public void A_refusal_shows_the_servers_problem_plainly_with_the_field_named_in_Chinese()
    {
        Api.ThenReceipt(_ => StubApi.Problem(422, "validation", "See errors for each field.",
            new Dictionary<string, string[]> { ["harvestedOn"] = ["must be within the last 7 days"] }));
        var screen = RenderForClerk();
        Pick(screen, "SX-001");
        screen.Find("#grossKg").Change("80");
        screen.Find("form.receipt").Submit();

        screen.WaitForAssertion(() => Assert.Equal("采收日期：must be within the last 7 days", screen.Find("#problem li").TextContent));
        Assert.Empty(screen.FindAll("#receiptNo"));
    }

    [Fact]
    public void A_save_retried_after_the_network_failed_sends_the_same_idempotency_key_so_it_is_never_recorded_twice()
    {
        Api.ThenReceipt(_ => throw new HttpRequestException("connection reset"));
        var screen = RenderForClerk();
        Pick(screen, "SX-001");
        screen.Find("#grossKg").Change("95.2");
        screen.Find("form.receipt").Submit();

        // The capture went to the device's queue, which sent it again at once (and would keep trying).
        screen.WaitForAssertion(() => Assert.NotEmpty(screen.FindAll("#provisionalNo")));
        screen.WaitForAssertion(() => Assert.Equal(2, Api.Receipts.Count));
        var (first, retry) = (Api.Receipts[0], Api.Receipts[1]);
        Assert.Equal(first.IdempotencyKey, retry.IdempotencyKey);
        Assert.Equal(first.Body, retry.Body);
        Assert.Equal("SX-20260612-0001", Assert.Single(Store.Captures).ReceiptNo);
    }

    [Fact]
    public void Nobody_signed_in_is_asked_to_sign_in()
    {
        SignedInAs(null);
        var screen = Render<Receiving>();

        screen.WaitForAssertion(() => Assert.Equal(Text.SignInFirst, screen.Find("[role=alert] a").TextContent));
        Assert.Empty(screen.FindAll("#save"));
    }
}
