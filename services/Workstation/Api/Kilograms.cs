using System.Globalization;

namespace MelonChain.Workstation.Api;

/// <summary>Kilograms as the clerk reads them: to the gram at most, no trailing zeros (the API's sums may carry many).</summary>
public static class Kilograms
{
    public static string Show(decimal kg) => decimal.Round(kg, 3).ToString("#,0.###", CultureInfo.InvariantCulture);
}
