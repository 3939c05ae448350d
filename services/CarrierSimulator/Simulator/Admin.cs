namespace MelonChain.CarrierSimulator.Simulator;

public static class Admin
{
    /// <summary>
    /// <c>/admin/faults</c> (read or replace the injected faults) and <c>/admin/orders</c> (what the carriers took).
    /// The simulator is a test stand-in, not production: nothing here asks for a token.
    /// </summary>
    public static void MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").WithTags("Simulator admin");
        admin.MapGet("/faults", (FaultSwitch faults) => TypedResults.Ok(faults.Current));
        admin.MapPost("/faults", (Faults faults, FaultSwitch current) =>
        {
            current.Current = faults;
            return TypedResults.Ok(faults);
        });
        // An orderId is SF's unless ?carrier=jd says otherwise (or SF has no such order).
        admin.MapGet("/orders/{orderId}", (string orderId, string? carrier, OrderBook book) =>
            (carrier is null ? book.Find(Carriers.Sf, orderId) ?? book.Find(Carriers.Jd, orderId) : book.Find(carrier, orderId)) is { } o
                ? Results.Ok(new
                {
                    o.Carrier, o.OrderId, o.Waybills, o.Parcels, o.Product, senderCity = o.Booking.SenderCity, destinationCity = o.Booking.ReceiverCity,
                    o.BookedAt, pickupAt = o.BookedAt + o.PickupOffset, o.Cancelled, o.DuplicateCreates, subscribed = o.Subscribed.Order(),
                    due = book.Due(o), request = o.Booking.Request,
                })
                : Results.NotFound());
        admin.MapGet("/orders", (OrderBook book) =>
            TypedResults.Ok(book.All().Select(o => new { o.Carrier, o.OrderId, o.Parcels, o.Cancelled })));
    }
}
