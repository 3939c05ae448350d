using System.Globalization;

namespace MelonChain.Workstation.Api;

/// <summary>Money as the services keep it, integer fen (分), shown and typed in yuan (元) with two places.</summary>
public static class Fen
{
    public static string Yuan(long fen) => (fen < 0 ? "-" : "") + "¥" + (Math.Abs(fen) / 100m).ToString("#,0.00", CultureInfo.InvariantCulture);

    /// <summary>"12.5" or "12。50" yuan as 1250 fen; null for anything else (negative, three places, letters).</summary>
    public static long? ParseYuan(string? typed)
    {
        var text = typed?.Trim().Replace('。', '.');
        if (string.IsNullOrEmpty(text) || text.StartsWith('-') || text.StartsWith('+')) return null;
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var yuan)) return null;
        var fen = yuan * 100m;
        return fen == decimal.Truncate(fen) && fen <= long.MaxValue / 2 ? (long)fen : null;
    }
}
