namespace MelonChain.Benchmarks;

/// <summary>The raw limits a run measures before and after (Scenarios.RawLimitsAsync), by the names the report gives them.</summary>
public static class RawLimitNames
{
    public const string ReceiptTransaction = "pgbench receipt transaction";
    public const string ShipmentSelects = "pgbench shipment SELECTs";
    public const string BareKestrelQuote = "bare Kestrel with JWT, quote JSON";
    public const string ConfirmedPublish = "RabbitMQ.Client confirmed publish";
}

/// <summary>Whether a bar's figure can be trusted in this run, and why.</summary>
public sealed record Trust(bool Firm, string Why)
{
    public override string ToString() => Firm ? "firm" : "soft: " + Why;
}

/// <summary>
/// Which figures of a run to trust (BARS.md). A bar whose ratio divides by a raw limit that moved more than 20%
/// between the start and the end of the run is soft: the machine changed under it. Every other figure stands:
/// absolute times and sizes (P5, P6, P8 …) and ratios of two measurements taken side by side (P7, P11).
/// </summary>
public static class FigureTrust
{
    /// <summary>The raw limit each bar's ratio divides by (Scenarios.Rate).</summary>
    public static readonly IReadOnlyDictionary<string, string> LimitOf = new Dictionary<string, string>
    {
        ["P1"] = RawLimitNames.ReceiptTransaction,
        ["P2"] = RawLimitNames.ConfirmedPublish,
        ["P3"] = RawLimitNames.ShipmentSelects,
        ["P4"] = RawLimitNames.BareKestrelQuote,
    };

    public const double MaxDrift = 0.20;

    public static Trust Of(string bar, IReadOnlyList<RawLimit> raw)
    {
        if (!LimitOf.TryGetValue(bar, out var name))
            return new(true, "no raw limit in it: an absolute figure, or two measurements taken side by side");
        var limit = raw.FirstOrDefault(r => r.Name == name);
        if (limit is null || limit.Before <= 0 || limit.After <= 0)
            return new(false, $"{name} was not measured both before and after");
        return limit.Drift > MaxDrift
            ? new(false, $"{name} moved {limit.Drift * 100:F0}% between the start and the end of the run")
            : new(true, $"{name} moved {limit.Drift * 100:F0}%");
    }
}
