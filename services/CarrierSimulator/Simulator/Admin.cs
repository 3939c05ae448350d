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
                    due = book.Due(o), bills = book.DueBills(o), request = o.Booking.Request,
                })
                : Results.NotFound());
        // How a carrier order ends, named by any of its waybills: delivered, returned (the return route is played) or lost
        // (scanning stops; the carrier declares it lost a week after pickup).
        admin.MapPost("/waybills/{waybillNo}/fate", (string waybillNo, FateRequest request, OrderBook book) =>
        {
            if (request.Fate is null || !Fates.All.Contains(request.Fate))
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["fate"] = [$"One of {string.Join(", ", Fates.All)}."] }, statusCode: 422);
            if (book.ByWaybill(waybillNo) is not { } order)
                return Results.NotFound();
            return book.SetFate(order, request.Fate)
                ? Results.Ok(new { order.Carrier, order.OrderId, waybills = order.Waybills, fate = order.Fate })
                : Results.Problem(statusCode: 409, title: "Conflict", detail: "The order's route has already ended.", extensions: new Dictionary<string, object?> { ["code"] = "already-ended" });
        });
        // Bills the waybill's order again (a further version, due now or at pickup): SF pushes it, JD's actual fee answers it.
        admin.MapPost("/waybills/{waybillNo}/bill", (string waybillNo, BillRequest request, OrderBook book) =>
        {
            if (request.AmountFen is not (> 0 and <= 100_000_000))
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["amountFen"] = ["A positive amount in fen."] }, statusCode: 422);
            if (book.ByWaybill(waybillNo) is not { } order) return Results.NotFound();
            var bill = book.Rebill(order, request.AmountFen.Value);
            return Results.Ok(new { order.Carrier, order.OrderId, masterWaybillNo = order.Waybills[0], bill.Version, bill.AmountFen });
        });
        // Moves the simulated clock forward for every order booked so far: due records are pushed (SF) or answered (JD) at once.
        admin.MapPost("/clock", (ClockRequest request, OrderBook book) =>
            request.AdvanceHours is > 0 and <= 24 * 60
                ? Results.Ok(new { advancedHours = book.Advance(TimeSpan.FromHours(request.AdvanceHours)).TotalHours })
                : Results.ValidationProblem(new Dictionary<string, string[]> { ["advanceHours"] = ["Between 0 (exclusive) and 1440 hours."] }, statusCode: 422));
        admin.MapGet("/orders", (OrderBook book) =>
            TypedResults.Ok(book.All().Select(o => new { o.Carrier, o.OrderId, o.Parcels, o.Cancelled })));
    }
}

public sealed record FateRequest(string? Fate);

public sealed record ClockRequest(double AdvanceHours);

public sealed record BillRequest(long? AmountFen);
