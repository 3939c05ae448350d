using MelonChain.ServiceDefaults.Data;

namespace MelonChain.Dispatch.Features.Pickups;

/// <summary>
/// A collection's hold on its pickup while it talks to the carrier. The cancellation worker cancels carrier orders only
/// once the later of <c>booking_started_at</c> and <c>booking_alive_at</c> is a lease old
/// (<c>Dispatch:Cancellations:BookingLeaseSeconds</c>, 120 s), so the collection stamps <c>booking_alive_at</c> every
/// <c>Dispatch:Cancellations:LeaseRenewSeconds</c> (a quarter of the lease) until it is done: a 7-part shipment to a slow
/// carrier (7 × 20 s total timeout) outlasts one lease, and without the stamp the worker would cancel under it while
/// it goes on creating orders for boxes put back on sale. Each stamp is one autocommitted statement on a connection of
/// its own (the collection holds none across carrier calls); a pickup found cancelled stops the booking.
/// </summary>
public sealed class BookingLease : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;

    /// <summary>The pickup was cancelled under the collection (a renewal came too late): book no further carrier order.</summary>
    public bool PickupCancelled { get; private set; }

    private BookingLease(IServiceScopeFactory scopes, TimeSpan every, TimeProvider clock, Guid pickupId, ILogger logger) =>
        _renewing = RenewAsync(scopes, every, clock, pickupId, logger);

    public static BookingLease Keep(IServiceScopeFactory scopes, IConfiguration config, TimeProvider clock, Guid pickupId, ILogger logger)
    {
        var lease = config.GetValue("Dispatch:Cancellations:BookingLeaseSeconds", 120.0);
        var every = TimeSpan.FromSeconds(config.GetValue("Dispatch:Cancellations:LeaseRenewSeconds", lease / 4));
        return new BookingLease(scopes, every, clock, pickupId, logger);
    }

    private async Task RenewAsync(IServiceScopeFactory scopes, TimeSpan every, TimeProvider clock, Guid pickupId, ILogger logger)
    {
        using var timer = new PeriodicTimer(every, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var status = await scope.ServiceProvider.GetRequiredService<Db>().ExecuteScalarAsync<string>(
                        "update pickups set booking_alive_at = @Now where id = @Id returning status", new { Id = pickupId, Now = clock.GetUtcNow() }, _stop.Token);
                    if (status == "cancelled")
                    {
                        PickupCancelled = true;
                        return;
                    }
                }
                catch (Exception e) when (!_stop.IsCancellationRequested)
                {
                    logger.LogWarning("Booking lease of pickup {PickupId} not renewed (tried again in {Every}): {Error}", pickupId, every, e.Message);
                }
            }
        }
        catch (OperationCanceledException) { /* the collection is done */ }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewing;
        _stop.Dispose();
    }
}
