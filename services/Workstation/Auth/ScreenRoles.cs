namespace MelonChain.Workstation.Auth;

/// <summary>
/// Which screens' actions a role may use, as the services' own role checks say (the admin everywhere in its
/// cooperative). The app only disables what the server would refuse; the server still checks every call.
/// </summary>
public static class ScreenRoles
{
    /// <summary>订单, 库存, 结算, member accounts: the Cooperative's Sales, Grading and Settlement admit the clerk.</summary>
    public static bool MaySell(this Caller caller) => caller.Role is Caller.Clerk or Caller.Admin;

    /// <summary>The deductions catalogue, the surplus return, the profile, carrier accounts: the admin's decisions.</summary>
    public static bool IsAdmin(this Caller caller) => caller.Role == Caller.Admin;

    /// <summary>召回: the clerk and the contract officer.</summary>
    public static bool MayRecall(this Caller caller) => caller.Role is Caller.Clerk or Caller.Admin or "officer";

    /// <summary>揽收: Dispatch lists pickups for the clerk, the dispatcher and the admin (and couriers, in their own app).</summary>
    public static bool MaySeePickups(this Caller caller) => caller.Role is Caller.Clerk or Caller.Admin or "dispatcher";

    /// <summary>
    /// 异常/理赔: Dispatch lists overdue carrier orders for the clerk, the dispatcher and the admin; returns and claims
    /// are the Cooperative's (<see cref="MaySell"/>).
    /// </summary>
    public static bool MaySeeExceptions(this Caller caller) => caller.Role is Caller.Clerk or Caller.Admin or "dispatcher";
}
