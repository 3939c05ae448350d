using MelonChain.Messages;
using MelonChain.Cooperative.Features.Grading;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Sales.Orders;

namespace MelonChain.Cooperative.Features.Sales;

/// <summary>A clerk takes a buyer's order: lines of grade, kg and price; boxes of 5 kg net (40×30×25 cm) unless said.</summary>
public static class PlaceOrder
{
    public sealed record BoxSize(int LengthCm, int WidthCm, int HeightCm);

    public sealed record Request(Guid BuyerId, Destination? Destination, IReadOnlyList<Line>? Lines, decimal? BoxNetKg, BoxSize? Box, string? Product);

    public static void Map(RouteGroupBuilder sales) => sales.MapPost("/orders", Place).WithName("PlaceOrder");

    private static async Task<Created<Order>> Place(Request r, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation()
            .Check(r.Destination is not null, "destination", "is required")
            .Check(r.Lines is { Count: > 0 and <= 4 }, "lines", "one to four lines are required")
            .OneOf(r.Product ?? Products.Default, "product", Products.All);
        if (r.Destination is { } d)
            v.Text(d.City, "destination.city", 50).Text(d.Address, "destination.address", 200)
             .Text(d.ContactName, "destination.contactName", 50).Phone(d.Phone, "destination.phone");
        foreach (var (line, i) in (r.Lines ?? []).Select((l, i) => (l, i)))
            v.OneOf(line.Grade, $"lines[{i}].grade", Grades.All).Kg(line.Kg, $"lines[{i}].kg", 50_000m)
             .Range(line.PriceFenPerKg, $"lines[{i}].priceFenPerKg", 0, 1_000_000);
        v.Check(r.Lines is null || r.Lines.Select(l => l.Grade).Distinct().Count() == r.Lines.Count, "lines", "each grade at most once");
        var boxNetKg = r.BoxNetKg ?? 5m;
        v.Kg(boxNetKg, "boxNetKg", MaxBoxNetKg).Check(boxNetKg >= MinBoxNetKg, "boxNetKg", $"must be at least {MinBoxNetKg} kg");
        if (v.IsValid && r.Lines is { Count: > 0 })
        {
            var boxes = r.Lines.Sum(l => l.Kg > 0 ? BoxesFor(Weight.ToGrams(l.Kg), Weight.ToGrams(boxNetKg)) : 0);
            v.Check(boxes <= MaxBoxesPerOrder, "lines", $"fill {boxes} boxes of {boxNetKg} kg; an order holds at most {MaxBoxesPerOrder} boxes");
        }
        if (r.Box is { } box)
            v.Range(box.LengthCm, "box.lengthCm", 1, 200).Range(box.WidthCm, "box.widthCm", 1, 200).Range(box.HeightCm, "box.heightCm", 1, 200);
        v.ThrowIfInvalid();

        var coop = user.CooperativeId();
        _ = await db.QuerySingleOrDefaultAsync<Guid?>("select id from buyers where id = @Id and cooperative_id = @Coop", new { Id = r.BuyerId, Coop = coop }, ct)
            ?? throw Problem.Invalid("buyerId", "is not a buyer of this cooperative");
        var id = Guid.CreateVersion7();
        var size = r.Box ?? new BoxSize(40, 30, 25);
        await db.ExecuteAsync(
            """
            insert into orders (id, cooperative_id, buyer_id, dest_city, dest_address, dest_contact, dest_phone, box_net_grams,
                                box_length_cm, box_width_cm, box_height_cm, product, placed_at)
            values (@Id, @Coop, @BuyerId, @City, @Address, @Contact, @Phone, @BoxNet, @L, @W, @H, @Product, @Now)
            """, new { Id = id, Coop = coop, r.BuyerId, City = r.Destination!.City!.Trim(), Address = r.Destination.Address!.Trim(),
                       Contact = r.Destination.ContactName!.Trim(), Phone = r.Destination.Phone!.Trim(), BoxNet = Weight.ToGrams(boxNetKg),
                       L = size.LengthCm, W = size.WidthCm, H = size.HeightCm, Product = r.Product ?? Products.Default, Now = clock.GetUtcNow() }, ct);
        foreach (var line in r.Lines!)
            await db.ExecuteAsync(
                "insert into order_lines (order_id, grade, grams, price_fen_per_kg) values (@Id, @Grade, @Grams, @Price)",
                new { Id = id, line.Grade, Grams = Weight.ToGrams(line.Kg), Price = line.PriceFenPerKg }, ct);
        return TypedResults.Created($"/api/v1/cooperative/orders/{id}", await Load(db, id, coop, ct));
    }
}
