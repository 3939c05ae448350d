using MelonChain.Dispatch.Features.Carrier;
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
        "product, origin_province, destination, first_grams, first_fen, per_kg_fen, volumetric_divisor, promised_days, per_shipment";

    /// <summary>The cooperative's own card, or the default card when it has none.</summary>
    public static async Task<IReadOnlyList<RateLine>> CardAsync(Db db, string coop, CancellationToken ct) =>
        await db.QueryAsync<RateLine>(
            $"""
            select {LineColumns} from rate_cards
            where cooperative_id = case when exists (select 1 from rate_cards where cooperative_id = @Coop) then @Coop else '*' end
            order by product, destination
            """, new { Coop = coop }, ct);

    /// <summary>The cooperative's negotiated discount with the carrier (its carrier account), or the town's 75% before it has one.</summary>
    public static async Task<int> DiscountBpsAsync(Db db, string coop, string carrier, CancellationToken ct) =>
        await db.QuerySingleOrDefaultAsync<int?>(
            "select discount_bps from carrier_accounts where cooperative_id = @Coop and carrier = @Carrier", new { Coop = coop, Carrier = carrier }, ct)
        ?? RateCalculator.DefaultDiscountBps;
}

/// <summary>
/// Quotes price from the rate card many times a second while it changes a few times a season: each replica keeps
/// a cooperative's card for a few seconds (a replaced card shows at once on the replica that took the PUT, within
/// <see cref="Lifetime"/> on the others). Booking reads the card from the database, inside its transaction.
/// </summary>
public sealed class RateCardCache(NpgsqlDataSource source, IMemoryCache memory)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    private sealed record Entry(IReadOnlyList<RateLine> Card, int DiscountBps);

    public async ValueTask<(IReadOnlyList<RateLine> Card, int DiscountBps)> GetAsync(string coop, CancellationToken ct)
    {
        var entry = await memory.GetOrCreateAsync(Key(coop), async e =>
        {
            e.AbsoluteExpirationRelativeToNow = Lifetime;
            await using var db = new Db(source, new OutboxSignal());
            return new Entry(await Rates.CardAsync(db, coop, ct), await Rates.DiscountBpsAsync(db, coop, Carriers.Sf, ct));
        });
        return (entry!.Card, entry.DiscountBps);
    }

    public void Forget(string coop) => memory.Remove(Key(coop));

    private static string Key(string coop) => "rate-card:" + coop;
}
