using MelonChain.Dispatch.Features.Carrier;
using MelonChain.Dispatch.Features.Rates;
using MelonChain.Messages;
using MelonChain.ServiceDefaults.Data;

namespace MelonChain.Dispatch.Features.Pickups;

/// <summary>
/// Which carrier and product a pickup is booked with. The order names a product; the cooperative names a default
/// carrier per destination city (its carrier accounts' <c>defaultFor</c>). When the default carrier carries the product,
/// or carries one of the same chain (ambient or cold) that its card serves to the city, that one is taken — an order for
/// SF's cold to a city whose default is JD goes by JD's cold chain. Otherwise the order goes by the carrier of its product.
/// </summary>
public static class CarrierChoice
{
    public sealed record Choice(string Carrier, string Product);

    public static async Task<Choice> ForOrderAsync(Db db, CarrierRegistry carriers, string coop, string product, string city, CancellationToken ct)
    {
        var own = carriers.Carrying(product)?.Name ?? Carriers.Sf;
        var destination = RateCalculator.NormalizeDestination(city);
        var defaultCarrier = await db.QuerySingleOrDefaultAsync<string?>(
            "select carrier from carrier_accounts where cooperative_id = @Coop and @City = any(default_for) order by carrier limit 1",
            new { Coop = coop, City = destination }, ct);
        if (defaultCarrier is null || carriers.Find(defaultCarrier) is not { } carrier || defaultCarrier == own)
            return new Choice(own, product);
        if (carrier.Products.Contains(product)) return new Choice(carrier.Name, product);
        var alike = Alike(await Rates.Rates.CardAsync(db, coop, ct), carrier, product, city);
        return alike is null ? new Choice(own, product) : new Choice(carrier.Name, alike);
    }

    /// <summary>The carrier's product of <paramref name="product"/>'s chain with a rate to the city: the fastest, then the cheapest; null when none.</summary>
    public static string? Alike(IEnumerable<RateLine> card, ICarrier carrier, string product, string city)
    {
        var chain = ProductCare.Of(product).Chain;
        var destination = RateCalculator.NormalizeDestination(city);
        return card
            .Where(l => l.Carrier == carrier.Name && carrier.Products.Contains(l.Product) && ProductCare.Of(l.Product).Chain == chain
                        && string.Equals(l.Destination, destination, StringComparison.OrdinalIgnoreCase))
            .OrderBy(l => l.PromisedDays).ThenBy(l => l.FirstFen).Select(l => l.Product).FirstOrDefault();
    }
}
