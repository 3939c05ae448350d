using MelonChain.Dispatch.Features.Carrier;
using MelonChain.ServiceDefaults.Data;

namespace MelonChain.Dispatch.Features.Fees;

/// <summary>
/// Asks the carriers for the bills of collected carrier orders that have none yet, every
/// <c>Dispatch:Fees:IntervalSeconds</c>: of a carrier that does not push fees (JD's actual-fee query) from collection on;
/// of one that pushes them (SF) only once no push has come <c>PushWaitMinutes</c> after collection (SF's billed-freight
/// query). Each adapter knows its carrier's call (<see cref="ICarrier.BilledFeesAsync"/>). An order the carrier has not billed yet (not picked up) is asked again after
/// <c>RetryMinutes</c>. Each round claims its orders in a short transaction (SKIP LOCKED, their next question pushed back,
/// so replicas never ask twice at once), asks with no transaction held, and records the fees through <see cref="FeeBook"/>
/// in a second one — the same store and event as a push.
/// </summary>
public sealed class BilledFeeWorker(IServiceScopeFactory scopes, IConfiguration config, TimeProvider clock, ILogger<BilledFeeWorker> logger) : BackgroundService
{
    private sealed record Unbilled(string CarrierOrderId, string MasterWaybillNo, string Carrier, string Account);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(config.GetValue("Dispatch:Fees:IntervalSeconds", 60.0));
        var pushWait = TimeSpan.FromMinutes(config.GetValue("Dispatch:Fees:PushWaitMinutes", 1440.0));
        var retry = TimeSpan.FromMinutes(config.GetValue("Dispatch:Fees:RetryMinutes", 30.0));
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await Task.Delay(interval, stoppingToken); }
            catch (OperationCanceledException) { return; }
            try { await RoundAsync(pushWait, retry, stoppingToken); }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Billed fee round failed: {Error}", e.Message);
            }
        }
    }

    private async Task RoundAsync(TimeSpan pushWait, TimeSpan retry, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Db>();
        var carriers = scope.ServiceProvider.GetRequiredService<CarrierRegistry>();
        var pushing = carriers.All.Where(c => c.PushesFees).Select(c => c.Name).ToArray();
        var now = clock.GetUtcNow();
        await db.BeginAsync(ct);
        var batch = await db.QueryAsync<Unbilled>(
            """
            with due as (
                select o.carrier_order_id from carrier_orders o join shipments s on s.id = o.shipment_id
                where o.billed_fen is null and s.status <> 'cancelled'
                  and coalesce(o.next_fee_query_at, s.collected_at + case when s.carrier = any(@Pushing) then @PushWait else @Zero end) <= @Now
                order by o.next_fee_query_at nulls first, o.carrier_order_id limit 20 for update of o skip locked),
            claimed as (
                update carrier_orders o set next_fee_query_at = @Now + @Retry from due where o.carrier_order_id = due.carrier_order_id
                returning o.carrier_order_id, o.master_waybill_no, o.shipment_id)
            select c.carrier_order_id, c.master_waybill_no, s.carrier, coalesce(a.account, '') as account
            from claimed c join shipments s on s.id = c.shipment_id
                 left join carrier_accounts a on a.cooperative_id = s.cooperative_id and a.carrier = s.carrier
            """, new { Pushing = pushing, PushWait = pushWait, Zero = TimeSpan.Zero, Now = now, Retry = retry }, ct);
        await db.CommitAsync(ct);
        await db.ReleaseConnectionAsync();

        foreach (var order in batch)
        {
            if (carriers.Find(order.Carrier) is not { } carrier) continue;
            IReadOnlyList<CarrierFee>? fees;
            try { fees = await carrier.BilledFeesAsync(order.CarrierOrderId, order.MasterWaybillNo, order.Account, ct); }
            catch (Exception e) when (e is CarrierUnavailableException or CarrierRejectedException)
            {
                logger.LogInformation("The bill of {Carrier} order {CarrierOrderId} waits: {Error}", order.Carrier, order.CarrierOrderId, e.Message);
                continue;
            }
            if (fees is null) continue;
            await db.BeginAsync(ct);
            var changed = await FeeBook.RecordAsync(db, carrier.Name, fees, FeeBook.Queried, clock, ct);
            await db.CommitAsync(ct);
            await db.ReleaseConnectionAsync();
            if (changed.Count > 0)
                logger.LogInformation("Asked {Carrier} for the bill of {CarrierOrderId}: billed", order.Carrier, order.CarrierOrderId);
        }
    }
}
