namespace MelonChain.Dispatch.Features.Rates;

/// <summary>
/// One line of a rate card: what a product costs from an origin province to a destination (services/Dispatch/CARRIERS.md, "Rates").
/// Money in fen, weights in grams. <see cref="PerShipment"/> lines (heavy freight) price the shipment's total
/// chargeable weight once instead of each parcel.
/// </summary>
public sealed record RateLine(
    string Carrier, string Product, string OriginProvince, string Destination, long FirstGrams, long FirstFen, long PerKgFen,
    int VolumetricDivisor, int PromisedDays, bool PerShipment);

/// <summary>A parcel as the quote sees it: actual grams and optional outer dimensions in cm.</summary>
public sealed record ParcelSpec(long Grams, int? LengthCm = null, int? WidthCm = null, int? HeightCm = null);

/// <summary>The price of a set of parcels by one carrier's product.</summary>
public sealed record Price(string Carrier, string Product, long ChargeableGrams, long ListFen, long NegotiatedFen, int PromisedDays)
{
    public long SavingFen => ListFen - NegotiatedFen;
}

/// <summary>
/// The tariff arithmetic, pure and in one place: Dispatch quotes and books with it, whatever the carrier (the rate
/// card's figures are the contract's; the arithmetic is the same for every carrier).
/// </summary>
public static class RateCalculator
{
    /// <summary>The cooperative's contract discount: 7500 bps = 75% of list (7.5折).</summary>
    public const int DefaultDiscountBps = 7500;


    /// <summary>The illustrative default card of services/Dispatch/CARRIERS.md (origin Guangdong), used until a cooperative sets its own.</summary>
    public static readonly IReadOnlyList<RateLine> DefaultCard =
    [
        new("sf", "express", "Guangdong", "Beijing", 1000, 2200, 1200, 6000, 2, false),
        new("sf", "express", "Guangdong", "Shanghai", 1000, 2000, 1000, 6000, 2, false),
        new("sf", "standard", "Guangdong", "Beijing", 1000, 1800, 600, 6000, 3, false),
        new("sf", "standard", "Guangdong", "Shanghai", 1000, 1600, 500, 6000, 3, false),
        new("sf", "cold", "Guangdong", "Beijing", 1000, 3000, 1500, 6000, 2, false),
        new("sf", "cold", "Guangdong", "Shanghai", 1000, 2800, 1300, 6000, 2, false),
        new("sf", "land", "Guangdong", "Beijing", 1000, 1500, 300, 6000, 4, false),
        new("sf", "land", "Guangdong", "Shanghai", 1000, 1300, 250, 6000, 3, false),
        new("sf", "heavy", "Guangdong", "Beijing", 20000, 9000, 400, 6000, 3, true),
        new("sf", "heavy", "Guangdong", "Shanghai", 20000, 8000, 350, 6000, 3, true),
        new("jd", "jd_express", "Guangdong", "Beijing", 1000, 2300, 1100, 6000, 2, false),
        new("jd", "jd_express", "Guangdong", "Shanghai", 1000, 2100, 900, 6000, 2, false),
        new("jd", "jd_cold", "Guangdong", "Beijing", 1000, 3200, 1600, 6000, 2, false),
        new("jd", "jd_cold", "Guangdong", "Shanghai", 1000, 3000, 1400, 6000, 2, false),
    ];

