using MelonChain.Dispatch.Features.Carrier;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MelonChain.Dispatch.Features.Outcomes;

/// <summary>
/// Degraded, with how many and the oldest waybill, while a collected carrier order has had no final scan past its
/// carrier's limit (<see cref="OverdueParts"/>): no box may stay without an outcome unnoticed. Logged as a warning too.
/// </summary>
public sealed class OverduePartsHealthCheck(Db db, CarrierRegistry carriers, IConfiguration config, TimeProvider clock,
    ILogger<OverduePartsHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var overdue = await OverdueParts.FindAsync(db, carriers, config, clock.GetUtcNow(), null, null, Paging.MaxLimit, ct);
        if (overdue.Count == 0) return HealthCheckResult.Healthy("Every collected carrier order has had a final scan within its carrier's limit, or is still within it.");
        var oldest = overdue.MinBy(p => p.OverdueSince)!;
        logger.LogWarning("{Count} carrier order(s) overdue without a final scan; oldest {Carrier} {WaybillNo} of shipment {ShipmentId}, overdue since {Since}",
            overdue.Count, oldest.Carrier, oldest.MasterWaybillNo, oldest.ShipmentId, oldest.OverdueSince);
        return HealthCheckResult.Degraded(
            $"{(overdue.Count == Paging.MaxLimit ? "at least " : "")}{overdue.Count} carrier order(s) overdue without a final scan (oldest: {oldest.Carrier} waybill {oldest.MasterWaybillNo}, shipment {oldest.ShipmentId}); " +
            "chase them with the carrier: GET /api/v1/dispatch/overdue-parts");
    }
}
