using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Sales;

/// <summary>Buyers of the consignment sales (统一代销): restaurants, wholesalers, e-commerce shops in Beijing and Shanghai.</summary>
public static class Buyers
{
    public sealed record Buyer(Guid Id, string Name, string City, string Address, string ContactName, string Phone);

    public sealed record Request(string? Name, string? City, string? Address, string? ContactName, string? Phone);

    public static void Map(RouteGroupBuilder sales)
    {
        sales.MapPost("/buyers", Register).WithName("RegisterBuyer");
        sales.MapGet("/buyers", List).WithName("ListBuyers");
    }

    private static async Task<Created<Buyer>> Register(Request r, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        new Validation().Text(r.Name, "name", 100).Text(r.City, "city", 50).Text(r.Address, "address", 200)
            .Text(r.ContactName, "contactName", 50).Phone(r.Phone, "phone").ThrowIfInvalid();
        var buyer = new Buyer(Guid.CreateVersion7(), r.Name!.Trim(), r.City!.Trim(), r.Address!.Trim(), r.ContactName!.Trim(), r.Phone!.Trim());
        await db.ExecuteAsync(
            """
            insert into buyers (id, cooperative_id, name, city, address, contact_name, phone, created_at)
            values (@Id, @Coop, @Name, @City, @Address, @ContactName, @Phone, @Now)
            """, new { buyer.Id, Coop = user.CooperativeId(), buyer.Name, buyer.City, buyer.Address, buyer.ContactName, buyer.Phone, Now = clock.GetUtcNow() }, ct);
        return TypedResults.Created($"/api/v1/cooperative/buyers/{buyer.Id}", buyer);
    }

    private static async Task<Ok<Page<Buyer>>> List(int? limit, string? after, Db db, ClaimsPrincipal user, CancellationToken ct)
    {
        var paging = Paging.From(limit, after);
        var rows = await db.QueryAsync<Buyer>(
            """
            select id, name, city, address, contact_name, phone from buyers
            where cooperative_id = @Coop and (@AfterId::uuid is null or id > @AfterId) order by id limit @Fetch
            """, new { Coop = user.CooperativeId(), paging.AfterId, paging.Fetch }, ct);
        var page = paging.ToPage(rows, b => b.Id);
        return TypedResults.Ok(page with { Items = page.Items.Select(b => b with { Phone = Privacy.MaskPhone(b.Phone) }).ToList() });
    }
}
