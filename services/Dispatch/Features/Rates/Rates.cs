using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Messaging;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Dispatch.Features.Rates;

/// <summary>Rate cards (data the dispatcher edits) and quotes priced from them.</summary>
public static class Rates
{
    public static RouteGroupBuilder MapRates(this RouteGroupBuilder api)
    {
        var cards = api.MapGroup("/rate-cards").WithTags("Rates");
        RateCards.Map(cards);
        var quotes = api.MapGroup("/quotes").RequireRoles(Roles.Dispatcher, Roles.Courier).WithTags("Rates");
        QuoteParcels.Map(quotes);
        return api;
    }

    public const string LineColumns =
        "carrier, product, origin_province, destination, first_grams, first_fen, per_kg_fen, volumetric_divisor, promised_days, per_shipment";

    /// <summary>The cooperative's own lines for each carrier, or the default card's lines for a carrier it has none for.</summary>
    public static async Task<IReadOnlyList<RateLine>> CardAsync(Db db, string coop, CancellationToken ct) =>
        await db.QueryAsync<RateLine>(
            $"""
            select {LineColumns} from rate_cards r
            where cooperative_id = case when exists (select 1 from rate_cards o where o.cooperative_id = @Coop and o.carrier = r.carrier)
                                        then @Coop else '*' end
            order by carrier, product, destination
            """, new { Coop = coop }, ct);

    /// <summary>The cooperative's negotiated discount with each carrier it has an account with.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> DiscountsAsync(Db db, string coop, CancellationToken ct) =>
        (await db.QueryAsync<(string Carrier, int DiscountBps)>(
            "select carrier, discount_bps from carrier_accounts where cooperative_id = @Coop", new { Coop = coop }, ct))
        .ToDictionary(a => a.Carrier, a => a.DiscountBps);

    /// <summary>The discount with <paramref name="carrier"/> (its carrier account), or the town's 75% before it has one.</summary>
    public static int DiscountBps(IReadOnlyDictionary<string, int> discounts, string carrier) =>
        discounts.TryGetValue(carrier, out var bps) ? bps : RateCalculator.DefaultDiscountBps;
}

/// <summary>
/// Quotes price from the rate card many times a second while it changes a few times a season: each replica keeps
/// a cooperative's card for a few seconds (a replaced card shows at once on the replica that took the PUT, within
/// <see cref="Lifetime"/> on the others). Booking reads the card from the database, inside its transaction.
/// </summary>
public sealed class RateCardCache(NpgsqlDataSource source, IMemoryCache memory)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    private sealed record Entry(IReadOnlyList<RateLine> Card, IReadOnlyDictionary<string, int> Discounts);

    /// <summary>The card (every carrier's lines) and the cooperative's discount per carrier it has an account with.</summary>
    public async ValueTask<(IReadOnlyList<RateLine> Card, IReadOnlyDictionary<string, int> Discounts)> GetAsync(string coop, CancellationToken ct)
    {
        var entry = await memory.GetOrCreateAsync(Key(coop), async e =>
        {
            e.AbsoluteExpirationRelativeToNow = Lifetime;
            await using var db = new Db(source, new OutboxSignal());
            return new Entry(await Rates.CardAsync(db, coop, ct), await Rates.DiscountsAsync(db, coop, ct));
        });
        return (entry!.Card, entry.Discounts);
    }

    public void Forget(string coop) => memory.Remove(Key(coop));

    private static string Key(string coop) => "rate-card:" + coop;
}
