using MelonChain.Dispatch.Features.Carrier;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Dispatch.Features.Outcomes;

/// <summary>
/// <c>GET /overdue-parts</c>: the carrier orders collected more than their carrier's limit ago
/// (<c>Carrier:{carrier}:FinalScanWithinHours</c>, 120 h unless configured) with no final scan yet — neither delivered,
/// returned nor declared lost. The clerk's exceptions list (异常): each one is chased with the carrier (and claimed
/// once the carrier declares it lost). The same list turns health degraded (<see cref="OverduePartsHealthCheck"/>).
/// </summary>
public static class OverdueParts
{
    public const double DefaultFinalScanWithinHours = 120;

    public sealed record OverduePart(
        Guid ShipmentId, Guid OrderId, string Carrier, string CarrierOrderId, string MasterWaybillNo, int Parcels,
        DateTimeOffset CollectedAt, DateTimeOffset PromisedBy, DateTimeOffset OverdueSince, string LastStatus, DateTimeOffset? LastScanAt);

    public sealed record Overdue(IReadOnlyList<OverduePart> Items);

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/overdue-parts", Handle).RequireRoles(Roles.Dispatcher, Roles.Clerk).WithTags("Shipments").WithName("ListOverdueParts");

    private static async Task<Ok<Overdue>> Handle(Db db, CarrierRegistry carriers, IConfiguration config, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(new Overdue(await FindAsync(db, carriers, config, clock.GetUtcNow(), user.CooperativeId(), ct)));

    /// <summary>The carrier's limit from collection to a final scan.</summary>
    public static TimeSpan LimitOf(IConfiguration config, string carrier) =>
        TimeSpan.FromHours(config.GetValue($"Carrier:{carrier}:FinalScanWithinHours", DefaultFinalScanWithinHours));

    /// <summary>Overdue carrier orders, longest overdue first; of one cooperative, or of all (null) for the health check.</summary>
    public static async Task<IReadOnlyList<OverduePart>> FindAsync(Db db, CarrierRegistry carriers, IConfiguration config, DateTimeOffset now,
        string? cooperativeId, CancellationToken ct)
    {
        var found = new List<OverduePart>();
        foreach (var carrier in carriers.Names)
        {
            var limit = LimitOf(config, carrier);
            found.AddRange(await db.QueryAsync<OverduePart>(
                """
                select s.id as shipment_id, s.order_id, s.carrier, o.carrier_order_id, o.master_waybill_no, o.parcels, s.collected_at,
                       s.promised_by, s.collected_at + @Limit as overdue_since, s.status as last_status,
                       (select max(r.accept_time) from route_records r where r.shipment_id = s.id) as last_scan_at
                from carrier_orders o join shipments s on s.id = o.shipment_id
                where o.outcome is null and s.status <> 'cancelled' and s.carrier = @Carrier
                  and s.collected_at + @Limit < @Now and (@Coop::text is null or s.cooperative_id = @Coop)
                order by s.collected_at, o.part
                limit 500
                """, new { Carrier = carrier, Limit = limit, Now = now, Coop = cooperativeId }, ct));
        }
        return found.OrderBy(p => p.OverdueSince).ToList();
    }
}
