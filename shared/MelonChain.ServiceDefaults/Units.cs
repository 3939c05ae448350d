using System.Globalization;

namespace MelonChain.ServiceDefaults;

/// <summary>Weights are integer grams inside and kilograms (at most 3 decimals) at the API.</summary>
public static class Weight
{
    public static long ToGrams(decimal kg) => (long)decimal.Round(kg * 1000m, 0, MidpointRounding.AwayFromZero);

    public static decimal ToKg(long grams) => grams / 1000m;

    /// <summary>Kilograms as a printed document shows them: 1,234.5, 510.0, 0.125.</summary>
    public static string Printed(decimal kg) => kg.ToString("#,##0.0##", CultureInfo.InvariantCulture);
}

/// <summary>Money is integer fen inside; a printed document shows yuan with two decimals (1,234.56, -500.00).</summary>
public static class Money
{
    public static string Yuan(long fen) => (fen / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture);
}
