using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Recall;

/// <summary>
/// 召回: where did it go? From a grower, receipt, lot, contract, seedling batch or harvest dates, every box made from
/// those lots, its order, buyer, waybill and the order's current status. Staff (clerks and admins) see buyers'
/// contacts; contract officers, who recall by contract or seedling batch, see buyers' names and cities only.
/// </summary>
public static class Recall
{
    public static RouteGroupBuilder MapRecall(this RouteGroupBuilder api)
    {
        var recall = api.MapGroup("/recall").RequireRoles(Roles.Clerk, Roles.Officer).WithTags("Recall");
        TraceForward.Map(recall);
        return api;
    }

    /// <summary>Clerks and admins: the cooperative's own staff, who may see buyers' personal data.</summary>
    public static bool IsStaff(ClaimsPrincipal user) => user.HasRole(Roles.Clerk) || user.HasRole(Roles.Admin);
}
