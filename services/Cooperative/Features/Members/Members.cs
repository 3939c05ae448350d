using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Members;

/// <summary>成员: the cooperative's member growers and the Enping contract growers it sells for.</summary>
public static class Members
{
    public static readonly string[] Kinds = ["member", "contract"];

    public static RouteGroupBuilder MapMembers(this RouteGroupBuilder api)
    {
        var growers = api.MapGroup("/growers").RequireRoles(Roles.Clerk).WithTags("Members");
        RegisterGrower.Map(growers);
        ListGrowers.Map(growers);
        GetGrowerLink.Map(growers);
        RotateGrowerLink.Map(growers);
        return api;
    }

    /// <summary>
    /// A grower as the clerk sees it (a member of this cooperative: its id is the memberId other services know); a
    /// contract grower also carries ContractGrowing's id of the grower. Lists mask the phone number.
    /// </summary>
    public sealed record Grower(
        Guid Id, string MemberNo, string Name, string Phone, string Village, string Kind, Guid? ContractId,
        DateTimeOffset RegisteredAt, Guid? GrowingGrowerId);
}
