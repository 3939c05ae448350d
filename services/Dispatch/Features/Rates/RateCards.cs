using MelonChain.Dispatch.Features.Carrier;
using MelonChain.Messages;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Dispatch.Features.Rates;

/// <summary>
/// The cooperative's rate card: read by dispatchers and couriers, replaced whole by a dispatcher when the
/// contract with a carrier changes (the figures are the contract's, so they are data, not code). Each line names its
/// carrier (given, or the carrier of its product); a carrier the cooperative has no lines for is priced by the default
/// card. The negotiated discount belongs to the cooperative's carrier account (carrier-accounts).
/// </summary>
public static class RateCards
{
    public sealed record Line(
        string? Carrier, string Product, string OriginProvince, string Destination, decimal FirstKg, long FirstFen, long PerKgFen,
        int VolumetricDivisor, int PromisedDays, bool PerShipment);

    public sealed record Card(IReadOnlyList<Line> Lines);

    public static void Map(RouteGroupBuilder cards)
    {
        cards.MapGet("/", Get).RequireRoles(Roles.Dispatcher, Roles.Courier).WithName("GetRateCards");
        cards.MapPut("/", Put).RequireRoles(Roles.Dispatcher).WithName("PutRateCards");
    }

    private static Line ToApi(RateLine l) => new(l.Carrier, l.Product, l.OriginProvince, l.Destination, Weight.ToKg(l.FirstGrams),
        l.FirstFen, l.PerKgFen, l.VolumetricDivisor, l.PromisedDays, l.PerShipment);

    private static async Task<Ok<Card>> Get(Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        var coop = user.CooperativeId();
        var card = await Rates.CardAsync(db, coop, ct);
        return TypedResults.Ok(new Card(card.Select(ToApi).ToList()));
    }

    private static async Task<Ok<Card>> Put(Card request, Db db, RateCardCache cache, CarrierRegistry carriers, HttpContext http, ClaimsPrincipal user, CancellationToken ct)
    {
        var v = new Validation()
            .Check(request.Lines is { Count: > 0 and <= 200 }, "lines", "must hold 1 to 200 lines");
        for (var i = 0; i < (request.Lines?.Count ?? 0); i++)
        {
            var l = request.Lines![i];
            var at = $"lines[{i}]";
            var carrier = l.Carrier ?? (l.Product is null ? null : carriers.Carrying(l.Product)?.Name);
            v.OneOf(l.Product, $"{at}.product", Products.All)
             .Check(l.Product is null || (carrier is not null && carriers.Find(carrier)?.Products.Contains(l.Product) == true), $"{at}.carrier",
                 $"must be a configured carrier ({string.Join(", ", carriers.Names)}) that carries the product")
             .Text(l.OriginProvince, $"{at}.originProvince", 40)
             .Text(l.Destination, $"{at}.destination", 40)
             .Kg(l.FirstKg, $"{at}.firstKg", 1000)
             .Range(l.FirstFen, $"{at}.firstFen", 0, 10_000_000)
             .Range(l.PerKgFen, $"{at}.perKgFen", 0, 1_000_000)
             .Range(l.VolumetricDivisor, $"{at}.volumetricDivisor", 1000, 20_000)
             .Range(l.PromisedDays, $"{at}.promisedDays", 1, 30);
        }
        if (request.Lines is not null)
            v.Check(request.Lines.DistinctBy(l => (l.Carrier, l.Product, l.OriginProvince, RateCalculator.NormalizeDestination(l.Destination ?? ""))).Count() == request.Lines.Count,
                "lines", "must not repeat a product, origin and destination");
        v.ThrowIfInvalid();

        var coop = user.CooperativeId();
        // One save of this cooperative's card at a time: the next one's delete sees the lines this one writes, so two
        // dispatchers saving at once leave the later card whole (never a 500 on the other's lines).
        await db.ExecuteAsync("select pg_advisory_xact_lock(hashtext('rate-cards:' || @Coop))", new { Coop = coop }, ct);
        await db.ExecuteAsync("delete from rate_cards where cooperative_id = @Coop", new { Coop = coop }, ct);
        foreach (var l in request.Lines!)
            await db.ExecuteAsync(
                """
                insert into rate_cards (cooperative_id, carrier, product, origin_province, destination, first_grams, first_fen,
                                        per_kg_fen, volumetric_divisor, promised_days, per_shipment)
                values (@Coop, @Carrier, @Product, @Origin, @Destination, @FirstGrams, @FirstFen, @PerKgFen, @Divisor, @Days, @PerShipment)
                """, new { Coop = coop, Carrier = l.Carrier ?? carriers.Carrying(l.Product)!.Name, l.Product, Origin = l.OriginProvince.Trim(), Destination = RateCalculator.NormalizeDestination(l.Destination),
                           FirstGrams = Weight.ToGrams(l.FirstKg), l.FirstFen, l.PerKgFen, Divisor = l.VolumetricDivisor,
                           Days = l.PromisedDays, l.PerShipment }, ct);
        // After the unit of work commits, so no quote caches the old card in between.
        http.Response.OnCompleted(() => { cache.Forget(coop); return Task.CompletedTask; });
        return await Get(db, user, ct);
    }
}
