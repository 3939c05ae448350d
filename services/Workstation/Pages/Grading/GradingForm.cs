using MelonChain.Workstation.Pages.Receiving;
using static MelonChain.Workstation.Api.GradingApi;

namespace MelonChain.Workstation.Pages.Grading;

/// <summary>
/// One receipt's grading as the clerk types it: kg per grade, and the shrink (gross − graded) shown live against the
/// cooperative's limit. GradeReceipt checks all of it again (graded never above gross, shrink at most maxShrinkBps of
/// gross, whole grams, one to four grades); the form only says it before the round trip.
/// </summary>
public sealed class GradingForm(decimal grossKg)
{
    public static readonly IReadOnlyList<string> Grades = ["premium", "grade1", "grade2", "offgrade"];

    public decimal GrossKg { get; } = grossKg;

    /// <summary>A weight as the clerk reads it: whole grams at most, no trailing zeros (the API's lists give "52.0000000000000000").</summary>
    public static string Show(decimal kg) => kg.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>What the clerk typed per grade, by grade code.</summary>
    public Dictionary<string, string> Typed { get; } = Grades.ToDictionary(g => g, _ => "");

    /// <summary>The grades with a weight typed, as numbers (null where the text is not a number).</summary>
    private IEnumerable<(string Grade, decimal? Kg)> Lines() =>
        Typed.Where(t => !string.IsNullOrWhiteSpace(t.Value)).Select(t => (t.Key, ReceiptForm.ParseKg(t.Value)));

    public decimal GradedKg => Lines().Sum(l => l.Kg ?? 0);

    public decimal ShrinkKg => GrossKg - GradedKg;

    /// <summary>Shrink as a share of gross, in percent (two decimals).</summary>
    public decimal ShrinkPercent => GrossKg <= 0 ? 0 : decimal.Round(ShrinkKg * 100 / GrossKg, 2);

    public bool OverGross => GradedKg > GrossKg;

    /// <summary>The server's rule: shrink × 10,000 &gt; gross × maxShrinkBps is refused.</summary>
    public bool OverLimit(int? maxShrinkBps) => maxShrinkBps is { } bps && ShrinkKg * 10_000 > GrossKg * bps;

    /// <summary>The messages that stop a save; empty when the grading can be sent.</summary>
    public List<string> Validate(int? maxShrinkBps)
    {
        var errors = new List<string>();
        var lines = Lines().ToList();
        if (lines.Count == 0 || lines.All(l => l.Kg is 0)) errors.Add(Text.GradeLinesRequired);
        if (lines.Any(l => l.Kg is null)) errors.Add(Text.GradeKgNotNumber);
        if (lines.Any(l => l.Kg < 0)) errors.Add(Text.GradeKgNegative);
        if (lines.Any(l => l.Kg is { } kg && decimal.Round(kg, 3) != kg)) errors.Add(Text.GrossKgGrams);
        if (OverGross) errors.Add(Text.GradedOverGross);
        else if (OverLimit(maxShrinkBps)) errors.Add(Text.ShrinkOverLimit(maxShrinkBps!.Value / 100m));
        return errors;
    }

    /// <summary>The grades with a weight above 0, in grade order; call only when <see cref="Validate"/> found nothing.</summary>
    public IReadOnlyList<GradeLine> ToLines() =>
        Lines().Where(l => l.Kg > 0).Select(l => new GradeLine(l.Grade, l.Kg!.Value)).ToList();
}
