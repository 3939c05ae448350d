namespace MelonChain.ServiceDefaults;

/// <summary>Weights are integer grams inside and kilograms (at most 3 decimals) at the API.</summary>
public static class Weight
{
    public static long ToGrams(decimal kg) => (long)decimal.Round(kg * 1000m, 0, MidpointRounding.AwayFromZero);

    public static decimal ToKg(long grams) => grams / 1000m;
}

/// <summary>Business dates are local dates in China (Asia/Shanghai, UTC+8 all year).</summary>
public static class ChinaTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static DateOnly Today(TimeProvider clock) => DateOf(clock.GetUtcNow());

    public static DateTimeOffset ToChina(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>The China date of an instant (a delivery, a receipt).</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToChina(instant).DateTime);

    /// <summary>The instant a China date begins (00:00 in Beijing), in UTC.</summary>
    public static DateTimeOffset StartOf(DateOnly day) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Zone.GetUtcOffset(day.ToDateTime(TimeOnly.MinValue))).ToUniversalTime();
}
