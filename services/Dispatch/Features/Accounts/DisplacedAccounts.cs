using MelonChain.ServiceDefaults.Data;

namespace MelonChain.Dispatch.Features.Accounts;

/// <summary>
/// The carrier accounts migration 0008 took from a cooperative because another had saved the same card first
/// (displaced_carrier_accounts): logged at every start until that cooperative's admin saves its own, and named in the
/// 409 its collections get meanwhile.
/// </summary>
public sealed class DisplacedAccounts(IServiceScopeFactory scopes, ILogger<DisplacedAccounts> logger) : IHostedService
{
    public sealed record Displaced(string CooperativeId, string Carrier, string Account, string KeptBy);

    private const string Unresolved =
        """
        select d.cooperative_id, d.carrier, d.account, d.kept_by from displaced_carrier_accounts d
        where not exists (select 1 from carrier_accounts a where a.cooperative_id = d.cooperative_id and a.carrier = d.carrier)
        """;

    /// <summary>The account of <paramref name="coop"/> with <paramref name="carrier"/> that the migration took, while it has saved none since.</summary>
    public static Task<Displaced?> OfAsync(Db db, string coop, string carrier, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<Displaced>(Unresolved + " and d.cooperative_id = @Coop and d.carrier = @Carrier", new { Coop = coop, Carrier = carrier }, ct);

    public async Task StartAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        foreach (var d in await scope.ServiceProvider.GetRequiredService<Db>().QueryAsync<Displaced>(Unresolved, ct: ct))
            logger.LogWarning(
                "The {Carrier} account {Account} of cooperative {Cooperative} was removed (migration 0008): cooperative {KeptBy} saved it first. " +
                "{Cooperative} books nothing with {Carrier} until its admin saves its own account.",
                d.Carrier, d.Account, d.CooperativeId, d.KeptBy, d.CooperativeId, d.Carrier);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