    private static readonly Dictionary<string, string> CityNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["北京"] = "Beijing", ["北京市"] = "Beijing", ["beijing"] = "Beijing",
        ["上海"] = "Shanghai", ["上海市"] = "Shanghai", ["shanghai"] = "Shanghai",
    };

    /// <summary>"北京市", "beijing" and "Beijing" are the same destination on a rate card.</summary>
    public static string NormalizeDestination(string city)
    {
        var trimmed = city.Trim();
        return CityNames.TryGetValue(trimmed, out var name) ? name : trimmed;
    }

    // Integer arithmetic throughout, exact for the card's non-negative values: decimal division cost a 60-parcel
    // quote a third of its CPU (perf: RateCalculator.Quote and Decimal+DecCalc.VarDecDiv the hottest frames).

    /// <summary>max(actual, L×W×H / divisor) in grams, before rounding.</summary>
    public static long ChargeableGrams(ParcelSpec parcel, int divisor)
    {
        if (parcel is not { LengthCm: { } l, WidthCm: { } w, HeightCm: { } h }) return parcel.Grams;
        var volumetric = ((long)l * w * h * 1000 + divisor - 1) / divisor;   // rounded up
        return Math.Max(parcel.Grams, volumetric);
    }

    /// <summary>Up to the next 0.1 kg below 10 kg, the next 0.5 kg from 10 to 100 kg, the next 1 kg from 100 kg.</summary>
    public static long RoundUp(long grams)
    {
        var step = grams < 10_000 ? 100 : grams < 100_000 ? 500 : 1000;
        return (grams + step - 1) / step * step;
    }

    /// <summary>First price + (chargeable − first weight) × per-kg price, rounded to whole yuan.</summary>
    public static long ListFen(RateLine line, long chargeableGrams)
    {
        // In thousandths of a fen: first price + extra grams × fen per kg; then to whole yuan, halves up.
        var milliFen = line.FirstFen * 1000 + Math.Max(0, chargeableGrams - line.FirstGrams) * line.PerKgFen;
        return (milliFen + 50_000) / 100_000 * 100;
    }

    /// <summary>List × discount (basis points), rounded to the fen (halves up).</summary>
    public static long NegotiatedFen(long listFen, int discountBps) => (listFen * discountBps + 5_000) / 10_000;

    /// <summary>Prices the parcels by one rate line: per parcel and summed, or once per shipment for heavy freight.</summary>
    public static Price Quote(RateLine line, IReadOnlyList<ParcelSpec> parcels, int discountBps = DefaultDiscountBps)
    {
        long chargeable, list;
        if (line.PerShipment)
        {
            chargeable = RoundUp(parcels.Sum(p => ChargeableGrams(p, line.VolumetricDivisor)));
            list = ListFen(line, chargeable);
        }
        else
        {
            chargeable = 0;
            list = 0;
            foreach (var parcel in parcels)
            {
                var grams = RoundUp(ChargeableGrams(parcel, line.VolumetricDivisor));
                chargeable += grams;
                list += ListFen(line, grams);
            }
        }
        return new Price(line.Carrier, line.Product, chargeable, list, NegotiatedFen(list, discountBps), line.PromisedDays);
    }

    /// <summary>The card's line for a product and destination, or null when the card does not serve it.</summary>
    public static RateLine? Find(IEnumerable<RateLine> card, string product, string destinationCity)
    {
        var destination = NormalizeDestination(destinationCity);
        return card.FirstOrDefault(l => l.Product == product && string.Equals(l.Destination, destination, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Every product the card serves to the destination, cheapest (negotiated) first; each carrier's lines at that
    /// carrier's discount (<paramref name="discountBps"/>, the town's 75% when null).
    /// </summary>
    public static IReadOnlyList<Price> QuoteAll(IEnumerable<RateLine> card, string destinationCity, IReadOnlyList<ParcelSpec> parcels,
        Func<string, int>? discountBps = null)
    {
        var destination = NormalizeDestination(destinationCity);
        return card.Where(l => string.Equals(l.Destination, destination, StringComparison.OrdinalIgnoreCase))
            .Select(l => Quote(l, parcels, discountBps?.Invoke(l.Carrier) ?? DefaultDiscountBps))
            .OrderBy(p => p.NegotiatedFen).ThenBy(p => p.PromisedDays).ThenBy(p => p.Carrier, StringComparer.Ordinal).ThenBy(p => p.Product, StringComparer.Ordinal)
            .ToList();
    }
}
