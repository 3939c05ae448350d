using MelonChain.Dispatch.Features.Carrier;
using MelonChain.ServiceDefaults.Data;

namespace MelonChain.Dispatch.Features.Routes;

/// <summary>
/// Asks each carrier for the routes of its shipments' carrier orders still on their way (no outcome yet): of a carrier that pushes, those it has been quiet about for
/// <c>Dispatch:RoutePolling:QuietMinutes</c> (a lost push, a carrier that stopped pushing); of a carrier that does not
/// push, every shipment on its way once per <c>PullSeconds</c>. Up to 10 master waybills (one per carrier order) per
/// query; a round runs every <c>IntervalSeconds</c>. A round claims its shipments in a short transaction (their quiet clock restarts, SKIP LOCKED,
/// so replicas never poll the same ones), asks the carrier with no transaction or connection held, then applies the
/// records in a second short transaction.
/// </summary>
public sealed class RoutePolling(IServiceScopeFactory scopes, IConfiguration config, TimeProvider clock, ILogger<RoutePolling> logger) : BackgroundService
{
    private sealed record Quiet(Guid ShipmentId, string Carrier, string MasterWaybillNo);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(config.GetValue("Dispatch:RoutePolling:IntervalSeconds", 60.0));
        var quiet = TimeSpan.FromMinutes(config.GetValue("Dispatch:RoutePolling:QuietMinutes", 120.0));
        var pull = TimeSpan.FromSeconds(config.GetValue("Dispatch:RoutePolling:PullSeconds", 300.0));
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await Task.Delay(interval, stoppingToken); }
            catch (OperationCanceledException) { return; }
            try { await PollAsync(quiet, pull, stoppingToken); }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Route polling round failed: {Error}", e.Message);
            }
        }
    }

    private async Task PollAsync(TimeSpan quiet, TimeSpan pull, CancellationToken ct)
    {
        for (var round = 0; round < 50; round++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<Db>();
            var carriers = scope.ServiceProvider.GetRequiredService<CarrierRegistry>();
            var pulled = carriers.All.Where(c => !c.PushesRoutes).Select(c => c.Name).ToArray();
            await db.BeginAsync(ct);
            var batch = await db.QueryAsync<Quiet>(
                """
                with quiet as (
                    select id from shipments
                    where status <> 'cancelled'
                      and exists (select 1 from carrier_orders o where o.shipment_id = shipments.id and o.outcome is null)
                      and last_route_at < case when carrier = any(@Pulled) then @PullBefore else @Before end
                    order by last_route_at limit 10 for update skip locked),
                claimed as (update shipments s set last_route_at = @Now from quiet where s.id = quiet.id returning s.id)
                select c.id as shipment_id, s.carrier, coalesce(o.master_waybill_no, s.master_waybill_no) as master_waybill_no
                from claimed c join shipments s on s.id = c.id left join carrier_orders o on o.shipment_id = c.id and o.outcome is null
                order by s.id, o.part
                """, new { Pulled = pulled, Before = clock.GetUtcNow() - quiet, PullBefore = clock.GetUtcNow() - pull, Now = clock.GetUtcNow() }, ct);
            await db.CommitAsync(ct);
            await db.ReleaseConnectionAsync();
            if (batch.Count == 0) return;

            foreach (var ofCarrier in batch.GroupBy(b => b.Carrier))
            {
                if (carriers.Find(ofCarrier.Key) is not { } carrier) continue;
                var routes = new List<RouteEvent>();
                foreach (var chunk in ofCarrier.Select(b => b.MasterWaybillNo).Chunk(10))
                    routes.AddRange(await carrier.RoutesAsync(chunk, ct));

                await db.BeginAsync(ct);
                await RouteIngest.ApplyAsync(db, carrier.Name, routes, clock, ct);
                await db.CommitAsync(ct);
                await db.ReleaseConnectionAsync();
            }
        }
    }
}
