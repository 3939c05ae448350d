using System.Net;
using System.Net.Http;
using MelonChain.Workstation.Offline;
using MelonChain.Workstation.Pages.Grading;
using Microsoft.Extensions.DependencyInjection;

namespace MelonChain.Workstation.Tests;

/// <summary>挑选: the day's ungraded receipts, kg per grade with shrink live against the limit, save (or queue), reversal with a reason.</summary>
public sealed class GradingScreenTests : WorkstationContext
{
    private static readonly Guid Waiting = Guid.Parse("0199a000-0000-7000-8000-0000000000a1");
    private static readonly Guid Graded = Guid.Parse("0199a000-0000-7000-8000-0000000000a2");

    private static object Receipt(Guid id, string no, decimal grossKg) => new
    {
        id, receiptNo = no, growerId = StubApi.Member.Id, memberNo = "SX-001", contractId = (Guid?)null, harvestedOn = "2026-06-12",
        grossKg, crates = 4, receivedAt = DateTimeOffset.UtcNow,
    };

    private static object GradingAnswer(Guid receipt, int no) => new
    {
        id = Guid.NewGuid(), receiptId = receipt, gradingNo = no, grossKg = 100m, gradedKg = 98m, shrinkKg = 2m, lots = Array.Empty<object>(),
        gradedAt = DateTimeOffset.UtcNow, gradedBy = "clerk-1", reversal = (object?)null,
    };

    public GradingScreenTests()
    {
        Api.Routes.Add(r => r.Method == HttpMethod.Get && r.PathAndQuery == "/api/v1/cooperative/grading/rules" ? StubApi.Json(new { maxShrinkBps = 300 }) : null);
        Api.Routes.Add(r => r.Method == HttpMethod.Get && r.PathAndQuery.StartsWith("/api/v1/cooperative/receipts?", StringComparison.Ordinal)
            ? StubApi.Json(new
            {
                items = r.PathAndQuery.Contains("ungraded=true") ? [Receipt(Waiting, "SX-20260612-0002", 100.0000000000000000m)]
                    : new[] { Receipt(Waiting, "SX-20260612-0002", 100.0000000000000000m), Receipt(Graded, "SX-20260612-0001", 60m) },
                next = (string?)null,
            })
            : null);
        Api.Routes.Add(r => r.Method == HttpMethod.Post && r.PathAndQuery.EndsWith("/grading", StringComparison.Ordinal)
            ? StubApi.Json(GradingAnswer(Waiting, 1), HttpStatusCode.Created) : null);
        Api.Routes.Add(r => r.Method == HttpMethod.Post && r.PathAndQuery.EndsWith("/grading/reversal", StringComparison.Ordinal)
            ? StubApi.Json(GradingAnswer(Graded, 1)) : null);
    }

    private IRenderedComponent<Grading> RenderFor(string role = "clerk")
    {
        SignedInAs(role);
        var screen = Render<Grading>();
        if (role is "clerk" or "admin") screen.WaitForElement("#ungraded button.pick");
        return screen;
    }

    private static void PickWaiting(IRenderedComponent<Grading> screen) => screen.Find($"#ungraded button[data-key='{Waiting}']").Click();

    private IReadOnlyList<SentRequest> Gradings => Api.Sent.Where(r => r.Method == HttpMethod.Post && r.PathAndQuery.EndsWith("/grading", StringComparison.Ordinal)).ToList();

    [Fact]
    public void The_days_ungraded_receipts_are_listed_and_the_shrink_is_shown_live_against_the_cooperatives_limit()
    {
        var screen = RenderFor();
        Assert.Contains("SX-20260612-0002", screen.Find("#ungraded").TextContent);
        Assert.DoesNotContain("SX-20260612-0001", screen.Find("#ungraded").TextContent);

        PickWaiting(screen);
        screen.Find("#kg-premium").Input("40");
        screen.Find("#kg-grade1").Input("57.5");

        Assert.Equal("100", screen.Find("#grossKg").TextContent); // the API's list says 100.0000000000000000
        Assert.Contains("100 公斤", screen.Find("#ungraded").TextContent);
        Assert.Equal("97.5", screen.Find("#gradedKg").TextContent);
        Assert.Equal("2.5 公斤（2.5%）", screen.Find("#shrink").TextContent);
        Assert.Equal("3%", screen.Find("#shrinkLimit").TextContent);
        Assert.Empty(screen.FindAll("#shrinkWarning"));
        Assert.False(screen.Find("#saveGrading").HasAttribute("disabled"));
    }

    [Fact]
    public void A_shrink_over_the_limit_is_warned_as_typed_and_the_save_is_disabled()
    {
        var screen = RenderFor();
        PickWaiting(screen);

        screen.Find("#kg-grade1").Input("96");

        Assert.Equal(Text.ShrinkOverLimit(3m), screen.Find("#shrinkWarning").TextContent);
        Assert.True(screen.Find("#saveGrading").HasAttribute("disabled"));
        screen.Find("#kg-grade2").Input("3.5");
        Assert.Empty(screen.FindAll("#shrinkWarning"));
        screen.Find("#kg-offgrade").Input("1");
        Assert.Equal(Text.GradedOverGross, screen.Find("#shrinkWarning").TextContent);
        Assert.Empty(Gradings);
    }

