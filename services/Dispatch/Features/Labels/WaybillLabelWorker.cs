using MelonChain.Dispatch.Features.Carrier;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Messaging;

namespace MelonChain.Dispatch.Features.Labels;

/// <summary>Wakes the label worker right after a booking commits.</summary>
public sealed class WaybillLabelSignal : WakeSignal;

/// <summary>
/// Fetches each booked carrier order's waybill labels (电子面单) from its carrier's cloud print and keeps them as one PDF
/// per carrier order (<c>waybill_labels</c>). A booking never waits for or fails by printing: the collection commits,
/// wakes this worker, and the labels come when the carrier gives them. Each carrier order is claimed in a short
/// transaction (SKIP LOCKED, its next attempt pushed back, so replicas never ask twice at once), the carrier is asked
/// with no transaction held, and the PDF is written in a second one. While the carrier fails the order is tried again
/// after <c>Dispatch:WaybillLabels:IntervalSeconds</c> × 2^(tries − 1), at most 5 minutes; nothing is lost, the error
/// is kept in <c>labels_error</c>.
/// </summary>
public sealed class WaybillLabelWorker(
    IServiceScopeFactory scopes, IConfiguration config, TimeProvider clock, WaybillLabelSignal signal, ILogger<WaybillLabelWorker> logger) : BackgroundService
{
    /// <summary>How long a claim holds a carrier order before another replica may take it (a replica that dies mid-way).</summary>
    private static readonly TimeSpan ClaimHold = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    private sealed record Due(string CarrierOrderId, Guid ShipmentId, int Part, string MasterWaybillNo, int LabelsTries, string Carrier, string CooperativeId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(config.GetValue("Dispatch:WaybillLabels:IntervalSeconds", 5.0));
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await signal.WaitAsync(interval, stoppingToken); }
            catch (OperationCanceledException) { return; }
            try { while (await RoundAsync(interval, stoppingToken) > 0) { } }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Waybill label round failed: {Error}", e.Message);
            }
        }
    }

    /// <summary>One batch; answers how many carrier orders it took (0: nothing is due).</summary>
    private async Task<int> RoundAsync(TimeSpan interval, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Db>();
        var carriers = scope.ServiceProvider.GetRequiredService<CarrierRegistry>();
        var paper = WaybillLabelPaper.From(config);
        var now = clock.GetUtcNow();
        await db.BeginAsync(ct);
        var batch = await db.QueryAsync<Due>(
            """
            with due as (
                select co.carrier_order_id from carrier_orders co join shipments s on s.id = co.shipment_id
                where co.labels_wanted and co.labels_fetched_at is null and s.status <> 'cancelled'
                  and (co.labels_next_attempt_at is null or co.labels_next_attempt_at <= @Now)
                order by co.labels_next_attempt_at nulls first limit 4 for update of co skip locked)
            update carrier_orders c set labels_next_attempt_at = @Now + @Hold, labels_tries = c.labels_tries + 1
            from due, shipments s where c.carrier_order_id = due.carrier_order_id and s.id = c.shipment_id
            returning c.carrier_order_id, c.shipment_id, c.part, c.master_waybill_no, c.labels_tries, s.carrier, s.cooperative_id
            """, new { Now = now, Hold = ClaimHold }, ct);
        await db.CommitAsync(ct);
        await db.ReleaseConnectionAsync();

        foreach (var order in batch)
        {
            try
            {
                var (pdf, pages) = await FetchAsync(db, carriers, order, paper, ct);
                await db.BeginAsync(ct);
                await db.ExecuteAsync(
                    """
                    insert into waybill_labels (carrier_order_id, shipment_id, paper, pages, pdf, fetched_at)
                    values (@CarrierOrderId, @ShipmentId, @Paper, @Pages, @Pdf, @Now)
                    on conflict (carrier_order_id) do update set paper = excluded.paper, pages = excluded.pages, pdf = excluded.pdf, fetched_at = excluded.fetched_at;
                    update carrier_orders set labels_fetched_at = @Now, labels_error = null where carrier_order_id = @CarrierOrderId;
                    """, new { order.CarrierOrderId, order.ShipmentId, Paper = paper, Pages = pages, Pdf = pdf, Now = clock.GetUtcNow() }, ct);
                await db.CommitAsync(ct);
                await db.ReleaseConnectionAsync();
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                await db.ResetAsync();
                var wait = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, interval.Ticks * (1L << Math.Min(order.LabelsTries - 1, 20))));
                logger.LogWarning("Waybill labels of {Carrier} order {CarrierOrderId} wait {Seconds} s (try {Tries}): {Error}",
                    order.Carrier, order.CarrierOrderId, wait.TotalSeconds, order.LabelsTries, e.Message);
                await db.ExecuteAsync(
                    "update carrier_orders set labels_next_attempt_at = @At, labels_error = @Error where carrier_order_id = @CarrierOrderId",
                    new { At = clock.GetUtcNow() + wait, Error = e.Message, order.CarrierOrderId }, ct);
                await db.ReleaseConnectionAsync();
            }
        }
        return batch.Count;
    }

    private static async Task<(byte[] Pdf, int Pages)> FetchAsync(Db db, CarrierRegistry carriers, Due order, string paper, CancellationToken ct)
    {
        // The parcels in the order the boxes were packed (JD's package codes do not sort by number as text).
        var parcels = await db.QueryAsync<LabelParcel>(
            """
            select w.waybill_no, w.trace_code from waybills w join shipments s on s.id = w.shipment_id
            join pickup_boxes b on b.pickup_id = s.pickup_id and b.trace_code = w.trace_code
            where w.shipment_id = @ShipmentId and w.part = @Part order by b.seq
            """, new { order.ShipmentId, order.Part }, ct);
        var account = await db.QuerySingleOrDefaultAsync<string?>(
            "select account from carrier_accounts where cooperative_id = @CooperativeId and carrier = @Carrier", new { order.CooperativeId, order.Carrier }, ct)
            ?? throw new CarrierRejectedException("no-account", $"the cooperative has no {order.Carrier} account now");
        await db.ReleaseConnectionAsync();
        var files = await carriers.Get(order.Carrier).LabelsAsync(new LabelRequest(order.CarrierOrderId, account, order.MasterWaybillNo, parcels, paper), ct);
        var (pdf, pages) = LabelPdf.Merge(files, $"电子面单 {order.MasterWaybillNo}");
        if (pages != parcels.Count)
            throw new InvalidDataException($"the carrier printed {pages} labels for {parcels.Count} parcels of {order.CarrierOrderId}");
        return (pdf, pages);
    }
}
