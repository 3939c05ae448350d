using MelonChain.Dispatch.Features.Carrier;
using MelonChain.Messages;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Dispatch.Features.Rates;

/// <summary>
/// Prices parcels to a destination: list, negotiated (the carrier account's discount) and saving, per carrier and
/// product. With no product, every product the card serves, cheapest first: of the given carrier, or with no carrier of
/// every carrier the cooperative has an account with (every configured carrier before it has any). Freshness: a product
/// promising more days than the oldest box has left in that product's chain is flagged (bitter melon keeps 3–4 days at
/// ambient temperature, a week or more in a cold chain: ProductCare); a chain colder than bitter melon bears (SF's 2–8 °C
/// cold) is marked <c>chillingRisk</c>.
/// </summary>
public static class QuoteParcels
{
    public sealed record Parcel(decimal WeightKg, int? LengthCm, int? WidthCm, int? HeightCm);

    public sealed record Request(string DestinationCity, string? Product, IReadOnlyList<Parcel> Parcels, DateOnly? OldestHarvestedOn, string? Carrier = null);

    public sealed record Option(string Carrier, string Product, decimal ChargeableKg, long ListFen, long NegotiatedFen, long SavingFen, int PromisedDays, bool FreshnessOk,
        bool ChillingRisk);

    public sealed record Quote(string DestinationCity, IReadOnlyList<Option> Options);

    public static void Map(RouteGroupBuilder quotes) => quotes.MapPost("/", Handle).WithName("Quote").Problems(422, "no-rate").ReadOnly();

    private static async Task<Ok<Quote>> Handle(Request request, RateCardCache cards, CarrierRegistry carriers, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation()
            .Text(request.DestinationCity, "destinationCity", 40)
            .Check(request.Product is null || Products.All.Contains(request.Product), "product",
                $"must be one of: {string.Join(", ", Products.All)}")
            .Check(request.Carrier is null || carriers.Find(request.Carrier) is not null, "carrier", $"must be one of: {string.Join(", ", carriers.Names)}")
            .Check(request.Parcels is { Count: > 0 and <= 500 }, "parcels", "must hold 1 to 500 parcels")
            .Date(request.OldestHarvestedOn, "oldestHarvestedOn");
        for (var i = 0; i < (request.Parcels?.Count ?? 0); i++)
        {
            // A parcel's field names are made only for a parcel that fails: 60 valid parcels make no strings.
            var p = request.Parcels![i];
            if (!Validation.IsKg(p.WeightKg, 1000)) v.Kg(p.WeightKg, $"parcels[{i}].weightKg", 1000);
            CheckDimension(v, p.LengthCm, i, "lengthCm");
            CheckDimension(v, p.WidthCm, i, "widthCm");
            CheckDimension(v, p.HeightCm, i, "heightCm");
        }
        v.ThrowIfInvalid();

        var coop = user.CooperativeId();
        var (card, discounts) = await cards.GetAsync(coop, ct);
        // The carriers to quote: the one asked for; with no product, those the cooperative has accounts with (all before it has any).
        IReadOnlySet<string> quoted = request.Carrier is { } asked ? new HashSet<string> { asked }
            : carriers.Names.Where(c => request.Product is not null || discounts.Count == 0 || discounts.ContainsKey(c)).ToHashSet();
        card = card.Where(l => quoted.Contains(l.Carrier)).ToList();
        var parcels = request.Parcels!.Select(p => new ParcelSpec(Weight.ToGrams(p.WeightKg), p.LengthCm, p.WidthCm, p.HeightCm)).ToList();
        IReadOnlyList<Price> prices;
        if (request.Product is { } product)
        {
            var line = RateCalculator.Find(card, product, request.DestinationCity)
                ?? throw Problem.Unprocessable("no-rate", $"The rate card has no {product} rate to {request.DestinationCity}.");
            prices = [RateCalculator.Quote(line, parcels, Rates.DiscountBps(discounts, line.Carrier))];
        }
        else
        {
            prices = RateCalculator.QuoteAll(card, request.DestinationCity, parcels, c => Rates.DiscountBps(discounts, c));
            if (prices.Count == 0)
                throw Problem.Unprocessable("no-rate", $"The rate card has no rate to {request.DestinationCity}.");
        }

        var age = AgeInDays(clock, request.OldestHarvestedOn);
        return TypedResults.Ok(new Quote(RateCalculator.NormalizeDestination(request.DestinationCity), prices
            .Select(p => new Option(p.Carrier, p.Product, Weight.ToKg(p.ChargeableGrams), p.ListFen, p.NegotiatedFen, p.SavingFen, p.PromisedDays,
                p.PromisedDays <= ProductCare.Of(p.Product).ShelfLifeDays - age, ProductCare.Of(p.Product).ChillingRisk))
            .ToList()));
    }

    private static void CheckDimension(Validation v, int? cm, int parcel, string name)
    {
        if (cm is not (null or (> 0 and <= 300))) v.Fail($"parcels[{parcel}].{name}", "must be between 1 and 300 cm");
    }

    /// <summary>How many days ago the oldest box was harvested (China days; 0 when not given).</summary>
    public static int AgeInDays(TimeProvider clock, DateOnly? oldestHarvest) =>
        oldestHarvest is { } d ? Math.Max(0, ChinaTime.Today(clock).DayNumber - d.DayNumber) : 0;
}
