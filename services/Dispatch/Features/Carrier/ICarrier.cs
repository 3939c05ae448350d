namespace MelonChain.Dispatch.Features.Carrier;

// The unified carrier model: what Dispatch needs from any carrier, in its own words. Each adapter (Sf/, Jd/) maps it
// to and from its carrier's payloads, maps the carrier's route codes to ShipmentStatuses and raises the errors below;
// nothing outside an adapter knows a carrier's field names, codes or products' own ids.

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

/// <summary>
/// The carrier's order: its master tracking number and one tracking number per parcel, in the parcels' order. For a
/// carrier that numbers each parcel with its own waybill (SF) the master is the first of them; for one that gives the
/// order one waybill and each parcel a package code (JD) the master is that waybill and not among the parcels'.
/// </summary>
public sealed record CarrierBooking(string CarrierOrderId, string MasterWaybillNo, IReadOnlyList<string> WaybillNos);

/// <summary>
/// One route record as the carrier reported it: the carrier's own code, the status the adapter mapped it to
/// (null = a code it does not know: keep the previous status), and <see cref="Raw"/>, the carrier's own JSON.
/// </summary>
public sealed record RouteEvent(
    string WaybillNo, string? CarrierOrderId, string CarrierCode, string? Status, DateTimeOffset At, string Location, string Remark, string Raw);

/// <summary>The carrier's own price and promised delivery time for one product.</summary>
public sealed record CarrierQuote(string Product, DateTimeOffset DeliverBy, long ListFen);

/// <summary>A parsed push: <c>Authentic</c> when its signature matches, <c>Stale</c> when it was signed too long ago (or in the future).</summary>
public sealed record RoutePush(bool Authentic, IReadOnlyList<RouteEvent> Routes, bool Stale = false);

/// <summary>One parcel's label: its tracking number (SF's waybill, JD's package code) and the trace code its custom area carries.</summary>
public sealed record LabelParcel(string WaybillNo, string TraceCode);

/// <summary>
/// The waybill labels (电子面单) of one carrier order, for its parcels in the order given, on paper of
/// <see cref="WaybillLabelPaper"/> size; each label's custom area carries <see cref="WaybillLabelPaper.CustomArea"/>.
/// </summary>
public sealed record LabelRequest(string CarrierOrderId, string Account, string MasterWaybillNo, IReadOnlyList<LabelParcel> Parcels, string Paper);
/// <summary>
/// One fee the carrier bills for a waybill (a fee type: freight, surcharge …), in fen, with the carrier's version of it:
/// a higher version replaces a lower one of the same waybill and fee type.
/// </summary>
public sealed record CarrierFee(string WaybillNo, string FeeTypeCode, string FeeName, long AmountFen, int VersionNo);

/// <summary>
/// A parsed fee push: <c>Authentic</c> when its signature matches; <c>Invalid</c> names what could not be read (nothing of
/// such a push is kept).
/// </summary>
public sealed record FeePush(bool Authentic, IReadOnlyList<CarrierFee> Fees, string? Invalid = null);

public interface ICarrier
{
    /// <summary>The carrier's name in <see cref="MelonChain.Messages.Carriers"/>.</summary>
    string Name { get; }

    /// <summary>The MelonChain products (<see cref="MelonChain.Messages.Products"/>) this carrier carries.</summary>
    IReadOnlyCollection<string> Products { get; }

    /// <summary>True when the carrier pushes route records (Dispatch then polls only quiet shipments); false when they are only pulled.</summary>
    bool PushesRoutes { get; }

    /// <summary>Creates the order, or finds it when an earlier attempt with the same order id already did.</summary>
    Task<CarrierBooking> BookAsync(BookingRequest request, CancellationToken ct);

    /// <summary>The carrier's price and promise for a weight to a destination city (its own tariff), or null when it has no such query.</summary>
    Task<CarrierQuote?> QuoteAsync(string product, long grams, string destinationCity, DateTimeOffset shipAt, CancellationToken ct);

    /// <summary>The order booked under <paramref name="carrierOrderId"/> by the cooperative's <paramref name="account"/>, or null.</summary>
    Task<CarrierBooking?> FindOrderAsync(string carrierOrderId, string account, CancellationToken ct);

    /// <summary>
    /// Cancels the order before pickup (an order the carrier does not have is fine); <see cref="CarrierPickedUpException"/>
    /// once picked up, and only then: any other refusal is a <see cref="CarrierRejectedException"/>.
    /// </summary>
    Task CancelAsync(string carrierOrderId, string account, CancellationToken ct);

    /// <summary>Route records of up to 10 master waybills.</summary>
    Task<IReadOnlyList<RouteEvent>> RoutesAsync(IReadOnlyList<string> masterWaybillNos, CancellationToken ct);

    /// <summary>Checks a push's authenticity and reads its records; <see cref="PushAcknowledgement"/> is the answer. A carrier that does not push returns <c>Authentic = false</c>.</summary>
    RoutePush ParsePush(string body, IDictionary<string, string?> headers);

    object PushAcknowledgement { get; }

    /// <summary>
    /// The carrier's own waybill labels from its cloud print: PDFs whose pages are the parcels' labels in the order asked
    /// (one or several files, in order). Safe to ask again: the carrier prints the same waybills.
    /// </summary>
    Task<IReadOnlyList<byte[]>> LabelsAsync(LabelRequest request, CancellationToken ct);

    /// <summary>True when the carrier pushes its billed fees (Dispatch asks only when a push is missing); false when they are only asked for.</summary>
    bool PushesFees { get; }

    /// <summary>Checks a fee push's signature and reads its fees from the form the carrier posted. A carrier that does not push fees returns <c>Authentic = false</c>.</summary>
    FeePush ParseFeePush(IReadOnlyDictionary<string, string> form);

    /// <summary>What the carrier bills for the order so far, or null while it has billed nothing (not picked up yet).</summary>
    Task<IReadOnlyList<CarrierFee>?> BilledFeesAsync(string carrierOrderId, string masterWaybillNo, string account, CancellationToken ct);
}

/// <summary>Carriers write fees in yuan with two decimals; MelonChain keeps fen, exactly.</summary>
public static class Yuan
{
    /// <summary>The fen of an amount in yuan, or null when it has more than two decimals (or is negative): never rounded.</summary>
    public static long? ToFen(decimal yuan)
    {
        var fen = yuan * 100m;
        return fen == decimal.Truncate(fen) && fen >= 0 && fen <= long.MaxValue ? (long)fen : null;
    }
}

/// <summary>
/// The carrier did not answer usefully (network, timeout, 5xx, rate limit, system error): safe to retry.
/// <see cref="CircuitOpen"/>: calls are paused after repeated failures.
/// </summary>
public sealed class CarrierUnavailableException(string message, Exception? inner = null, bool circuitOpen = false) : Exception(message, inner)
{
    public bool CircuitOpen { get; } = circuitOpen;
}

/// <summary>The carrier refused the call for a reason a retry will not fix (bad parameters, permission, signature, already picked up).</summary>
public sealed class CarrierRejectedException(string code, string message) : Exception($"{code}: {message}")
{
    public string Code { get; } = code;
}

/// <summary>
/// The carrier will not cancel because its courier has picked the parcels up: the one refusal of a cancellation that
/// means the shipment goes on. A refusal of the caller (signature, token, permission) is never this.
/// </summary>
public sealed class CarrierPickedUpException(string code, string message) : Exception($"{code}: {message}")
{
    public string Code { get; } = code;
}
