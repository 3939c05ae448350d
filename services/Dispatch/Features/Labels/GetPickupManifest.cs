using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Dispatch.Features.Labels;

/// <summary>
/// <c>GET /pickups/{id}/manifest.pdf</c>: the collection's handover list (交接单) — every box scanned at the door with its
/// trace code and waybill, counts and kg per carrier order, for the courier's and the clerk's signatures. Once the
/// pickup is collected (409 <c>pickup-not-collected</c> before); the courier who collected it, and the cooperative's
/// dispatcher and clerk; anyone else 404.
/// </summary>
public static class GetPickupManifest
{
    public static void Map(RouteGroupBuilder pickups) =>
        pickups.MapGet("/{id:guid}/manifest.pdf", Handle).RequireRoles(Roles.Dispatcher, Roles.Courier, Roles.Clerk).WithName("GetPickupManifest")
            .Produces(200, contentType: "application/pdf").Problems(409, "pickup-not-collected");

    private sealed record Row(
        Guid Id, Guid OrderId, Guid ShipmentId, string Status, string? CourierId, string Product, string DestinationCity, string ContactName, string Carrier);

    private sealed record OrderRow(int Part, string CarrierOrderId, string MasterWaybillNo);

    private sealed record Sender(string Name, string Province, string City, string County, string Street);

    private static async Task<FileContentHttpResult> Handle(Guid id, Db db, ClaimsPrincipal user, IConfiguration config, CancellationToken ct)
    {
        var coop = user.CooperativeId();
        var p = await db.QuerySingleOrDefaultAsync<Row>(
            """
            select id, order_id, shipment_id, status, courier_id, product, destination_city, contact_name, carrier
            from pickups where id = @Id and cooperative_id = @Coop
            """, new { Id = id, Coop = coop }, ct);
        if (p is null || !GetWaybillLabels.MaySee(user, p.CourierId)) throw Problem.NotFound("pickup");
        if (p.Status != "collected") throw Problem.Conflict("pickup-not-collected", "The manifest lists what was handed over: collect the pickup first.");
        var collectedAt = await db.ExecuteScalarAsync<DateTimeOffset>("select collected_at from shipments where id = @Id", new { Id = p.ShipmentId }, ct);
        var sender = await db.QuerySingleOrDefaultAsync<Sender>(
            "select name, province, city, county, street from cooperative_senders where cooperative_id = @Coop", new { Coop = coop }, ct);
        var boxes = await db.QueryAsync<ManifestPdf.Box>(
            """
            select b.seq, b.trace_code, b.grade, b.net_grams, w.waybill_no, w.part
            from pickup_boxes b join waybills w on w.shipment_id = @ShipmentId and w.trace_code = b.trace_code
            where b.pickup_id = @Id order by b.seq
            """, new { Id = id, p.ShipmentId }, ct);
        var orders = await db.QueryAsync<OrderRow>(
            "select part, carrier_order_id, master_waybill_no from carrier_orders where shipment_id = @ShipmentId order by part", new { p.ShipmentId }, ct);
        CjkFont.Register(config["Documents:CjkFont"]);
        var pdf = ManifestPdf.Render(new ManifestPdf.Document(
            sender?.Name ?? coop, sender is null ? "" : $"{sender.Province}{sender.City}{sender.County}{sender.Street}", p.Carrier, p.Product,
            p.CourierId ?? "", collectedAt, p.DestinationCity, p.ContactName, p.Id, p.OrderId,
            orders.Select(o => new ManifestPdf.CarrierOrder(o.Part, o.CarrierOrderId, o.MasterWaybillNo,
                boxes.Count(b => b.Part == o.Part), boxes.Where(b => b.Part == o.Part).Sum(b => b.NetGrams))).ToList(), boxes));
        return TypedResults.File(pdf, "application/pdf", $"manifest-{p.Id}.pdf");
    }
}
