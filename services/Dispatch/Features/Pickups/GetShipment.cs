using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Dispatch.Features.Pickups.CollectPickup;

namespace MelonChain.Dispatch.Features.Pickups;

/// <summary>
/// A booked shipment with its waybills and route timeline (by event time). Couriers see the ones they collected; the
/// cooperative's dispatcher and clerk (the workstation's 揽收 screen: where each shipment is) see all of its own.
/// </summary>
public static class GetShipment
{
    public sealed record RouteRecord(DateTimeOffset At, string WaybillNo, string CarrierCode, string? Status, string Location, string Remark);

    public sealed record Details(
        Guid Id, Guid OrderId, Guid PickupId, string Carrier, string CarrierOrderId, string Product, string MasterWaybillNo,
        IReadOnlyList<Waybill> Waybills, decimal ChargeableKg, long ListFen, long NegotiatedFen, long SavingFen,
        DateTimeOffset CollectedAt, DateTimeOffset PromisedBy, string Status, DateTimeOffset StatusAt, DateTimeOffset? DeliveredAt,
        bool? OnTime, IReadOnlyList<RouteRecord> Timeline, IReadOnlyList<CarrierOrder> CarrierOrders);

    private sealed record Row(
        Guid Id, Guid OrderId, Guid PickupId, string Carrier, string CarrierOrderId, string Product, string MasterWaybillNo,
        decimal ChargeableKg, long ListFen, long NegotiatedFen, DateTimeOffset CollectedAt, DateTimeOffset PromisedBy, string Status,
        DateTimeOffset StatusAt, DateTimeOffset? DeliveredAt, bool? OnTime, string CourierId);

    public static void Map(RouteGroupBuilder shipments) => shipments.MapGet("/{id:guid}", Handle).WithName("GetShipment");

    private static async Task<Ok<Details>> Handle(Guid id, Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        var s = await db.QuerySingleOrDefaultAsync<Row>(
            """
            select id, order_id, pickup_id, carrier, carrier_order_id, product, master_waybill_no, chargeable_grams / 1000.0 as chargeable_kg,
                   list_fen, negotiated_fen, collected_at, promised_by, status, status_at, delivered_at, on_time, courier_id
            from shipments where id = @Id and cooperative_id = @Coop
            """, new { Id = id, Coop = user.CooperativeId() }, ct);
        if (s is null || (!user.HasRole(Roles.Dispatcher) && !user.HasRole(Roles.Admin) && !user.HasRole(Roles.Clerk) && s.CourierId != user.CourierId()))
            throw Problem.NotFound("shipment");
        var waybills = await WaybillsAsync(db, id, ct);
        var timeline = await db.QueryAsync<RouteRecord>(
            """
            select accept_time as at, waybill_no, op_code as carrier_code, status, accept_address as location, remark
            from route_records where shipment_id = @Id order by accept_time, id
            """, new { Id = id }, ct);
        return TypedResults.Ok(new Details(s.Id, s.OrderId, s.PickupId, s.Carrier, s.CarrierOrderId, s.Product, s.MasterWaybillNo, waybills,
            s.ChargeableKg, s.ListFen, s.NegotiatedFen, s.ListFen - s.NegotiatedFen, s.CollectedAt, s.PromisedBy, s.Status, s.StatusAt,
            s.DeliveredAt, s.OnTime, timeline, await CarrierOrdersAsync(db, id, ct)));
    }
}
