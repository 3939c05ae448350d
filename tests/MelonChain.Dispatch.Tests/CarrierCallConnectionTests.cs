extern alias dispatch;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using MelonChain.Messages.Cooperative;
using MelonChain.Testing;
using SfProtocol = dispatch::MelonChain.Dispatch.Features.Carrier.Sf.SfProtocol;

namespace MelonChain.Dispatch.Tests;

/// <summary>Dispatch with a pool of one database connection: a call that held it while asking the carrier would starve everything else.</summary>
public sealed class OneConnectionFixture : DispatchFixture
{
    // A slow clock: pushes are hours apart, so route polling asks the carrier.
    protected override double SecondsPerDay => 3600;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Db"] = Database.ConnectionString + ";Maximum Pool Size=1",
        ["Dispatch:RoutePolling:QuietMinutes"] = "0.033",
        ["Dispatch:Cancellations:BookingLeaseSeconds"] = "2",
    };
}

/// <summary>
/// No pooled connection and no row lock is held across a call that leaves the process: while the carrier is being
/// asked — to book a collection, for a quiet shipment's routes, to cancel a booking whose answer was lost — Dispatch
/// still answers a request that needs its one database connection.
/// </summary>
public class CarrierCallConnectionTests(OneConnectionFixture f) : IClassFixture<OneConnectionFixture>
{
    [Fact]
    public async Task Collection_route_polling_and_cancellation_ask_the_carrier_with_no_database_connection_held()
    {
        var calls = new ConcurrentQueue<(string Service, bool DispatchAnswered)>();
        using var probe = f.Dispatch.CreateClient();
        f.Simulator.WhileCarrierThinks = async service =>
        {
            // Shorter than Dispatch's 2 s attempt timeout: a caller holding the only connection would still hold it.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
            bool answered;
            try { answered = (await probe.GetAsync("/health/ready", timeout.Token)).StatusCode == HttpStatusCode.OK; }
            catch (OperationCanceledException) { answered = false; }
            calls.Enqueue((service, answered));
        };
        try
        {
            // Collection: the carrier books the order.
            await f.BookAsync(2);
            Assert.Contains(calls, c => c.Service == SfProtocol.CreateOrder);

            // Route polling: the shipment has been quiet for 2 s, so the carrier is asked for its routes.
            await Eventually.Until(() => Task.FromResult(calls.Count(c => c.Service == SfProtocol.SearchRoutes)), n => n >= 1,
                TimeSpan.FromSeconds(30), "route polling to ask the carrier");

            // Cancellation: the carrier takes an order but its answer is lost; the cancellation asks the carrier to cancel it.
            var (pickupId, orderId, codes) = await f.OpenPickupAsync(2);
            await f.CourierA.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null);
            await f.Simulator.SetFaultsAsync(new { answerDelayMs = 6_000 });
            var lost = await f.CourierA.PostAsJsonAsync($"/api/v1/dispatch/pickups/{pickupId}/collect", new { traceCodes = codes });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, lost.StatusCode);
            await f.Simulator.SetFaultsAsync(new { });
            await f.PublishAsync(new CancellationRequested(Guid.NewGuid(), DateTimeOffset.UtcNow, "shangxiang", orderId, "buyer changed plans"));
            await Eventually.Until(() => f.ScalarAsync<string>("select status from pickups where id = @pickupId", new { pickupId }),
                s => s == "cancelled", TimeSpan.FromSeconds(30), "the cancellation to reach the carrier and close the pickup");
            Assert.Contains(calls, c => c.Service == SfProtocol.UpdateOrder);
        }
        finally
        {
            f.Simulator.WhileCarrierThinks = null;
            await f.Simulator.SetFaultsAsync(new { });
        }

        Assert.All(calls, c => Assert.True(c.DispatchAnswered,
            $"while the carrier was asked ({c.Service}) Dispatch could not get its database connection"));
    }
}
