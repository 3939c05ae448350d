using MelonChain.Dispatch.Features.Carrier;
using MelonChain.ServiceDefaults.Data;

namespace MelonChain.Dispatch.Features.Routes;

/// <summary>
/// Asks the carrier for the routes of shipments it has been quiet about for <c>Dispatch:RoutePolling:QuietMinutes</c>
/// (a lost push, a carrier that stopped pushing), 10 master waybills per query, every <c>IntervalSeconds</c>.
/// </summary>
public sealed class RoutePolling(IServiceScopeFactory scopes, IConfiguration config, TimeProvider clock, ILogger<RoutePolling> logger) : BackgroundService
{
    private sealed record Quiet(Guid Id, string MasterWaybillNo);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(config.GetValue("Dispatch:RoutePolling:IntervalSeconds", 60.0));
        var quiet = TimeSpan.FromMinutes(config.GetValue("Dispatch:RoutePolling:QuietMinutes", 120.0));
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await Task.Delay(interval, stoppingToken); }
            catch (OperationCanceledException) { return; }
            try { await PollAsync(quiet, stoppingToken); }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Route polling round failed: {Error}", e.Message);
            }
        }
    }

    private async Task PollAsync(TimeSpan quiet, CancellationToken ct)
    {
        for (var round = 0; round < 50; round++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<Db>();
            var carrier = scope.ServiceProvider.GetRequiredService<ICarrier>();
            await db.BeginAsync(ct);
            var batch = await db.QueryAsync<Quiet>(
                """
                select id, master_waybill_no from shipments
                where status not in ('delivered', 'cancelled', 'return_to_sender') and last_route_at < @Before
                order by last_route_at limit 10 for update skip locked
                """, new { Before = clock.GetUtcNow() - quiet }, ct);
            if (batch.Count == 0) return;
            var routes = await carrier.RoutesAsync(batch.Select(b => b.MasterWaybillNo).ToList(), ct);
            await RouteIngest.ApplyAsync(db, routes, clock, ct);
            await db.ExecuteAsync("update shipments set last_route_at = @Now where id = any(@Ids)",
                new { Now = clock.GetUtcNow(), Ids = batch.Select(b => b.Id).ToArray() }, ct);
            await db.CommitAsync(ct);
        }
    }
}
