using MelonChain.Workstation.Api;
using MelonChain.Workstation.Pages.Exceptions;

namespace MelonChain.Workstation.Tests;

/// <summary>What 异常/理赔 checks before a round trip, as the services check it (ReturnBoxes, FileClaim, DecideClaim).</summary>
public sealed class ExceptionFormsTests
{
    [Theory]
    [InlineData(new string[0], "restock", "", new[] { Text.PickReturnedBoxes })]
    [InlineData(new[] { "T2" }, "write_off", " ", new[] { Text.WriteOffReasonRequired })]
    [InlineData(new[] { "T2", "T1" }, "restock", "", new string[0])]
    [InlineData(new[] { "T2" }, "write_off", "压坏", new string[0])]
    public void Returns(string[] picked, string disposition, string reason, string[] errors)
    {
        var (request, said) = ExceptionForms.CheckReturns(picked, disposition, reason);

        Assert.Equal(errors, said);
        if (errors.Length == 0) Assert.Equal(picked.Order(), request!.TraceCodes);
    }

    public static TheoryData<int, string, string, string[]> Filings => new()
    {
        { 1, "5", "60", [] },
        { 1, "5.0001", "60", [Text.ClaimKgInvalid] },
        { 1, "0", "60", [Text.ClaimKgInvalid] },
        { 1, "5.001", "60", [Text.ClaimKgAtMost(5m)] },
        { 2, "10", "60.5", [] },
        { 0, "1", "60", [Text.PickDeliveredBoxes] },
        { 1, "1", "0.001", [Text.CreditInvalid] },
        { 1, "1", "-1", [Text.CreditInvalid] },
    };

    [Theory]
    [MemberData(nameof(Filings))]
    public void Claims_filed(int boxes, string kg, string credit, string[] errors)
    {
        var picked = Enumerable.Range(1, boxes).Select(i => new SalesApi.Box($"T{i}", "premium", 5m, "delivered")).ToList();

        var (request, said) = ExceptionForms.CheckFiling("spoiled", picked, kg, credit, "");

        Assert.Equal(errors, said);
        if (errors.Length == 0) Assert.Null(request!.Note);
    }

    [Theory]
    [InlineData("accepted", "60", "", 6_000L, null)]
    [InlineData("accepted", "0.01", "", 1L, null)]
    [InlineData("accepted", "60.01", "", null, "credit")]
    [InlineData("accepted", "0", "", null, "credit")]
    [InlineData("accepted", "", "", null, "credit")]
    [InlineData("rejected", "", "照片显示完好", null, null)]
    [InlineData("rejected", "60", "", null, "reason")]
    public void Decisions(string decision, string credit, string reason, long? creditFen, string? error)
    {
        var (request, said) = ExceptionForms.CheckDecision(decision, credit, 6_000, false, reason);

        var expected = error switch { "credit" => new[] { Text.CreditAtMost(6_000) }, "reason" => new[] { Text.RejectReasonRequired }, _ => new string[0] };
        Assert.Equal(expected, said);
        if (error is null) Assert.Equal(creditFen, request!.CreditFen);
    }
}
