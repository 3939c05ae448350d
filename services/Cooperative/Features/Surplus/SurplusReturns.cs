using MelonChain.Cooperative.Features.Settlement;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Surplus;

/// <summary>
/// 盈余返还: the Farmer Cooperative Law asks that at least 60% of a year's distributable surplus go back to members in
/// proportion to their transaction volume with the cooperative. The cooperative enters the year's distributable
/// surplus and the share returned by volume (6,000 basis points or more); each member's part is credited to the member
/// account. The rest (by capital share or another agreed basis) is recorded as retained, for the general assembly.
/// </summary>
public static class SurplusReturns
{
    public const int MinVolumeShareBps = 6_000;

    public static RouteGroupBuilder MapSurplus(this RouteGroupBuilder api)
    {
        var returns = api.MapGroup("/surplus-returns").WithTags("Surplus");
        ReturnSurplus.Map(returns);
        GetSurplusReturn.Map(returns);
        return api;
    }

    public sealed record MemberShare(Guid GrowerId, string MemberNo, string Name, decimal VolumeKg, long AmountFen);

    public sealed record SurplusReturn(Guid Id, int Year, long DistributableFen, int VolumeShareBps, long ByVolumeFen, long RetainedFen,
        DateTimeOffset ReturnedAt, string ReturnedBy, IReadOnlyList<MemberShare> Members);

    public sealed record Volume(Guid GrowerId, string MemberNo, long Grams);

    /// <summary>
    /// The part returned by volume — the volume share of the distributable surplus, rounded up so it is never below the
    /// share asked — split by each member's volume with the largest remainder (ties to the lower member number).
    /// </summary>
    public static (long ByVolumeFen, IReadOnlyList<long> Shares) Split(long distributableFen, int volumeShareBps, IReadOnlyList<Volume> members)
    {
        var byVolume = (long)(((Int128)distributableFen * volumeShareBps + 9_999) / 10_000);
        var ordered = members.Select((m, i) => (m, i)).OrderBy(x => x.m.MemberNo, StringComparer.Ordinal).ToList();
        var parts = SettlementMath.Split(byVolume, ordered.Select(x => x.m.Grams).ToList());
        var shares = new long[members.Count];
        for (var k = 0; k < ordered.Count; k++) shares[ordered[k].i] = parts[k];
        return (byVolume, shares);
    }
}
