namespace MelonChain.Benchmarks;

/// <summary>
/// What profiling showed for each bar (kept with the code so the report says it next to the figures): what
/// limits the bar, the profile that shows it, and what was tried. Written into the report for a missed bar.
/// </summary>
public static class Findings
{
    private static readonly Dictionary<string, string> Notes = new()
    {
    };

    public static void Annotate(Report report)
    {
        foreach (var bar in report.Bars)
            if (bar.Verdict != "met" && Notes.TryGetValue(bar.Id, out var notes)) bar.Notes = notes;
    }
}
