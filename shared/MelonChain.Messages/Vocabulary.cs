namespace MelonChain.Messages;

// The words every service shares, declared once beside the events that carry them. A value here travels in events
// and answers, so renaming one is a breaking change: add a word instead.

/// <summary>Duruan grades: 特级 premium, 一级 grade1, 二级 grade2, 等外 offgrade (to processing: dried melon, tea, powder).</summary>
public static class Grades
{
    public const string Premium = "premium";
    public const string Grade1 = "grade1";
    public const string Grade2 = "grade2";
    public const string Offgrade = "offgrade";

    public static readonly IReadOnlyList<string> All = [Premium, Grade1, Grade2, Offgrade];
}

/// <summary>The carrier products an order ships by (the rate card's products); express unless the clerk chooses.</summary>
public static class Products
{
    public const string Express = "express";
    public const string Standard = "standard";
    public const string Cold = "cold";
    public const string Land = "land";
    public const string Heavy = "heavy";

    public const string Default = Express;

    public static readonly IReadOnlyList<string> All = [Express, Standard, Cold, Land, Heavy];
}

/// <summary>Where a shipment is, in MelonChain's words (each carrier's codes map to these inside its adapter).</summary>
public static class ShipmentStatuses
{
    public const string Pending = "pending";
    public const string PickedUp = "picked_up";
    public const string InTransit = "in_transit";
    public const string OutForDelivery = "out_for_delivery";
    public const string Delivered = "delivered";
    public const string DeliveryFailed = "delivery_failed";
    public const string DeliveryDelayed = "delivery_delayed";
    public const string ReturnToSender = "return_to_sender";
    public const string Cancelled = "cancelled";
    public const string Unknown = "unknown";

    public static readonly IReadOnlyList<string> All =
        [Pending, PickedUp, InTransit, OutForDelivery, Delivered, DeliveryFailed, DeliveryDelayed, ReturnToSender, Cancelled, Unknown];
}

/// <summary>Business dates and carrier times are China time (Asia/Shanghai, UTC+8 all year).</summary>
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

    /// <summary>A China wall-clock time (what carriers send, "yyyy-MM-dd HH:mm:ss") as the instant it names.</summary>
    public static DateTimeOffset FromLocal(DateTime local) =>
        new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone.GetUtcOffset(local)).ToUniversalTime();
}
