using System.Globalization;
using MelonChain.Messages;

namespace MelonChain.CarrierSimulator.Simulator;

/// <summary>China wall-clock time as both carriers write it: <c>yyyy-MM-dd HH:mm:ss</c> (UTC+8).</summary>
public static class ChinaText
{
    public static string Format(DateTimeOffset instant) =>
        ChinaTime.ToChina(instant).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static DateTimeOffset? Parse(string? text) =>
        DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? ChinaTime.FromLocal(local) : null;
}
