using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.Cooperative.Features.Surplus.SurplusReturns;

namespace MelonChain.Cooperative.Features.Surplus;

/// <summary>
/// <c>POST /surplus-returns {year, distributableFen, volumeShareBps}</c>: a year's surplus return, once (409 again; an
/// Idempotency-Key is required, 428 without one). A settlement whose volume it returned can no longer be reversed.
/// The volume is what settlements booked to each member for that year (kg sold, each order to the year of its
/// delivery, so a period across New Year splits correctly).
/// </summary>
public static class ReturnSurplus
{
    public sealed record Request(int Year, long DistributableFen, int VolumeShareBps);

    public static void Map(RouteGroupBuilder returns) =>
        returns.MapPost("/", Return).RequireRoles(Roles.Admin).WithName("ReturnSurplus").RequiresIdempotencyKey().Problems(409, "surplus-already-returned")
            .Problems(422, "no-member-volume");

    private static async Task<Created<SurplusReturn>> Return(Request request, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        new Validation().Range(request.Year, "year", 2000, 2099).Range(request.DistributableFen, "distributableFen", 1, 100_000_000_000)
            .Range(request.VolumeShareBps, "volumeShareBps", MinVolumeShareBps, 10_000).ThrowIfInvalid();
        var coop = user.CooperativeId();
        await db.ExecuteAsync("select pg_advisory_xact_lock(hashtext('surplus:' || @Coop))", new { Coop = coop }, ct);
        if (await db.ExecuteScalarAsync<Guid?>("select id from surplus_returns where cooperative_id = @Coop and year = @Year",
                new { Coop = coop, request.Year }, ct) is { } existing)
            throw Problem.Conflict("surplus-already-returned", $"The surplus of {request.Year} is already returned.",
                new Dictionary<string, object?> { ["surplusReturnId"] = existing });

        var volumes = (await db.QueryAsync<Volume>(
            """
            select v.grower_id, g.member_no, v.sold_grams as grams from member_volume v join growers g on g.id = v.grower_id
            where v.cooperative_id = @Coop and v.year = @Year and v.sold_grams > 0 order by g.member_no
            """, new { Coop = coop, request.Year }, ct)).ToList();
        if (volumes.Count == 0)
            throw Problem.Unprocessable("no-member-volume", $"No member sold anything through the cooperative in {request.Year}: nothing to return by volume.");
        var (byVolume, shares) = Split(request.DistributableFen, request.VolumeShareBps, volumes);

        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        await db.ExecuteAsync(
            """
            insert into surplus_returns (id, cooperative_id, year, distributable_fen, volume_share_bps, by_volume_fen, retained_fen, returned_at, returned_by)
            values (@Id, @Coop, @Year, @Distributable, @Bps, @ByVolume, @Retained, @Now, @By)
            """, new { Id = id, Coop = coop, request.Year, Distributable = request.DistributableFen, Bps = request.VolumeShareBps, ByVolume = byVolume,
                       Retained = request.DistributableFen - byVolume, Now = now, By = user.Subject() }, ct);
        await db.ExecuteAsync(
            """
            insert into surplus_return_shares (surplus_return_id, grower_id, volume_grams, amount_fen)
            select @Id, * from unnest(@Growers, @Grams, @Amounts)
            """, new { Id = id, Growers = volumes.Select(v => v.GrowerId).ToArray(), Grams = volumes.Select(v => v.Grams).ToArray(), Amounts = shares.ToArray() }, ct);
        var credited = volumes.Select((v, i) => (v.GrowerId, Amount: shares[i])).Where(x => x.Amount > 0).ToList();
        await db.ExecuteAsync(
            """
            insert into account_entries (id, cooperative_id, grower_id, kind, amount_fen, note, entered_at, surplus_return_id)
            select e.id, @Coop, e.grower_id, 'surplus_return', e.amount, @Note, @Now, @Id from unnest(@Ids, @Growers, @Amounts) as e(id, grower_id, amount)
            """, new { Id = id, Coop = coop, Note = $"surplus return {request.Year} by volume", Now = now, Ids = credited.Select(_ => Guid.CreateVersion7()).ToArray(),
                       Growers = credited.Select(c => c.GrowerId).ToArray(), Amounts = credited.Select(c => c.Amount).ToArray() }, ct);
        return TypedResults.Created($"/api/v1/cooperative/surplus-returns/{id}", await GetSurplusReturn.LoadAsync(db, id, coop, ct));
    }
}
