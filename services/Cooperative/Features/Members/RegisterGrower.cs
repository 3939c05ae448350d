using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using Npgsql;
using static MelonChain.Cooperative.Features.Members.Members;

namespace MelonChain.Cooperative.Features.Members;

/// <summary>
/// A clerk registers a member grower (name, phone, village typed here), or an Enping contract grower by naming a
/// contract signed with this cooperative: the grower was typed in once, in ContractGrowing, and the member is made from
/// what ContractSigned told (422 until it arrived, or for any other cooperative's contract; a name or phone typed again
/// is refused). The member keeps ContractGrowing's id of the grower (growingGrowerId), and a grower is a member once
/// (409 naming the member number).
/// </summary>
public static class RegisterGrower
{
    public sealed record Request(string? MemberNo, string? Name, string? Phone, string? Village, string? Kind, Guid? ContractId);

    public static void Map(RouteGroupBuilder growers) => growers.MapPost("/", Handle).WithName("RegisterGrower").Problems(409, "already-a-member", "member-no-taken");

    private sealed record ContractGrowerRow(Guid GrowingGrowerId, string? GrowerName, string? GrowerPhone, string? GrowerTown, string? GrowerVillage);

    private static async Task<Created<Grower>> Handle(Request request, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var contract = request.Kind == "contract";
        var v = new Validation()
            .Code(request.MemberNo, "memberNo")
            .OneOf(request.Kind, "kind", Kinds)
            .Check(!contract || request.ContractId is not null, "contractId", "is required for a contract grower")
            .Check(request.Kind != "member" || request.ContractId is null, "contractId", "is only for contract growers");
        if (!contract)
            v.Text(request.Name, "name", 100).Phone(request.Phone, "phone").Text(request.Village, "village", 100);
        v.ThrowIfInvalid();

        var coop = user.CooperativeId();
        var (name, phone, village, growingGrowerId) = (request.Name?.Trim(), request.Phone?.Trim(), request.Village?.Trim(), (Guid?)null);
        if (request.ContractId is { } contractId)
        {
            var known = await db.QuerySingleOrDefaultAsync<ContractGrowerRow>(
                """
                select growing_grower_id, grower_name, grower_phone, grower_town, grower_village
                from contract_terms where contract_id = @contractId and cooperative_id = @coop
                """, new { contractId, coop }, ct) ?? throw Problem.Invalid("contractId", "is not a contract signed with this cooperative");
            growingGrowerId = known.GrowingGrowerId;
            if (known.GrowerName is not null)
            {
                // The grower as ContractGrowing registered them: never typed in twice.
                new Validation()
                    .Check(request.Name is null, "name", "comes from the signed contract (ContractGrowing); leave it out")
                    .Check(request.Phone is null, "phone", "comes from the signed contract (ContractGrowing); leave it out")
                    .Check(request.Village is null, "village", "comes from the signed contract (ContractGrowing); leave it out")
                    .ThrowIfInvalid();
                (name, phone, village) = (known.GrowerName, known.GrowerPhone!, $"{known.GrowerTown}{known.GrowerVillage}");
            }
            else
            {
                // A contract signed before ContractGrowing sent its grower: the clerk types what it did not.
                new Validation().Text(request.Name, "name", 100).Phone(request.Phone, "phone").Text(request.Village, "village", 100).ThrowIfInvalid();
            }
        }

        if (growingGrowerId is not null && await db.ExecuteScalarAsync<string?>(
                "select member_no from growers where cooperative_id = @coop and growing_grower_id = @growingGrowerId", new { coop, growingGrowerId }, ct)
            is { } existing)
            throw AlreadyAMember(existing);

        var grower = new Grower(Guid.CreateVersion7(), request.MemberNo!, name!, phone!, village!, request.Kind!, request.ContractId,
            clock.GetUtcNow(), growingGrowerId);
        try
        {
            await db.ExecuteAsync(
                """
                insert into growers (id, cooperative_id, member_no, name, phone, village, kind, contract_id, registered_at, growing_grower_id)
                values (@Id, @Coop, @MemberNo, @Name, @Phone, @Village, @Kind, @ContractId, @RegisteredAt, @GrowingGrowerId)
                """, new { grower.Id, Coop = coop, grower.MemberNo, grower.Name, grower.Phone, grower.Village, grower.Kind,
                           grower.ContractId, grower.RegisteredAt, grower.GrowingGrowerId }, ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "growers_one_member_per_growing_grower")
        {
            throw AlreadyAMember(null); // registered by a concurrent request a moment ago
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw Problem.Conflict("member-no-taken", $"Member number {grower.MemberNo} is already registered.");
        }

        await db.Publish(new GrowerRegistered(Guid.NewGuid(), grower.RegisteredAt, coop, grower.Id, grower.MemberNo,
            grower.Village, grower.Kind, grower.ContractId, grower.GrowingGrowerId), ct);
        return TypedResults.Created($"/api/v1/cooperative/growers/{grower.Id}", grower);
    }

    private static ProblemException AlreadyAMember(string? memberNo) => Problem.Conflict("already-a-member",
        memberNo is null ? "This contract grower is already a member." : $"This contract grower is already member {memberNo}.",
        new Dictionary<string, object?> { ["memberNo"] = memberNo });
}
