using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Dispatch.Features.Accounts.CarrierAccounts;

namespace MelonChain.Dispatch.Features.Accounts;

/// <summary>Dispatchers and the admin read the cooperative's carrier accounts and the sender its orders carry.</summary>
public static class GetCarrierAccounts
{
    public static void Map(RouteGroupBuilder accounts) =>
        accounts.MapGet("/", Handle).RequireRoles(Roles.Dispatcher).WithName("GetCarrierAccounts");

    private static async Task<Ok<View>> Handle(Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        var coop = user.CooperativeId();
        return TypedResults.Ok(new View(await ListAsync(db, coop, ct), await SenderAsync(db, coop, ct)));
    }
}
