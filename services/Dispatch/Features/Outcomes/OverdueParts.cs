using MelonChain.Dispatch.Features.Carrier;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
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

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/overdue-parts", Handle).RequireRoles(Roles.Dispatcher, Roles.Clerk).WithTags("Shipments").WithName("ListOverdueParts");

    private static async Task<Ok<Page<OverduePart>>> Handle(int? limit, string? after, Db db, CarrierRegistry carriers, IConfiguration config,
        TimeProvider clock, ClaimsPrincipal user, CancellationToken ct)
    {
        var paging = Paging.From(limit, after);
        var rows = await FindAsync(db, carriers, config, clock.GetUtcNow(), user.CooperativeId(), paging.After, paging.Fetch, ct);
        return TypedResults.Ok(paging.ToPage(rows, p => p.CarrierOrderId));
    }

    /// <summary>The carrier's limit from collection to a final scan.</summary>
    public static TimeSpan LimitOf(IConfiguration config, string carrier) =>
        TimeSpan.FromHours(config.GetValue($"Carrier:{carrier}:FinalScanWithinHours", DefaultFinalScanWithinHours));

    /// <summary>Overdue carrier orders by carrier order id, after <paramref name="after"/>; of one cooperative, or of all (null) for the health check.</summary>
    public static Task<IReadOnlyList<OverduePart>> FindAsync(Db db, CarrierRegistry carriers, IConfiguration config, DateTimeOffset now,
        string? cooperativeId, string? after, int fetch, CancellationToken ct) =>
        db.QueryAsync<OverduePart>(
            """
            select s.id as shipment_id, s.order_id, s.carrier, o.carrier_order_id, o.master_waybill_no, o.parcels, s.collected_at,
                   s.promised_by, s.collected_at + make_interval(secs => l.hours * 3600) as overdue_since, s.status as last_status,
                   (select max(r.accept_time) from route_records r where r.shipment_id = s.id) as last_scan_at
            from carrier_orders o join shipments s on s.id = o.shipment_id
                 join unnest(@Carriers::text[], @Hours::float8[]) as l(carrier, hours) on l.carrier = s.carrier
            where o.outcome is null and s.status <> 'cancelled' and s.collected_at + make_interval(secs => l.hours * 3600) < @Now
              and (@Coop::text is null or s.cooperative_id = @Coop) and (@After::text is null or o.carrier_order_id > @After)
            order by o.carrier_order_id
            limit @Fetch
            """, new { Carriers = carriers.Names.ToArray(), Hours = carriers.Names.Select(c => LimitOf(config, c).TotalHours).ToArray(),
                       Now = now, Coop = cooperativeId, After = after, Fetch = fetch }, ct);
}
