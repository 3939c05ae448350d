namespace MelonChain.CarrierSimulator.Simulator;

/// <summary>One lane of the carrier's list prices: first weight and its price, price per further kg, promised days.</summary>
public sealed record TariffLine(string Product, long FirstGrams, long FirstFen, long PerKgFen, int PromisedDays, bool PerShipment = false);

/// <summary>
/// The carriers' own list prices, as the simulator (not Dispatch) knows them: SF's illustrative card of the carrier notes (services/Dispatch/CARRIERS.md)
/// (origin Guangdong, to Beijing and Shanghai) and JD's (the same, plus within Guangdong). Chargeable weight is
/// max(actual, volume / divisor) per parcel, divisor 6000 across provinces and 12000 within one, rounded up to
/// 0.1 kg below 10 kg, 0.5 kg to 100 kg and 1 kg beyond; a parcel's price is rounded to whole yuan. Heavy freight
/// is priced once per shipment. Money in fen, weights in grams.
/// </summary>
public static class Tariff
{
    /// <summary>SF's product codes (expressTypeId) and the names the simulator reports.</summary>
    public static readonly IReadOnlyDictionary<int, string> SfProducts = new Dictionary<int, string>
    {
        [1] = "express", [2] = "standard", [201] = "cold", [231] = "land", [154] = "heavy",
    };

    private static readonly Dictionary<(string Product, string City), TariffLine> FromGuangdong = new()
    {
        [("express", "北京市")] = new("express", 1000, 2200, 1200, 2),
        [("express", "上海市")] = new("express", 1000, 2000, 1000, 2),
        [("standard", "北京市")] = new("standard", 1000, 1800, 600, 3),
        [("standard", "上海市")] = new("standard", 1000, 1600, 500, 3),
        [("cold", "北京市")] = new("cold", 1000, 3000, 1500, 2),
        [("cold", "上海市")] = new("cold", 1000, 2800, 1300, 2),
        [("land", "北京市")] = new("land", 1000, 1500, 300, 4),
        [("land", "上海市")] = new("land", 1000, 1300, 250, 3),
        [("heavy", "北京市")] = new("heavy", 20000, 9000, 400, 3, PerShipment: true),
        [("heavy", "上海市")] = new("heavy", 20000, 8000, 350, 3, PerShipment: true),
        [("jd_express", "北京市")] = new("jd_express", 1000, 2300, 1100, 2),
        [("jd_express", "上海市")] = new("jd_express", 1000, 2100, 900, 2),
        [("jd_cold", "北京市")] = new("jd_cold", 1000, 3200, 1600, 2),
        [("jd_cold", "上海市")] = new("jd_cold", 1000, 3000, 1400, 2),
    };

    /// <summary>The lane of a product from the sender's city to the receiver's, or null when the tariff has none.</summary>
    public static TariffLine? Find(string product, string senderCity, string receiverCity)
    {
        if (!Cities.InGuangdong(senderCity)) return null;
        if (product.StartsWith("jd_", StringComparison.Ordinal) && Cities.InGuangdong(receiverCity))
            return new TariffLine(product, 1000, 1200, 200, 1);
        return FromGuangdong.GetValueOrDefault((product, Cities.Normalize(receiverCity)));
    }

    public static int VolumetricDivisor(string senderCity, string receiverCity) =>
        Cities.InGuangdong(senderCity) && Cities.InGuangdong(receiverCity) ? 12000 : 6000;

    /// <summary>Up to the next 0.1 kg below 10 kg, the next 0.5 kg from 10 to 100 kg, the next 1 kg from 100 kg.</summary>
    public static long RoundUp(long grams)
    {
        var step = grams < 10_000 ? 100 : grams < 100_000 ? 500 : 1000;
        return (grams + step - 1) / step * step;
    }

    /// <summary>First price + (chargeable − first weight) × per-kg price, rounded to whole yuan (halves up).</summary>
    public static long PriceFen(TariffLine line, long chargeableGrams)
    {
        var milliFen = line.FirstFen * 1000 + Math.Max(0, chargeableGrams - line.FirstGrams) * line.PerKgFen;
        return (milliFen + 50_000) / 100_000 * 100;
    }

    /// <summary>
    /// The list price and chargeable grams of <paramref name="parcels"/> equal parcels weighing <paramref name="totalGrams"/>
    /// together (and filling <paramref name="volumeCm3"/> together, when known).
    /// </summary>
    public static (long ListFen, long ChargeableGrams) Quote(TariffLine line, int divisor, int parcels, long totalGrams, long volumeCm3 = 0)
    {
        parcels = Math.Max(1, parcels);
        var actual = Math.Max(totalGrams, 0);
        var volumetric = (volumeCm3 * 1000 + divisor - 1) / divisor;
        var chargeable = Math.Max(actual, volumetric);
        if (line.PerShipment)
        {
            var whole = RoundUp(chargeable);
            return (PriceFen(line, whole), whole);
        }
        var each = RoundUp((chargeable + parcels - 1) / parcels);
        return (PriceFen(line, each) * parcels, each * parcels);
    }
}
