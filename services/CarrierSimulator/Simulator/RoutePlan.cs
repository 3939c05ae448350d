namespace MelonChain.CarrierSimulator.Simulator;

/// <summary>
/// A route record the carrier will report: when (simulated offset from booking), its code (SF's opCode or JD's
/// opeTitle), where and what. A record is due once the simulated clock passes booking time + offset.
/// </summary>
public sealed record PlannedRoute(int Seq, TimeSpan Offset, string Code, string Address, string Remark);

/// <summary>
/// Each order's route, between its own sender and receiver cities: picked up at the sender's address at the pickup
/// time → departed the sender city's hub → (through Guangzhou when leaving Guangdong from elsewhere in it) → arrived at
/// the receiver city's hub → out for delivery → delivered 4 h before the promise (pickup + promised days). Fault
/// <c>delivery</c>: "late" delivers 12 h after the promise, "failed" ends in a failed delivery.
/// A waybill's fate (<see cref="Fates"/>, <c>POST /admin/waybills/{waybillNo}/fate</c>) changes the ending: "returned"
/// fails the delivery, then plays the return route (SF 99 → 648, JD 拒收 → 退回 → 退回 at the sender); "lost" stops
/// scanning once the parcels leave the sender's hub and the carrier declares them lost <see cref="DeclaredLostAfter"/>
/// after pickup (SF opCode <see cref="SfLost"/>, JD 丢失).
/// </summary>
public static class RoutePlan
{
    /// <summary>SF's code for a waybill it declares lost (遗失); SF's published samples show none, so it is ours, kept in one place on each side.</summary>
    public const string SfLost = "LOST";

    /// <summary>A parcel the carrier stopped scanning is declared lost this long after pickup.</summary>
    public static readonly TimeSpan DeclaredLostAfter = TimeSpan.FromDays(7);

    public static IReadOnlyList<PlannedRoute> Sf(string senderCity, string senderAddress, string receiverCity, TimeSpan pickup, int promisedDays, string? delivery, string fate)
    {
        var ending = fate == Fates.Returned ? "failed" : delivery;
        var routes = Sf(senderCity, senderAddress, receiverCity, pickup, promisedDays, ending);
        var deliverAt = DeliveredAt(pickup, promisedDays, ending);
        return fate switch
        {
            Fates.Returned => Numbered(routes.Select(r => (r.Offset, r.Code, r.Address, r.Remark)).Concat(
            [
                (deliverAt + TimeSpan.FromHours(2), "99", Cities.Short(receiverCity), "快件退回中 (收件人拒收)"),
                (deliverAt + TimeSpan.FromHours(promisedDays * 24), "648", senderAddress, "退回件已由寄件人签收"),
            ])),
            Fates.Lost => Numbered(routes.Where(r => r.Code is "50" or "30").Select(r => (r.Offset, r.Code, r.Address, r.Remark))
                .Append((pickup + DeclaredLostAfter, SfLost, senderCity, "快件遗失，顺丰已确认"))),
            _ => routes,
        };
    }

    public static IReadOnlyList<PlannedRoute> Jd(string senderCity, string senderAddress, string receiverCity, TimeSpan pickup, int promisedDays, string? delivery, string fate)
    {
        var ending = fate == Fates.Returned ? "failed" : delivery;
        var routes = Jd(senderCity, senderAddress, receiverCity, pickup, promisedDays, ending);
        var deliverAt = DeliveredAt(pickup, promisedDays, ending);
        return fate switch
        {
            Fates.Returned => Numbered(routes.Select(r => (r.Offset, r.Code, r.Address, r.Remark)).Concat(
            [
                (deliverAt + TimeSpan.FromHours(2), "退回", receiverCity, "您的快件已拒收，正在退回寄件人"),
                (deliverAt + TimeSpan.FromHours(promisedDays * 24), "退回", senderAddress, "您的退回件已由寄件人签收"),
            ])),
            Fates.Lost => Numbered(routes.Where(r => r.Code is "揽收" or "分拣" && r.Offset < pickup + TimeSpan.FromHours(4)).Select(r => (r.Offset, r.Code, r.Address, r.Remark))
                .Append((pickup + DeclaredLostAfter, "丢失", senderCity, "您的快件已丢失，京东物流将按规定赔付"))),
            _ => routes,
        };
    }

