using static MelonChain.Workstation.Api.CooperativeApi;

namespace MelonChain.Workstation.Pages.Receiving;

/// <summary>
/// Finds members as the clerk types: a member number from its start (case ignored), or any part of a name; in member
/// number order, so the number typed in full comes first.
/// </summary>
public static class GrowerSearch
{
    public const int MaxShown = 8;

    public static IReadOnlyList<Grower> Find(IEnumerable<Grower> growers, string? typed)
    {
        var text = typed?.Trim();
        if (string.IsNullOrEmpty(text)) return [];
        return growers
            .Where(g => g.MemberNo.StartsWith(text, StringComparison.OrdinalIgnoreCase) || g.Name.Contains(text, StringComparison.Ordinal))
            .OrderBy(g => g.MemberNo, StringComparer.Ordinal)
            .Take(MaxShown)
            .ToList();
    }
}
