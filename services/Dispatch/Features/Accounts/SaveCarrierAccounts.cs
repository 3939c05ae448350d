using MelonChain.Dispatch.Features.Carrier;
using MelonChain.Dispatch.Features.Rates;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using Npgsql;
using static MelonChain.Dispatch.Features.Accounts.CarrierAccounts;

namespace MelonChain.Dispatch.Features.Accounts;

/// <summary>
/// The admin replaces the cooperative's carrier accounts whole: at most one per carrier, a destination city the
/// default of at most one. An account (a monthly card) belongs to one cooperative, which the carrier bills: one another
/// cooperative holds is 409 carrier-account-taken and nothing is saved. Two saves at once take turns (the last one
/// stands whole). Quotes take the new discount at once on this replica (the rate-card cache is dropped).
/// </summary>
public static class SaveCarrierAccounts
{
    public const string AccountTaken = "carrier-account-taken";

    public sealed record Request(IReadOnlyList<CarrierAccount>? Accounts);

    public static void Map(RouteGroupBuilder accounts) =>
        accounts.MapPut("/", Handle).RequireRoles(Roles.Admin).WithName("SaveCarrierAccounts").Problems(409, AccountTaken);

    private static async Task<Ok<View>> Handle(Request request, Db db, CarrierRegistry carriers, RateCardCache cache, HttpContext http,
        ClaimsPrincipal user, CancellationToken ct)
    {
        var known = carriers.Names;
        var accounts = request.Accounts ?? [];
        var v = new Validation().Check(accounts.Count is > 0 and <= 10, "accounts", "must hold 1 to 10 accounts");
        for (var i = 0; i < accounts.Count; i++)
        {
            var a = accounts[i];
            var at = $"accounts[{i}]";
            v.OneOf(a.Carrier, $"{at}.carrier", known)
             .Code(a.Account, $"{at}.account", 30)
             .Range(a.DiscountBps, $"{at}.discountBps", 1, 10_000)
             .Check(a.DefaultFor is null || (a.DefaultFor.Length <= 50 && a.DefaultFor.All(c => !string.IsNullOrWhiteSpace(c) && c.Length <= 40)),
                 $"{at}.defaultFor", "must hold at most 50 city names of at most 40 characters");
        }
        v.Check(accounts.Select(a => a.Carrier).Distinct().Count() == accounts.Count, "accounts", "must hold at most one account per carrier");
        // Beijing, 北京 and 北京市 are one city.
        var defaultFor = accounts.Select(a => (a.DefaultFor ?? []).Select(c => RateCalculator.NormalizeDestination(c)).ToArray()).ToList();
        var cities = defaultFor.SelectMany(c => c).ToList();
        v.Check(cities.Distinct().Count() == cities.Count, "accounts", "must name a city as the default of one account only");
        v.ThrowIfInvalid();

        var coop = user.CooperativeId();
        // One save of this cooperative's accounts at a time: the next one's delete sees the rows this one writes.
        await db.ExecuteAsync("select pg_advisory_xact_lock(hashtext('carrier-accounts:' || @Coop))", new { Coop = coop }, ct);
        await RefuseTakenAsync(db, coop, accounts, ct);
        await db.ExecuteAsync("delete from carrier_accounts where cooperative_id = @Coop", new { Coop = coop }, ct);
        try
        {
            foreach (var (a, cityNames) in accounts.Zip(defaultFor))
                await db.ExecuteAsync(
                    """
                    insert into carrier_accounts (cooperative_id, carrier, account, discount_bps, default_for)
                    values (@Coop, @Carrier, @Account, @DiscountBps, @DefaultFor)
                    """, new { Coop = coop, a.Carrier, a.Account, a.DiscountBps, DefaultFor = cityNames }, ct);
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: OneCooperative })
        {
            // Another cooperative saved the same card at the same moment and committed first.
            throw Taken("accounts");
        }
        // After the unit of work commits, so no quote caches the old discount in between.
        http.Response.OnCompleted(() => { cache.Forget(coop); return Task.CompletedTask; });
        return TypedResults.Ok(new View(await ListAsync(db, coop, ct), await SenderAsync(db, coop, ct)));
    }

    private const string OneCooperative = "carrier_accounts_one_cooperative";

    /// <summary>409 when another cooperative holds one of the accounts (which one is not said: it is that cooperative's business).</summary>
    private static async Task RefuseTakenAsync(Db db, string coop, IReadOnlyList<CarrierAccount> accounts, CancellationToken ct)
    {
        var taken = await db.QueryAsync<(string Carrier, string Account)>(
            """
            select carrier, account from carrier_accounts
            where cooperative_id <> @Coop and (carrier, account) in (select * from unnest(@Carriers, @Accounts))
            """, new { Coop = coop, Carriers = accounts.Select(a => a.Carrier!).ToArray(), Accounts = accounts.Select(a => a.Account!).ToArray() }, ct);
        if (taken.Count == 0) return;
        throw Taken($"accounts[{accounts.ToList().FindIndex(a => taken.Contains((a.Carrier!, a.Account!)))}].account");
    }

    private static ProblemException Taken(string field) => Problem.Conflict(AccountTaken,
        "Another cooperative holds this carrier account: the carrier bills a monthly card to one cooperative. Save this cooperative's own account.",
        new Dictionary<string, object?> { ["field"] = field });
}
