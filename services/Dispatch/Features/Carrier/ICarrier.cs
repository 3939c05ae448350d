namespace MelonChain.Dispatch.Features.Carrier;

// The unified carrier model: what Dispatch needs from any carrier, in its own words. Adapters (SfCarrier)
// map it to and from the carrier's payloads.

/// <summary>The carriers Dispatch speaks, by the name shipments, accounts and rate cards record.</summary>
public static class Carriers
{
    public const string Sf = "sf";
}

/// <summary>A sender or receiver: the person, their phone and address, and for a sender its company.</summary>
public sealed record Party(string Name, string Phone, string Province, string City, string Address, string? County = null, string? Company = null);

public sealed record BookingParcel(string TraceCode, long Grams);

/// <summary>
/// One order, one parcel per box, door pickup from <paramref name="PickupFrom"/>, sender pays by the cooperative's
/// monthly account <paramref name="Account"/>.
/// <paramref name="MayExist"/>: an earlier request began booking this order, so the carrier may have it already.
/// </summary>
public sealed record BookingRequest(
    string CarrierOrderId, string Product, Party Sender, Party Receiver, IReadOnlyList<BookingParcel> Parcels,
    DateTimeOffset PickupFrom, string? Remark, string Account, bool MayExist = false);

/// <summary>The carrier's order: the master waybill first, then the children, one per parcel.</summary>
public sealed record CarrierBooking(string CarrierOrderId, string MasterWaybillNo, IReadOnlyList<string> WaybillNos);

/// <summary>One route record as the carrier reported it; <see cref="Raw"/> keeps the carrier's own JSON.</summary>
public sealed record RouteEvent(string WaybillNo, string? CarrierOrderId, string OpCode, DateTimeOffset At, string Location, string Remark, string Raw);

/// <summary>The carrier's own price and promised delivery time for one product.</summary>
public sealed record CarrierQuote(string Product, DateTimeOffset DeliverBy, long ListFen);

/// <summary>A parsed push: <c>Authentic</c> when its digest matches, <c>Stale</c> when it was signed too long ago (or in the future).</summary>
public sealed record RoutePush(bool Authentic, IReadOnlyList<RouteEvent> Routes, bool Stale = false);

public interface ICarrier
{
    string Name { get; }

    /// <summary>Creates the order, or finds it when an earlier attempt with the same order id already did.</summary>
    Task<CarrierBooking> BookAsync(BookingRequest request, CancellationToken ct);

    /// <summary>The carrier's price and promise for a weight to a destination city (its own tariff, for comparison with the card).</summary>
    Task<CarrierQuote?> QuoteAsync(string product, long grams, string destinationCity, DateTimeOffset shipAt, CancellationToken ct);

    Task<CarrierBooking?> FindOrderAsync(string carrierOrderId, CancellationToken ct);

    Task CancelAsync(string carrierOrderId, CancellationToken ct);

    /// <summary>Route records of up to 10 waybills.</summary>
    Task<IReadOnlyList<RouteEvent>> RoutesAsync(IReadOnlyList<string> waybillNos, CancellationToken ct);

    /// <summary>Checks a push's authenticity and reads its records; <see cref="PushAcknowledgement"/> is the answer.</summary>
    RoutePush ParsePush(string body, IDictionary<string, string?> headers);

    object PushAcknowledgement { get; }
}

/// <summary>The carrier did not answer usefully (network, timeout, 5xx, rate limit, system error): safe to retry.</summary>
public sealed class CarrierUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The carrier refused the call for a reason a retry will not fix (bad parameters, permission, digest).</summary>
public sealed class CarrierRejectedException(string code, string message) : Exception($"{code}: {message}")
{
    public string Code { get; } = code;
}
