using MelonChain.Dispatch.Features.Carrier;
using MelonChain.Messages.Dispatch;
using MelonChain.ServiceDefaults.Data;

namespace MelonChain.Dispatch.Features.Claims;

/// <summary>
/// Files each claim with the carrier, then asks after it until it is paid (every
/// <c>Dispatch:CarrierClaims:IntervalSeconds</c>, 60 s). Each claim is taken in a short transaction (SKIP LOCKED, its next
/// attempt pushed back, so replicas never ask twice at once), the carrier is asked with no transaction held, and the
/// answer is written in a second one. The payment is published as carrier-compensation-paid in the same transaction that
/// marks the claim paid, guarded by its status, so once however often the carrier says "paid".
/// </summary>
public sealed class CarrierClaimWorker(IServiceScopeFactory scopes, IConfiguration config, TimeProvider clock, ILogger<CarrierClaimWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(config.GetValue("Dispatch:CarrierClaims:IntervalSeconds", 60.0));
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await Task.Delay(interval, stoppingToken); }
            catch (OperationCanceledException) { return; }
            try { await RoundAsync(interval, stoppingToken); }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Carrier claim round failed: {Error}", e.Message);
            }
        }
    }

    private async Task RoundAsync(TimeSpan interval, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Db>();
        var desk = scope.ServiceProvider.GetRequiredService<CarrierClaimDesk>();
        var now = clock.GetUtcNow();
        await db.BeginAsync(ct);
        var batch = await db.QueryAsync<CarrierClaims.CarrierClaim>(
            $"""
            with due as (
                select id as due_id from carrier_claims where status in ('filed', 'accepted') and next_attempt_at <= @Now
                order by next_attempt_at limit 20 for update skip locked)
            update carrier_claims c set next_attempt_at = @Now + @Later, tries = c.tries + 1 from due where c.id = due.due_id
            returning {CarrierClaims.Columns}
            """, new { Now = now, Later = interval * 5 }, ct);
        await db.CommitAsync(ct);
        await db.ReleaseConnectionAsync();

        foreach (var claim in batch)
        {
            CarrierClaimDesk.Answer answer;
            try
            {
                answer = claim.Status == CarrierClaimStatuses.Filed
                    ? await desk.FileAsync(claim.Carrier, claim.Id, claim.WaybillNo, claim.Reason, claim.AmountFen, ct)
                    : await desk.StatusAsync(claim.Carrier, claim.CarrierClaimNo!, ct);
            }
            catch (CarrierUnavailableException e)
            {
                logger.LogInformation("Carrier claim {ClaimId} ({Carrier} {WaybillNo}) waits: {Error}", claim.Id, claim.Carrier, claim.WaybillNo, e.Message);
                continue;
            }
            await db.BeginAsync(ct);
            await ApplyAsync(db, claim, answer, clock.GetUtcNow(), ct);
            await db.CommitAsync(ct);
            await db.ReleaseConnectionAsync();
        }
    }

    private async Task ApplyAsync(Db db, CarrierClaims.CarrierClaim claim, CarrierClaimDesk.Answer answer, DateTimeOffset now, CancellationToken ct)
    {
        switch (answer.Status)
        {
            case "refused":
                await db.ExecuteAsync(
                    "update carrier_claims set status = 'refused', refusal = @Refusal, carrier_claim_no = @No, answered_at = @Now where id = @Id and status = 'filed'",
                    new { claim.Id, Refusal = answer.Refusal ?? "refused", No = answer.ClaimNo, Now = now }, ct);
                logger.LogWarning("The carrier refused claim {ClaimId} for {WaybillNo}: {Refusal}", claim.Id, claim.WaybillNo, answer.Refusal);
                break;
            case "accepted":
                // Asked after again soon: the carrier pays in its own time.
                await db.ExecuteAsync(
                    "update carrier_claims set status = 'accepted', carrier_claim_no = @No, answered_at = coalesce(answered_at, @Now), next_attempt_at = @Now where id = @Id and status = 'filed'",
                    new { claim.Id, No = answer.ClaimNo, Now = now }, ct);
                break;
            case "paid":
                var paidFen = answer.PaidFen ?? claim.AmountFen;
                if (await db.ExecuteAsync(
                        """
                        update carrier_claims set status = 'paid', carrier_claim_no = @No, paid_fen = @PaidFen, paid_at = @Now,
                               answered_at = coalesce(answered_at, @Now)
                        where id = @Id and status in ('filed', 'accepted')
                        """, new { claim.Id, No = answer.ClaimNo, PaidFen = paidFen, Now = now }, ct) == 1)
                    await db.Publish(new CarrierCompensationPaid(Guid.NewGuid(), now, claim.CooperativeId, claim.ShipmentId, claim.OrderId, claim.Id,
                        claim.WaybillNo, paidFen, claim.TraceCodes), ct);
                break;
        }
    }
}
