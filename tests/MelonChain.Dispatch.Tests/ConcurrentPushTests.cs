using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Testing;

namespace MelonChain.Dispatch.Tests;

/// <summary>R10: the real carrier pushes concurrently, tens at once for one shipment.</summary>
public class ConcurrentPushTests(DispatchFixture f) : IClassFixture<DispatchFixture>
{
    private const int Pushes = 40;

    [Fact]
    public async Task Forty_pushes_for_one_shipment_at_once_all_succeed_and_each_record_and_status_takes_effect_once()
    {
        await f.Simulator.SetFaultsAsync(new { pushesPaused = true });
        try
        {
            var (shipmentId, _, collectedAt) = await f.BookAsync(3);
            var waybills = (await f.ShipmentAsync(shipmentId)).GetProperty("waybills").EnumerateArray()
                .Select(w => w.GetProperty("waybillNo").GetString()!).ToList();

            // Each push carries records for every waybill of the shipment (each its own record), all sent at the same moment.
            using var start = new SemaphoreSlim(0);
            var sends = Enumerable.Range(0, Pushes).Select(async i =>
            {
                await start.WaitAsync();
                var code = i == Pushes - 1 ? "44" : "30";
                return await f.PushAsync(waybills[i % waybills.Count], [(code, collectedAt.AddMinutes(10 + i))], extra: waybills
                    .Where(w => w != waybills[i % waybills.Count]).Select(w => (w, code, collectedAt.AddMinutes(10 + i))).ToList());
            }).ToList();
            start.Release(Pushes);
            var responses = await Task.WhenAll(sends);

            var failures = responses.Where(r => r.StatusCode != HttpStatusCode.OK).Select(r => $"{(int)r.StatusCode} {r.Content.ReadAsStringAsync().Result}").ToList();
            Assert.True(failures.Count == 0, string.Join("\n", failures.Distinct()));
            Assert.Equal(Pushes * waybills.Count, await f.ScalarAsync<long>(
                "select count(*) from route_records where shipment_id = @shipmentId", new { shipmentId }));
            Assert.Equal("out_for_delivery", (await f.ShipmentAsync(shipmentId)).GetProperty("status").GetString());
            await Eventually.Until(() => f.ScalarAsync<long>("select count(*) from outbox"), n => n == 0, what: "the outbox to drain");
            var announced = (await f.Events.PeekAsync("ShipmentStatusChanged"))
                .Where(e => e.GetProperty("shipmentId").GetGuid() == shipmentId)
                .Select(e => (Status: e.GetProperty("status").GetString(), At: e.GetProperty("statusAt").GetDateTimeOffset())).ToList();
            // Each status the shipment reached was announced once, whatever order the pushes committed in. The relay
            // publishes on two channels at once and never promised an order on the wire: consumers order a shipment's
            // changes by their event time, and by that the last announcement is the out-for-delivery scan.
            var changes = announced.Select(a => a.Status).ToList();
            Assert.Equal(changes.Distinct(), changes);
            var last = announced.MaxBy(a => a.At);
            Assert.Equal(("out_for_delivery", collectedAt.AddMinutes(10 + Pushes - 1).ToUnixTimeSeconds()), (last.Status, last.At.ToUnixTimeSeconds()));
        }
        finally
        {
            await f.Simulator.SetFaultsAsync(new { });
        }
    }
}
