using MelonChain.Messages;
using MelonChain.Messages.ContractGrowing;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using static MelonChain.ContractGrowing.Features.Contracts.Contracts;

namespace MelonChain.ContractGrowing.Features.Contracts;

/// <summary>
/// Signing (publishes ContractSigned with the guaranteed prices the cooperative settles by), completing, terminating
/// (a signed contract's end publishes ContractCompleted / ContractTerminated with the China date it ended: the cooperative
/// receives no harvest dated that day or later under the contract; a draft terminated was never announced).
/// </summary>
public static class ContractStatus
{
    /// <summary>Which status each move leaves from and goes to; any other move is a 409.</summary>
    public static readonly IReadOnlyDictionary<string, (string[] From, string To)> Moves = new Dictionary<string, (string[], string)>
    {
        ["sign"] = (["draft"], "signed"),
        ["complete"] = (["signed"], "completed"),
        ["terminate"] = (["draft", "signed"], "terminated"),
    };

    public static void Map(RouteGroupBuilder contracts)
    {
        foreach (var move in Moves.Keys)
            contracts.MapPost($"/{{id:guid}}/{move}", (Guid id, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct) =>
                Move(id, move, db, user, clock, ct)).WithName(move switch { "sign" => "SignContract", "complete" => "CompleteContract", _ => "TerminateContract" })
                .Problems(409, "illegal-status-move");
    }

    private static async Task<Ok<GetContract.View>> Move(Guid id, string move, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var coop = user.CooperativeId();
        var contract = await LoadForUpdate(db, id, coop, ct);
        var (from, to) = Moves[move];
        if (!from.Contains(contract.Status))
            throw Problem.Conflict("illegal-status-move", $"A {contract.Status} contract cannot {move}.");
        var now = clock.GetUtcNow();
        await db.ExecuteAsync(
            """
            update contracts set status = @To,
                signed_at = case when @To = 'signed' then @Now else signed_at end,
                closed_at = case when @To in ('completed', 'terminated') then @Now else closed_at end
            where id = @Id
            """, new { Id = id, To = to, Now = now }, ct);
        if (to == "signed")
            await db.Publish(await Signed(db, id, coop, now, ct), ct);
        else if (to == "completed")
            await db.Publish(new ContractCompleted(Guid.NewGuid(), now, coop, id, contract.GrowerId, ChinaTime.DateOf(now)), ct);
        // A draft was never announced to the cooperative: there is nothing to withdraw.
        else if (contract.Status == "signed")
            await db.Publish(new ContractTerminated(Guid.NewGuid(), now, coop, id, contract.GrowerId, ChinaTime.DateOf(now)), ct);
        return TypedResults.Ok(await GetContract.Load(db, id, coop, ct));
    }

    public sealed record Facts(Guid GrowerId, string Name, string Phone, string Town, string Village, decimal AreaM2, string Season, string? BatchNo)
    {
        /// <summary>The grower as this service registered them, for the cooperative to make its member from.</summary>
        public ContractGrower Grower => new(Name, Phone, Town, Village);
    }

    public static async Task<(Facts Facts, TermsRow Terms)> FactsAsync(Db db, Guid id, CancellationToken ct)
    {
        var facts = await db.QuerySingleAsync<Facts>(
            """
            select c.grower_id, g.name, g.phone, g.town, g.village, p.area_m2, c.season,
                   (select b.batch_no from seedling_issues i join seedling_batches b on b.id = i.batch_id
                    where i.contract_id = c.id order by i.issued_at desc limit 1) as batch_no
            from contracts c join growers g on g.id = c.grower_id join plots p on p.id = c.plot_id where c.id = @Id
            """, new { Id = id }, ct);
        return (facts, await CurrentTerms(db, id, ct));
    }

    private static async Task<ContractSigned> Signed(Db db, Guid id, string coop, DateTimeOffset now, CancellationToken ct)
    {
        var (f, t) = await FactsAsync(db, id, ct);
        var prices = t.ToTerms().MinPriceFenPerKg.ByGrade();
        return new ContractSigned(Guid.NewGuid(), now, coop, id, f.GrowerId, $"{f.Town}{f.Village}", (long)Math.Round(f.AreaM2),
            f.Season, t.ExpectedGrams, prices, f.BatchNo, f.Grower);
    }
}
