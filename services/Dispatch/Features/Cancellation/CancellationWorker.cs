using MelonChain.Dispatch.Features.Carrier;
using MelonChain.Dispatch.Features.Pickups;
using MelonChain.Messages.Dispatch;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Messaging;

namespace MelonChain.Dispatch.Features.Cancellation;

public sealed class CancellationSignal : WakeSignal;

/// <summary>
/// Answers the cancellation requests that only the carrier can decide: a collection had begun booking, so carrier
/// orders may exist. It waits until that collection finished (collected: already collected) or its lease
/// (<c>Dispatch:Cancellations:BookingLeaseSeconds</c>, which a collection renews while it talks to the carrier, see
/// <see cref="BookingLease"/>) ran out, then cancels every carrier order of the shipment — outside any transaction,
/// retried with backoff for as long as the carrier is unreachable or refuses the caller, never dead-lettered — and
/// closes the pickup. Only the carrier's "picked up" answer is "already collected"; a refusal of the caller (a bad
/// signature, an expired token, no permission) is logged naming the carrier, kept in <c>refused_by</c> (health is
/// Degraded, <see cref="CancellationHealthCheck"/>) and tried again until someone fixes the configuration.
/// Requests are claimed with SKIP LOCKED, so replicas share the work.
/// </summary>
public sealed class CancellationWorker(
    IServiceScopeFactory scopes, IConfiguration config, TimeProvider clock, CancellationSignal signal, ILogger<CancellationWorker> logger)
    : BackgroundService
{
    private sealed record Pending(Guid OrderId, string CooperativeId, int Tries);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(config.GetValue("Dispatch:Cancellations:IntervalSeconds", 1.0));
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await signal.WaitAsync(interval, stoppingToken); }
            catch (OperationCanceledException) { return; }
            try { await RoundAsync(stoppingToken); }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Cancellation round failed: {Error}", e.Message);
            }
        }
    }

    private async Task RoundAsync(CancellationToken ct)
    {
        var lease = TimeSpan.FromSeconds(config.GetValue("Dispatch:Cancellations:BookingLeaseSeconds", 120.0));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Db>();
        var carriers = scope.ServiceProvider.GetRequiredService<CarrierRegistry>();

        // Claim a few due requests by pushing their next try out; a replica that dies leaves them due again.
        await db.BeginAsync(ct);
        var due = await db.QueryAsync<Pending>(
            """
            update cancellation_requests c set next_try_at = @Now + interval '30 seconds', tries = c.tries + 1
            from (select order_id from cancellation_requests where answered_at is null and next_try_at <= @Now
                  order by next_try_at limit 10 for update skip locked) d
            where c.order_id = d.order_id
            returning c.order_id, c.cooperative_id, c.tries
            """, new { Now = clock.GetUtcNow() }, ct);
        await db.CommitAsync(ct);
        await db.ReleaseConnectionAsync();

        foreach (var request in due)
        {
            try { await AnswerAsync(db, carriers, request, lease, ct); }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                await db.ResetAsync();
                var wait = Backoff(request.Tries);
                var refusedBy = (e as CarrierRefusedCancellation)?.Carrier;
                if (refusedBy is not null)
                    logger.LogError("Carrier {Carrier} refuses to cancel order {OrderId} (try {Tries}, next in {Wait}): {Error}. " +
                        "Check Dispatch's {Carrier} credentials and permissions; the cancellation is tried again until the carrier accepts it.",
                        refusedBy, request.OrderId, request.Tries, wait, e.Message, refusedBy);
                else
                    logger.LogWarning("Cancellation of order {OrderId} not answered yet (try {Tries}, next in {Wait}): {Error}",
                        request.OrderId, request.Tries, wait, e.Message);
                await db.BeginAsync(ct);
                await db.ExecuteAsync(
                    "update cancellation_requests set next_try_at = @Next, last_error = @Error, refused_by = @RefusedBy where order_id = @OrderId",
                    new { request.OrderId, Next = clock.GetUtcNow() + wait, Error = e.Message.Length > 500 ? e.Message[..500] : e.Message, RefusedBy = refusedBy }, ct);
                await db.CommitAsync(ct);
                await db.ReleaseConnectionAsync();
            }
        }
    }

    /// <summary>1, 2, 4 … seconds, at most 30: the carrier's circuit break is 15 s, so a recovered carrier is asked soon.</summary>
    private static TimeSpan Backoff(int tries) => TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Clamp(tries - 1, 0, 5))));

    private async Task AnswerAsync(Db db, CarrierRegistry carriers, Pending request, TimeSpan lease, CancellationToken ct)
    {
        await db.BeginAsync(ct);
        await Cancellations.LockOrderAsync(db, request.OrderId, ct);
        var now = clock.GetUtcNow();
        var decision = await Cancellations.DecideAsync(db, request.OrderId, request.CooperativeId, now, ct);
        if (decision.Outcome is { } known)
        {
            await Cancellations.AnswerAsync(db, request.OrderId, request.CooperativeId, known, Cancellations.Detail(known), now, ct);
            await db.CommitAsync(ct);
            return;
        }
        var pickup = decision.Pickup!;
        if (pickup.LeaseFrom + lease > now)
        {
            // A collection may still be talking to the carrier: decide once it has finished or its lease ran out.
            await db.ExecuteAsync("update cancellation_requests set next_try_at = @Next where order_id = @OrderId",
                new { request.OrderId, Next = pickup.LeaseFrom + lease }, ct);
            await db.CommitAsync(ct);
            return;
        }
        var account = await db.QuerySingleOrDefaultAsync<string?>(
            "select account from carrier_accounts where cooperative_id = @Coop and carrier = @Carrier",
            new { Coop = request.CooperativeId, pickup.Carrier }, ct) ?? "";
        await db.CommitAsync(ct);
        await db.ReleaseConnectionAsync();

        // Outside any transaction: every carrier order the collection may have created (an unknown order is fine).
        var carrier = carriers.Get(pickup.Carrier);
        for (var part = 1; part <= CollectPickup.CarrierOrderCount(pickup.BoxCount); part++)
        {
            try { await carrier.CancelAsync(CollectPickup.CarrierOrderId(pickup.ShipmentId, part), account, ct); }
            catch (CarrierPickedUpException e)
            {
                // The carrier's courier has picked the parcels up. The shipment goes on.
                logger.LogWarning("Carrier {Carrier} has picked up order {OrderId} part {Part}, too late to cancel: {Detail}",
                    carrier.Name, request.OrderId, part, e.Message);
                await FinishAsync(db, request, CancellationOutcomes.AlreadyCollected, $"The carrier had already picked the parcels up: {e.Message}", ct);
                return;
            }
            catch (CarrierRejectedException e)
            {
                // The carrier refuses us, not the cancellation: nothing is decided, and a person must fix the configuration.
                throw new CarrierRefusedCancellation(carrier.Name, e);
            }
        }
        await FinishAsync(db, request, CancellationOutcomes.CarrierOrderCancelled, null, ct);
    }

    private async Task FinishAsync(Db db, Pending request, string outcome, string? detail, CancellationToken ct)
    {
        await db.BeginAsync(ct);
        await Cancellations.LockOrderAsync(db, request.OrderId, ct);
        var now = clock.GetUtcNow();
        var decision = await Cancellations.DecideAsync(db, request.OrderId, request.CooperativeId, now, ct);
        if (decision.Outcome is { } settled) outcome = settled;   // collected or closed meanwhile: that is the truth
        else if (outcome == CancellationOutcomes.CarrierOrderCancelled) await Cancellations.ClosePickupAsync(db, decision.Pickup!.Id, now, ct);
        await Cancellations.AnswerAsync(db, request.OrderId, request.CooperativeId, outcome, detail ?? Cancellations.Detail(outcome), now, ct);
        await db.CommitAsync(ct);
        await db.ReleaseConnectionAsync();
    }
}

/// <summary>The carrier refused the cancellation call itself (signature, token, permission, parameters): retried and reported, never an answer.</summary>
public sealed class CarrierRefusedCancellation(string carrier, CarrierRejectedException inner) : Exception($"{carrier} refused: {inner.Message}", inner)
{
    public string Carrier { get; } = carrier;
}
