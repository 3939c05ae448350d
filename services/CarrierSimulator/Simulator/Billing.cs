namespace MelonChain.CarrierSimulator.Simulator;

/// <summary>
/// One version of what the carrier bills for an order (SF's 清单运费 <c>versionNo</c>, JD's actual fee): the amount in fen,
/// due once the order's simulated clock passes <see cref="Offset"/> (time after booking).
/// </summary>
public sealed record BillVersion(int Version, long AmountFen, TimeSpan Offset, string Reason);

/// <summary>
/// What the carriers bill, as the simulator decides it. Version 1 is billed at pickup: the order's list price from the
/// simulator's tariff at the rate every monthly card here is assumed to have negotiated — SF 7.5折 (7,500 bps), JD 8折
/// (8,000 bps) — rounded to the fen, so it equals Dispatch's quote for a cooperative at those rates. An order the tariff
/// has no lane for is not billed. A share of SF orders (<c>Simulator:Fees:RevisedShare</c>, decided by the master
/// waybill's digits so that the same waybill always gets the same) is re-weighed at the hub: version 2, 6% more, 12
/// simulated hours after pickup. <c>POST /admin/waybills/{waybillNo}/bill {amountFen}</c> bills a further version at once.
/// </summary>
public static class Billing
{
    public const int SfRateBps = 7_500;
    public const int JdRateBps = 8_000;

    /// <summary>The re-weighed bill: 6% above the first.</summary>
    public const int ReweighedPercent = 106;

    public static readonly TimeSpan ReweighedAfterPickup = TimeSpan.FromHours(12);

    /// <summary>The list price at the carrier's assumed monthly-card rate, in fen (halves away from zero); null off the tariff.</summary>
    public static long? FirstBillFen(Booking b, int parcels)
    {
        if (Tariff.Find(b.Product, b.SenderCity, b.ReceiverCity) is not { } line) return null;
        var (listFen, _) = Tariff.Quote(line, Tariff.VolumetricDivisor(b.SenderCity, b.ReceiverCity), parcels, b.TotalGrams, b.VolumeCm3);
        var bps = b.Carrier == Carriers.Jd ? JdRateBps : SfRateBps;
        return (long)decimal.Round(listFen * (decimal)bps / 10_000m, 0, MidpointRounding.AwayFromZero);
    }

    /// <summary>Whether the order of this master waybill is re-weighed: its last two digits below the share (0.15 → 00–14).</summary>
    public static bool Reweighed(string masterWaybillNo, double share) =>
        share > 0 && masterWaybillNo.Length >= 2 && int.TryParse(masterWaybillNo[^2..], out var last) && last < share * 100;

    /// <summary>The bills planned at booking: version 1 at pickup, and for a re-weighed SF order version 2 later.</summary>
    public static IReadOnlyList<BillVersion> Plan(SimOrder order, double revisedShare)
    {
        if (FirstBillFen(order.Booking, order.Parcels) is not { } first) return [];
        var bills = new List<BillVersion> { new(1, first, order.PickupOffset, "picked up") };
        if (order.Carrier == Carriers.Sf && Reweighed(order.Waybills[0], revisedShare))
            bills.Add(new(2, (long)decimal.Round(first * ReweighedPercent / 100m, 0, MidpointRounding.AwayFromZero),
                order.PickupOffset + ReweighedAfterPickup, "re-weighed"));
        return bills;
    }
}