    public static TimeSpan DeliveredAt(TimeSpan pickup, int promisedDays, string? delivery) =>
        pickup + (delivery == "late" ? TimeSpan.FromHours(promisedDays * 24 + 12) : TimeSpan.FromHours(promisedDays * 24 - 4));

    /// <summary>Leaving Guangdong from a city other than Guangzhou, the parcels pass Guangzhou's hub.</summary>
    private static bool ViaGuangzhou(string from, string to) =>
        Cities.InGuangdong(from) && !Cities.InGuangdong(to) && from != Cities.Guangzhou;

    /// <summary>SF: opCodes 50 → 30 → (31, 36 at Guangzhou) → 31 → 44 → 80 (or 70).</summary>
    public static IReadOnlyList<PlannedRoute> Sf(string senderCity, string senderAddress, string receiverCity, TimeSpan pickup, int promisedDays, string? delivery)
    {
        var (from, to) = (Cities.Short(senderCity), Cities.Short(receiverCity));
        var deliverAt = DeliveredAt(pickup, promisedDays, delivery);
        var routes = new List<(TimeSpan, string, string, string)>
        {
            (pickup, "50", senderAddress, "顺丰速运 已收取快件"),
            (pickup + TimeSpan.FromHours(3), "30", senderCity, $"快件已发车 ({from}集散中心)"),
        };
        if (ViaGuangzhou(senderCity, receiverCity))
        {
            routes.Add((pickup + TimeSpan.FromHours(6), "31", Cities.Guangzhou, "快件到达 广州集散中心"));
            routes.Add((pickup + TimeSpan.FromHours(8), "36", Cities.Guangzhou, "快件已发车 (广州集散中心)"));
        }
        routes.Add((deliverAt - TimeSpan.FromHours(10), "31", receiverCity, $"快件到达 {to}集散中心"));
        routes.Add((deliverAt - TimeSpan.FromHours(4), "44", receiverCity, "快件交给派送员，正在派送途中"));
        routes.Add(delivery == "failed"
            ? (deliverAt, "70", receiverCity, "快件派送不成功 (收件人不在)")
            : (deliverAt, "80", receiverCity, "快件已签收"));
        return Numbered(routes);
    }

    /// <summary>JD: 揽收 → 分拣 (sender hub) → 运输中 → 分拣 (receiver hub) → 派送中 → 妥投 (or 拒收).</summary>
    public static IReadOnlyList<PlannedRoute> Jd(string senderCity, string senderAddress, string receiverCity, TimeSpan pickup, int promisedDays, string? delivery)
    {
        var (from, to) = (Cities.Short(senderCity), Cities.Short(receiverCity));
        var deliverAt = DeliveredAt(pickup, promisedDays, delivery);
        return Numbered(
        [
            (pickup, "揽收", senderAddress, $"京东快递 已在【{senderAddress}】揽收"),
            (pickup + TimeSpan.FromHours(3), "分拣", senderCity, $"您的快件在【{from}分拣中心】分拣完成"),
            (pickup + TimeSpan.FromHours(6), "运输中", senderCity, $"您的快件由【{from}分拣中心】发往【{to}分拣中心】"),
            (deliverAt - TimeSpan.FromHours(10), "分拣", receiverCity, $"您的快件在【{to}分拣中心】分拣完成"),
            (deliverAt - TimeSpan.FromHours(4), "派送中", receiverCity, "您的快件正在派送中"),
            delivery == "failed"
                ? (deliverAt, "拒收", receiverCity, "您的快件已拒收")
                : (deliverAt, "妥投", receiverCity, "您的快件已签收，感谢使用京东物流"),
        ]);
    }

    private static IReadOnlyList<PlannedRoute> Numbered(IEnumerable<(TimeSpan Offset, string Code, string Address, string Remark)> routes) =>
        routes.Select((r, i) => new PlannedRoute(i + 1, r.Offset, r.Code, r.Address, r.Remark)).ToList();
}

/// <summary>How the simulator ends a carrier order (<c>POST /admin/waybills/{waybillNo}/fate</c>).</summary>
public static class Fates
{
    public const string Delivered = "delivered";
    public const string Returned = "returned";
    public const string Lost = "lost";

    public static readonly IReadOnlyList<string> All = [Delivered, Returned, Lost];
}
