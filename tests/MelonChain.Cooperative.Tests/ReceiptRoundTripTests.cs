using System.Net;
using System.Net.Http.Json;

namespace MelonChain.Cooperative.Tests;

/// <summary>
/// P1's named step, held: a receipt POST with an Idempotency-Key talks to PostgreSQL in three round trips on one
/// connection — the key's lock and stored response (with the BEGIN); the profile, grower, contract and the day's
/// number; the receipt, its outbox row, the stored response and the COMMIT. Counted from Npgsql's own trace: one
/// activity per command or batch sent, in the request's trace (a COMMIT sent by the transaction would not show, so
/// the last batch must carry it).
/// </summary>
public class ReceiptRoundTripTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    [Fact]
    public async Task A_receipt_with_an_Idempotency_Key_is_three_round_trips_on_one_connection_the_last_carrying_the_commit()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        var body = new { growerId = grower, harvestedOn = CooperativeFixture.Today.ToString("yyyy-MM-dd"), grossKg = 12.5m, crates = 2 };
        await c.Post("/api/v1/cooperative/receipts", body); // connections open, statements prepared

        using var roundTrips = new RoundTrips();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cooperative/receipts") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        request.Headers.Add("traceparent", roundTrips.TraceParent);
        var response = await c.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var trips = roundTrips.Sent;
        var texts = string.Join("\n---\n", trips.Select(RoundTrips.Text));
        Assert.True(trips.Count == 3, $"{trips.Count} round trips:\n{texts}");
        Assert.Single(trips.Select(t => t.GetTagItem("db.npgsql.connection_id")).Distinct());
        Assert.Contains("commit", RoundTrips.Text(trips[^1]), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("insert into outbox", RoundTrips.Text(trips[^1]));
        Assert.Contains("insert into idempotency_keys", RoundTrips.Text(trips[^1]));
    }
}
