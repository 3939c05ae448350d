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

    /// <summary>The grade as a label or certificate prints it.</summary>
    public static string ChineseName(string grade) => grade switch
    {
        Premium => "特级", Grade1 => "一级", Grade2 => "二级", Offgrade => "等外", _ => grade,
    };
}

/// <summary>The carrier products an order ships by (the rate card's products); express unless the clerk chooses.</summary>
public static class Products
{
    public const string Express = "express";
    public const string Standard = "standard";
    public const string Cold = "cold";
    public const string Land = "land";
    public const string Heavy = "heavy";

    /// <summary>The JD-style carrier's 特快 and its cold chain (冷链, held at 10–12 °C).</summary>
    public const string JdExpress = "jd_express";
    public const string JdCold = "jd_cold";

    public const string Default = Express;

    public static readonly IReadOnlyList<string> All = [Express, Standard, Cold, Land, Heavy, JdExpress, JdCold];
}

/// <summary>The carriers MelonChain books with, by the name shipments, rate cards and carrier accounts record.</summary>
public static class Carriers
{
    /// <summary>SF Express-style open platform (顺丰).</summary>
    public const string Sf = "sf";

    /// <summary>JD Logistics-style open platform (京东物流), with its cold chain.</summary>
    public const string Jd = "jd";
}

/// <summary>What the cooperative sells, in the words of its trace page, certificates and labels.</summary>
public static class Produce
{
    public const string Name = "杜阮凉瓜 Duruan bitter melon";

    /// <summary>The product name a 承诺达标合格证 carries (fresh produce).</summary>
    public const string CertificateName = "杜阮凉瓜 (鲜) fresh Duruan bitter melon";
}

/// <summary>Ambient: the box travels at outdoor temperature; cold: in a refrigerated chain.</summary>
public static class Chains
{
    public const string Ambient = "ambient";
    public const string Cold = "cold";
}

/// <summary>
/// How a carrier product keeps bitter melon fresh: its chain, the longest promise of the default rate card (days to
/// Beijing or Shanghai), the shelf life the fruit has in that chain (ambient 3–4 days: 4, as Dispatch's quotes count it;
/// cold chain at 10–12.5 °C 1–3 weeks: 7, the safe end), and the coldest temperature the product holds, when it is cold. Below
/// <see cref="ChillingBelowCelsius"/> bitter melon suffers chilling injury, so such a product is flagged.
/// </summary>
public sealed record ProductCare(string Product, string Chain, int PromisedDays, int ShelfLifeDays, int? ColdestCelsius)
{
    public const int ChillingBelowCelsius = 10;

    public bool ChillingRisk => ColdestCelsius is { } c && c < ChillingBelowCelsius;

    private static readonly IReadOnlyDictionary<string, ProductCare> ByProduct = new[]
    {
        new ProductCare(Products.Express, Chains.Ambient, 2, 4, null),
        new ProductCare(Products.Standard, Chains.Ambient, 3, 4, null),
        // SF's 冷运标快 runs at 2–8 °C: it keeps the fruit, but colder than bitter melon bears.
        new ProductCare(Products.Cold, Chains.Cold, 2, 7, 2),
        new ProductCare(Products.Land, Chains.Ambient, 4, 4, null),
        new ProductCare(Products.Heavy, Chains.Ambient, 3, 4, null),
        new ProductCare(Products.JdExpress, Chains.Ambient, 2, 4, null),
        // JD's 冷链 holds 10–12 °C: cold without chilling injury.
        new ProductCare(Products.JdCold, Chains.Cold, 2, 7, 10),
    }.ToDictionary(c => c.Product);

    public static ProductCare Of(string product) =>
        ByProduct.TryGetValue(product, out var care) ? care : throw new ArgumentOutOfRangeException(nameof(product), product, "not a carrier product");
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

    /// <summary>丢失: the carrier declared the parcels lost.</summary>
    public const string Lost = "lost";
    public const string Cancelled = "cancelled";
    public const string Unknown = "unknown";

    public static readonly IReadOnlyList<string> All =
        [Pending, PickedUp, InTransit, OutForDelivery, Delivered, DeliveryFailed, DeliveryDelayed, ReturnToSender, Lost, Cancelled, Unknown];
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
