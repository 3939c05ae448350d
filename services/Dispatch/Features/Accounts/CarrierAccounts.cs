using System.Text.Json;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Dispatch.Features.Accounts;

/// <summary>
/// A cooperative's accounts with the carriers (its monthly card, its negotiated discount, the cities it is the default
/// for) and its sender, the copy of its profile that booking puts on every carrier order. Booking takes no
/// installation-wide default for either: a cooperative books only once both are saved. (A quote before the account
/// exists prices at the town's negotiated 75%, RateCalculator.DefaultDiscountBps, on the default rate card.)
/// </summary>
public static class CarrierAccounts
{
    public static RouteGroupBuilder MapCarrierAccounts(this RouteGroupBuilder api)
    {
        var accounts = api.MapGroup("/carrier-accounts").WithTags("Carrier accounts");
        GetCarrierAccounts.Map(accounts);
        SaveCarrierAccounts.Map(accounts);
        return api;
    }

    public sealed record CarrierAccount(string? Carrier, string? Account, int DiscountBps, string[]? DefaultFor);

    public sealed record Sender(string Name, string ShortName, string ContactName, string Phone, string Province, string City, string County, string Street);

    /// <summary>The accounts, and the sender from the cooperative's profile (null until Dispatch has it).</summary>
    public sealed record View(IReadOnlyList<CarrierAccount> Accounts, Sender? Sender);

    private sealed record AccountRow(string Carrier, string? Account, int DiscountBps, string DefaultFor);

    public static async Task<IReadOnlyList<CarrierAccount>> ListAsync(Db db, string coop, CancellationToken ct) =>
        (await db.QueryAsync<AccountRow>(
            """
            select carrier, account, discount_bps, array_to_json(default_for)::text as default_for
            from carrier_accounts where cooperative_id = @Coop order by carrier
            """, new { Coop = coop }, ct))
        .Select(r => new CarrierAccount(r.Carrier, r.Account, r.DiscountBps, JsonSerializer.Deserialize<string[]>(r.DefaultFor))).ToList();

    public static Task<Sender?> SenderAsync(Db db, string coop, CancellationToken ct) => db.QuerySingleOrDefaultAsync<Sender>(
        "select name, short_name, contact_name, phone, province, city, county, street from cooperative_senders where cooperative_id = @Coop",
        new { Coop = coop }, ct);

    /// <summary>What booking with <paramref name="carrier"/> needs of the cooperative; 409 naming what is missing.</summary>
    public static async Task<(Sender Sender, string Account)> ForBookingAsync(Db db, string coop, string carrier, CancellationToken ct)
    {
        var sender = await SenderAsync(db, coop, ct) ?? throw Problem.Conflict("profile-required",
            "Dispatch has no profile of this cooperative: its admin saves it (PUT /api/v1/cooperative/profile) before anything is booked.");
        var account = await db.QuerySingleOrDefaultAsync<string?>(
            "select account from carrier_accounts where cooperative_id = @Coop and carrier = @Carrier", new { Coop = coop, Carrier = carrier }, ct);
        if (account is not null) return (sender, account);
        throw Problem.Conflict("carrier-account-required", await DisplacedAccounts.OfAsync(db, coop, carrier, ct) is not null
            ? $"The {carrier} account this cooperative had saved is held by another cooperative, which saved it first: its admin saves "
              + "this cooperative's own account (PUT /api/v1/dispatch/carrier-accounts) before anything is booked."
            : $"This cooperative has no {carrier} account: its admin saves it (PUT /api/v1/dispatch/carrier-accounts) before anything is booked.");
    }
}
