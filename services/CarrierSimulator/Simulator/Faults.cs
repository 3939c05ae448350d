namespace MelonChain.CarrierSimulator.Simulator;

/// <summary>
/// Faults switched at run time through <c>POST /admin/faults</c>. Shares are 0..1 probabilities per call/push.
/// <see cref="ErrorKind"/>: "5xx" (HTTP 500), "A1099" (gateway system error) or "mixed". Half of the injected
/// errors hit after the call took effect (the answer is lost), which is what makes retries dangerous.
/// <see cref="AnswerDelayMs"/> holds every answer after the call took effect: the window in which a caller that
/// crashes has been served by the carrier without knowing it.
/// <see cref="Delivery"/>: null (on time), "late" (delivered half a day after the promise) or "failed" (opCode 70).
/// </summary>
public sealed record Faults(
    double ErrorShare = 0, string ErrorKind = "mixed", int LatencyMs = 0, double TimeoutShare = 0, int TimeoutMs = 30_000,
    double RateLimitShare = 0, bool Outage = false, double DropPushShare = 0, double DuplicatePushShare = 0,
    string? Delivery = null, bool PushesPaused = false, int AnswerDelayMs = 0);

public sealed class FaultSwitch
{
    private volatile Faults _current = new();

    public Faults Current { get => _current; set => _current = value; }

    public static bool Roll(double share) => share > 0 && Random.Shared.NextDouble() < share;
}

public static class FaultAdmin
{
    /// <summary><c>GET|POST /admin/faults</c>: read or replace the injected faults (the simulator is a test stand-in, not production).</summary>
    public static void MapFaultAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").WithTags("Simulator admin");
        admin.MapGet("/faults", (FaultSwitch faults) => TypedResults.Ok(faults.Current));
        admin.MapPost("/faults", (Faults faults, FaultSwitch current) =>
        {
            current.Current = faults;
            return TypedResults.Ok(faults);
        });
        admin.MapGet("/orders/{orderId}", (string orderId, OrderBook book) =>
            book.Find(orderId) is { } o
                ? Results.Ok(new { o.OrderId, o.Waybills, o.Product, o.DestinationCity, o.BookedAt, o.Cancelled, o.DuplicateCreates, due = book.Due(o), request = o.Request })
                : Results.NotFound());
        admin.MapGet("/orders", (OrderBook book) => TypedResults.Ok(book.All().Select(o => new { o.OrderId, parcels = o.Waybills.Count, o.Cancelled })));
    }
}
