extern alias dispatch;
using dispatch::MelonChain.Dispatch.Features.Rates;

namespace MelonChain.Dispatch.Tests;

public class RateCalculatorTests
{
    private static RateLine Line(string product, string city) => RateCalculator.Find(RateCalculator.DefaultCard, product, city)!;

    [Fact]
    public void Sixty_five_kg_boxes_to_Beijing_by_express_cost_4200_yuan_list_and_3150_negotiated()
    {
        var boxes = Enumerable.Repeat(new ParcelSpec(5000, 40, 30, 25), 60).ToList();

        var price = RateCalculator.Quote(Line("express", "Beijing"), boxes);

        Assert.Equal(300_000, price.ChargeableGrams);
        Assert.Equal(420_000, price.ListFen);
        Assert.Equal(315_000, price.NegotiatedFen);
        Assert.Equal(105_000, price.SavingFen);
        Assert.Equal(2, price.PromisedDays);
    }

    [Theory]
    [InlineData(5000, 40, 30, 25, 5000)]    // volumetric 5 kg = actual
    [InlineData(2000, 60, 40, 40, 16000)]   // light bulky box: 96,000 cm³ / 6000 = 16 kg wins
    [InlineData(8000, 10, 10, 10, 8000)]    // small heavy box: actual wins
    [InlineData(3000, null, null, null, 3000)] // no dimensions: actual
    public void Chargeable_weight_is_the_larger_of_actual_and_volumetric(long grams, int? l, int? w, int? h, long expected) =>
        Assert.Equal(expected, RateCalculator.ChargeableGrams(new ParcelSpec(grams, l, w, h), 6000));

    [Theory]
    [InlineData(5000, 5000)]
    [InlineData(5001, 5100)]
    [InlineData(9950, 10000)]     // below 10 kg: next 0.1 kg
    [InlineData(10000, 10000)]
    [InlineData(10200, 10500)]    // 10–100 kg: next 0.5 kg
    [InlineData(99900, 100000)]
    [InlineData(100400, 101000)]  // from 100 kg: next 1 kg
    [InlineData(100000, 100000)]
    public void Chargeable_weight_rounds_up_by_band(long grams, long expected) =>
        Assert.Equal(expected, RateCalculator.RoundUp(grams));

    [Theory]
    [InlineData("express", "Beijing", 9950, 13000)]   // 22 + 9.0 × 12 = 130
    [InlineData("express", "Shanghai", 10200, 11500)] // 20 + 9.5 × 10 = 115
    [InlineData("land", "Shanghai", 1500, 1400)]      // 13 + 0.5 × 2.5 = 14.25 → 14 yuan
    [InlineData("land", "Shanghai", 1700, 1500)]      // 13 + 0.7 × 2.5 = 14.75 → 15 yuan
    [InlineData("express", "Beijing", 500, 2200)]     // under the first kg: the first price
    public void Parcel_list_price_is_first_price_plus_extra_kg_rounded_to_whole_yuan(string product, string city, long grams, long expectedFen) =>
        Assert.Equal(expectedFen, RateCalculator.Quote(Line(product, city), [new ParcelSpec(grams)]).ListFen);

    [Fact]
    public void Heavy_freight_prices_the_whole_shipment_once_from_20_kg()
    {
        // 100.4 kg in total → 101 kg: 90 + 81 × 4 = 414 yuan.
        var price = RateCalculator.Quote(Line("heavy", "Beijing"), [new ParcelSpec(50_200), new ParcelSpec(50_200)]);

        Assert.Equal(101_000, price.ChargeableGrams);
        Assert.Equal(41_400, price.ListFen);
        Assert.Equal(31_050, price.NegotiatedFen);
    }

    [Theory]
    [InlineData(420_000, 7500, 315_000)]
    [InlineData(1_300, 7500, 975)]
    [InlineData(1_500, 8333, 1_250)]  // 1249.95 → 1250 fen
    public void Negotiated_price_is_list_times_discount_rounded_to_the_fen(long list, int bps, long expected) =>
        Assert.Equal(expected, RateCalculator.NegotiatedFen(list, bps));

    [Fact]
    public void Without_a_product_every_product_of_every_carrier_is_quoted_cheapest_first_each_at_its_carriers_discount()
    {
        var options = RateCalculator.QuoteAll(RateCalculator.DefaultCard, "北京市", [new ParcelSpec(5000, 40, 30, 25)],
            carrier => carrier == "jd" ? 8000 : 7500);

        Assert.Equal(["land", "standard", "express", "jd_express", "cold", "heavy", "jd_cold"], options.Select(o => o.Product));
        Assert.True(options.Zip(options.Skip(1)).All(p => p.First.NegotiatedFen <= p.Second.NegotiatedFen));
        // JD express to Beijing: 23 + 4 × 11 = 67 yuan list, at 80%; SF express: 70 yuan list, at 75%.
        Assert.Equal((6700L, 5360L), options.Where(o => o.Product == "jd_express").Select(o => (o.ListFen, o.NegotiatedFen)).Single());
        Assert.Equal((7000L, 5250L), options.Where(o => o.Product == "express").Select(o => (o.ListFen, o.NegotiatedFen)).Single());
        Assert.All(options, o => Assert.Equal(o.Product.StartsWith("jd_") ? "jd" : "sf", o.Carrier));
    }

    /// <summary>
    /// The tariff as CARRIERS.md defines it, in decimal: the calculator's integer arithmetic must give exactly this
    /// for every weight, size, line and discount.
    /// </summary>
    private static (long Chargeable, long List, long Negotiated) ByDefinition(RateLine line, ParcelSpec parcel, int discountBps)
    {
        var volumetric = parcel is { LengthCm: { } l, WidthCm: { } w, HeightCm: { } h }
            ? (long)Math.Ceiling((decimal)l * w * h * 1000m / line.VolumetricDivisor) : 0;
        var chargeable = RateCalculator.RoundUp(Math.Max(parcel.Grams, volumetric));
        var fen = line.FirstFen + Math.Max(0, chargeable - line.FirstGrams) / 1000m * line.PerKgFen;
        var list = (long)decimal.Round(fen / 100m, 0, MidpointRounding.AwayFromZero) * 100;
        return (chargeable, list, (long)decimal.Round(list * (decimal)discountBps / 10_000m, 0, MidpointRounding.AwayFromZero));
    }

    [Fact]
    public void Integer_prices_equal_the_decimal_definition_for_every_line_weight_size_and_discount()
    {
        var random = new Random(20261203);
        var lines = RateCalculator.DefaultCard.Append(new RateLine("sf", "odd", "Guangdong", "Chengdu", 500, 1234, 777, 5000, 3, false)).ToList();
        for (var i = 0; i < 20_000; i++)
        {
            var line = lines[random.Next(lines.Count)];
            var parcel = random.Next(4) == 0
                ? new ParcelSpec(random.Next(1, 150_000))
                : new ParcelSpec(random.Next(1, 150_000), random.Next(1, 301), random.Next(1, 301), random.Next(1, 301));
            var discount = random.Next(0, 10_001);
            var price = RateCalculator.Quote(line with { PerShipment = false }, [parcel], discount);
            Assert.Equal(ByDefinition(line, parcel, discount), (price.ChargeableGrams, price.ListFen, price.NegotiatedFen));
        }
    }
}