    [Fact]
    public void A_grading_saved_online_sends_kg_per_grade_with_its_key_and_capture_time_and_shows_its_number()
    {
        var screen = RenderFor();
        PickWaiting(screen);
        screen.Find("#kg-premium").Input("40");
        screen.Find("#kg-grade1").Input("58");
        screen.Find("#gradingForm").Submit();

        screen.WaitForAssertion(() => Assert.Equal("1", screen.Find("#gradingNo").TextContent));
        var sent = Assert.Single(Gradings);
        Assert.Equal($"/api/v1/cooperative/receipts/{Waiting}/grading", sent.PathAndQuery);
        Assert.True(Guid.TryParse(sent.IdempotencyKey, out _));
        Assert.Equal([("premium", 40m), ("grade1", 58m)],
            sent.Json.GetProperty("lines").EnumerateArray().Select(l => (l.GetProperty("grade").GetString()!, l.GetProperty("kg").GetDecimal())));
        Assert.True(sent.Json.TryGetProperty("capturedAt", out _));
    }

    [Fact]
    public async Task Offline_a_grading_is_queued_and_one_of_a_receipt_still_in_the_queue_is_sent_right_after_it_with_its_server_id()
    {
        Store.Online = false;
        var screen = RenderFor();
        var queue = Services.GetRequiredService<OfflineQueue>();
        var receipt = await queue.NewAsync(CaptureKind.Receipt, "/api/v1/cooperative/receipts",
            at => new MelonChain.Workstation.Api.CooperativeApi.ReceiptRequest(StubApi.Member.Id, new DateOnly(2026, 6, 12), 50m, 2, null, null, null, at),
            "SX-001 李秀英 50 公斤 2 筐");
        await queue.SubmitAsync(receipt);

        screen.WaitForElement($"#ungraded button[data-key='{receipt.Id}']").Click();
        screen.Find("#kg-grade1").Input("49");
        screen.Find("#gradingForm").Submit();

        screen.WaitForAssertion(() => Assert.Equal("K7M2-0002", screen.Find("#provisionalNo").TextContent));
        Assert.Empty(Gradings);
        Assert.Equal([CaptureKind.Receipt, CaptureKind.Grading], Store.Captures.Select(c => c.Kind));
        Assert.Empty(screen.FindAll($"#ungraded button[data-key='{receipt.Id}']")); // not graded twice

        await Store.GoAsync(true);

        screen.WaitForAssertion(() => Assert.All(Store.Captures, c => Assert.Equal(CaptureState.Sent, c.State)));
        var receiptId = Store.Captures[0].ReceiptId;
        Assert.Equal($"/api/v1/cooperative/receipts/{receiptId}/grading", Assert.Single(Gradings).PathAndQuery);
        Assert.True(Api.Sent.ToList().FindIndex(r => r.PathAndQuery == "/api/v1/cooperative/receipts" && r.Method == HttpMethod.Post)
                    < Api.Sent.ToList().FindIndex(r => r.PathAndQuery.EndsWith("/grading", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_reversal_needs_a_reason_and_is_sent_with_it()
    {
        var screen = RenderFor();
        screen.Find($"#graded button.reverse[data-receipt='{Graded}']").Click();

        screen.Find("#reversal").Submit();

        Assert.Equal(Text.ReasonRequired, screen.Find("#reversal .field-error").TextContent);
        Assert.DoesNotContain(Api.Sent, r => r.PathAndQuery.EndsWith("/reversal", StringComparison.Ordinal));

        screen.Find("#reversalReason").Input("复核：一级误记为特级");
        screen.Find("#reversal").Submit();

        screen.WaitForElement("#reversed");
        var sent = Assert.Single(Api.Sent, r => r.PathAndQuery.EndsWith("/reversal", StringComparison.Ordinal));
        Assert.Equal($"/api/v1/cooperative/receipts/{Graded}/grading/reversal", sent.PathAndQuery);
        Assert.Equal("复核：一级误记为特级", sent.Json.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("officer")]
    [InlineData("dispatcher")]
    [InlineData("buyer")]
    public void A_role_that_may_not_grade_sees_why_and_nothing_is_asked_of_the_server(string role)
    {
        var screen = RenderFor(role);

        screen.WaitForAssertion(() => Assert.Equal(Text.RoleMayNotGrade, screen.Find(".notice").TextContent));
        Assert.Empty(screen.FindAll("#gradingForm"));
        Assert.Empty(Api.Sent);
    }

    [Fact]
    public void The_server_refusing_a_grading_sent_online_is_shown_plainly()
    {
        Api.Routes.Insert(0, r => r.Method == HttpMethod.Post && r.PathAndQuery.EndsWith("/grading", StringComparison.Ordinal)
            ? StubApi.Problem(409, "already-graded", "This receipt is already graded; reverse that grading (with a reason) to grade it again.") : null);
        var screen = RenderFor();
        PickWaiting(screen);
        screen.Find("#kg-grade1").Input("98");
        screen.Find("#gradingForm").Submit();

        screen.WaitForAssertion(() => Assert.Contains("already graded", screen.Find("#problem li").TextContent));
        Assert.Empty(Store.Captures); // a direct refusal is the clerk's to fix at the form, not queued
    }
}
