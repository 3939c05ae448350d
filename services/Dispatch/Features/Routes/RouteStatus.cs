namespace MelonChain.Dispatch.Features.Routes;

/// <summary>A route record as far as status is concerned: its mapped status (null = unknown opCode) and time.</summary>
public sealed record StatusRecord(long Id, string? Status, DateTimeOffset At);

/// <summary>
/// The shipment status implied by its route records, whatever order they arrived in: the first delivery once
/// there is one (delivered never moves backwards), otherwise the latest record by event time with a known
/// status. Unknown opCodes keep the previous status. A cancelled shipment stays cancelled.
/// </summary>
public static class RouteStatus
{
    public static StatusRecord? Implied(string current, IEnumerable<StatusRecord> records)
    {
        if (current == "cancelled") return null;
        var known = records.Where(r => r.Status is not null).ToList();
        var delivered = known.Where(r => r.Status == "delivered").OrderBy(r => r.At).ThenBy(r => r.Id).FirstOrDefault();
        if (delivered is not null) return delivered;
        if (current == "delivered") return null;
        return known.OrderByDescending(r => r.At).ThenByDescending(r => r.Id).FirstOrDefault();
    }
}
