namespace MelonChain.Cooperative.Features.Grading;

/// <summary>Duruan grades: 特级 premium, 一级 grade1, 二级 grade2, 等外 offgrade (to processing: dried melon, tea, powder).</summary>
public static class Grades
{
    public const string Premium = "premium";
    public const string Grade1 = "grade1";
    public const string Grade2 = "grade2";
    public const string Offgrade = "offgrade";

    public static readonly IReadOnlyList<string> All = [Premium, Grade1, Grade2, Offgrade];
}
