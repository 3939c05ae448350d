using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Grading;

/// <summary>
/// 统一挑选: each receipt is graded into kg per grade, each line a lot in stock. A mistake is corrected by reversing
/// the grading (who, when, why) and grading again; both stay on record.
/// </summary>
public static class Grading
{
    public static RouteGroupBuilder MapGrading(this RouteGroupBuilder api)
    {
        var grading = api.MapGroup("/receipts/{id:guid}").RequireRoles(Roles.Clerk).WithTags("Grading");
        grading.MapPost("/grading", GradeReceipt.Grade).WithName("GradeReceipt")
            .Problems(409, "already-graded", ProblemTypes.ProfileRequired).Problems(422, "shrink-out-of-bounds");
        grading.MapPost("/grading/reversal", ReverseGrading.Reverse).WithName("ReverseGrading")
            .Problems(409, "not-graded", "grading-allocated");
        grading.MapGet("/gradings", ListGradings.List).WithName("ListGradings");
        api.MapGet("/stock", Stock.Get).RequireRoles(Roles.Clerk).WithTags("Grading").WithName("GetStock").Problems(409, ProblemTypes.ProfileRequired);
        api.MapGet("/grading/rules", GradingRules.Get).RequireRoles(Roles.Clerk).WithTags("Grading").WithName("GetGradingRules")
            .Problems(409, ProblemTypes.ProfileRequired);
        api.MapGet("/reports/intake", IntakeReport.Get).RequireRoles(Roles.Clerk).WithTags("Grading").WithName("IntakeReport");
        return api;
    }

    public sealed record Lot(Guid Id, string Grade, decimal Kg, int? FruitCount);

    public sealed record Reversal(DateTimeOffset ReversedAt, string ReversedBy, string Reason);

    /// <summary>One grading of a receipt; <see cref="Reversal"/> is set once it has been reversed.</summary>
    public sealed record ReceiptGrading(
        Guid Id, Guid ReceiptId, int GradingNo, decimal GrossKg, decimal GradedKg, decimal ShrinkKg, IReadOnlyList<Lot> Lots,
        DateTimeOffset GradedAt, string GradedBy, Reversal? Reversal, DateTimeOffset? CapturedAt = null);
}
