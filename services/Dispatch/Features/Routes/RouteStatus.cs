using MelonChain.Messages;
using MelonChain.Messages.Dispatch;

namespace MelonChain.Dispatch.Features.Routes;

/// <summary>
/// A route record as far as status is concerned: its mapped status (null = a carrier code its adapter does not know), time, and which of the
/// shipment's carrier orders (part) its waybill belongs to.
/// </summary>
public sealed record StatusRecord(long Id, string? Status, DateTimeOffset At, int Part = 1);

/// <summary>
/// The shipment status implied by its route records, whatever order they arrived in: delivered once every one of
/// its <c>parts</c> carrier orders has a delivery (at the moment the last of them was first delivered; delivered never
/// moves backwards), otherwise the latest record by event time with a known status among the parts still on their
/// way. Unknown carrier codes keep the previous status. A cancelled shipment stays cancelled.
/// </summary>
public static class RouteStatus
{
    public static StatusRecord? Implied(string current, IEnumerable<StatusRecord> records, int parts = 1)
    {
        if (current == ShipmentStatuses.Cancelled) return null;
        var known = records.Where(r => r.Status is not null).ToList();
        var firstDeliveries = known.Where(r => r.Status == ShipmentStatuses.Delivered).GroupBy(r => r.Part)
            .Select(g => g.OrderBy(r => r.At).ThenBy(r => r.Id).First()).ToList();
        if (firstDeliveries.Count > 0 && firstDeliveries.Count >= parts)
            return firstDeliveries.OrderByDescending(r => r.At).ThenByDescending(r => r.Id).First();
        if (current == ShipmentStatuses.Delivered) return null;
        var arrived = firstDeliveries.Select(r => r.Part).ToHashSet();
        return known.Where(r => !arrived.Contains(r.Part)).OrderByDescending(r => r.At).ThenByDescending(r => r.Id).FirstOrDefault();
    }

    /// <summary>The outcome (<see cref="PartOutcomes"/>) a final status means, or null for a status on the way.</summary>
    public static string? OutcomeOf(string? status) => status switch
    {
        ShipmentStatuses.Delivered => PartOutcomes.Delivered,
        ShipmentStatuses.ReturnToSender => PartOutcomes.Returned,
        ShipmentStatuses.Lost => PartOutcomes.Lost,
        _ => null,
    };

    /// <summary>
    /// How each carrier order (part) ended: its first final record by event time (delivered, returned to sender, declared
    /// lost), whatever order the records arrived in; a part with no final record is absent (still on its way).
    /// </summary>
    public static IReadOnlyDictionary<int, StatusRecord> Endings(IEnumerable<StatusRecord> records) =>
        records.Where(r => OutcomeOf(r.Status) is not null).GroupBy(r => r.Part)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.At).ThenBy(r => r.Id).First());
}
