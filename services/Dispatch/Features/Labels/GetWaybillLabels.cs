using MelonChain.Dispatch.Features.Carrier;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Dispatch.Features.Labels;

/// <summary>
/// <c>GET /shipments/{id}/waybills.pdf</c>: the carrier's own waybill labels (电子面单) of the shipment, one page per
/// parcel (76×130 or 100×150 mm, <c>Dispatch:WaybillLabels:Paper</c>), carrier order after carrier order, each with the
/// box's trace code and 承诺达标合格证 in its custom area. The courier sees those of the pickups it collected; the
/// cooperative's dispatcher and clerk all of its own; anyone else 404. Until every carrier order's labels have come
/// from the carrier it is 503 <c>waybill-labels-pending</c> (a shipment booked before labels were fetched is queued
/// for them then).
/// </summary>
public static class GetWaybillLabels
{
    public static void Map(RouteGroupBuilder shipments) =>
        shipments.MapGet("/{id:guid}/waybills.pdf", Handle).WithName("GetWaybillLabels").Produces(200, contentType: "application/pdf")
            .Problems(503, "waybill-labels-pending");

    private sealed record LabelPart(int Part, bool LabelsWanted, byte[]? Pdf, string? LabelsError);

    private sealed record Row(string MasterWaybillNo, string? CourierId);

    private static async Task<FileContentHttpResult> Handle(Guid id, Db db, ClaimsPrincipal user, WaybillLabelSignal signal, CancellationToken ct)
    {
        var s = await db.QuerySingleOrDefaultAsync<Row>(
            "select master_waybill_no, courier_id from shipments where id = @Id and cooperative_id = @Coop", new { Id = id, Coop = user.CooperativeId() }, ct);
        if (s is null || !MaySee(user, s.CourierId)) throw Problem.NotFound("shipment");
        var parts = await db.QueryAsync<LabelPart>(
            """
            select co.part, co.labels_wanted, l.pdf, co.labels_error from carrier_orders co left join waybill_labels l using (carrier_order_id)
            where co.shipment_id = @Id order by co.part
            """, new { Id = id }, ct);
        if (parts.Any(p => p.Pdf is null))
        {
            if (parts.Any(p => !p.LabelsWanted))
                await db.ExecuteAsync("update carrier_orders set labels_wanted = true where shipment_id = @Id and not labels_wanted", new { Id = id }, ct);
            signal.Wake();
            var waiting = parts.Count(p => p.Pdf is null);
            throw new ProblemException(503, "waybill-labels-pending", "Waybill labels not here yet",
                $"The carrier's labels of {waiting} of {parts.Count} carrier orders are still being fetched; try again shortly."
                + (parts.FirstOrDefault(p => p.LabelsError is not null)?.LabelsError is { } error ? $" Last carrier error: {error}" : ""));
        }
        var (pdf, _) = parts.Count == 1 ? (parts[0].Pdf!, 0) : LabelPdf.Merge(parts.Select(p => p.Pdf!), $"电子面单 {s.MasterWaybillNo}");
        return TypedResults.File(pdf, "application/pdf", $"waybills-{s.MasterWaybillNo}.pdf");
    }

    /// <summary>The cooperative's dispatcher, clerk and admin see every shipment; a courier those it collected.</summary>
    public static bool MaySee(ClaimsPrincipal user, string? courierId) =>
        user.HasRole(Roles.Dispatcher) || user.HasRole(Roles.Admin) || user.HasRole(Roles.Clerk) || (courierId is not null && courierId == user.CourierId());
}
