using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using Npgsql;
using static MelonChain.Cooperative.Features.Members.Members;

namespace MelonChain.Cooperative.Features.Members;

/// <summary>
/// A clerk registers a member grower, or an Enping contract grower by naming a contract signed with this
/// cooperative (known here from ContractSigned; 422 until then, or for any other cooperative's contract).
/// </summary>
public static class RegisterGrower
{
    public sealed record Request(string? MemberNo, string? Name, string? Phone, string? Village, string? Kind, Guid? ContractId);

    public static void Map(RouteGroupBuilder growers) => growers.MapPost("/", Handle).WithName("RegisterGrower");

    private static async Task<Created<Grower>> Handle(Request request, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation()
            .Code(request.MemberNo, "memberNo")
            .Text(request.Name, "name", 100)
            .Phone(request.Phone, "phone")
            .Text(request.Village, "village", 100)
            .OneOf(request.Kind, "kind", Kinds)
            .Check(request.Kind != "contract" || request.ContractId is not null, "contractId", "is required for a contract grower")
            .Check(request.Kind != "member" || request.ContractId is null, "contractId", "is only for contract growers");
        v.ThrowIfInvalid();

        var coop = user.CooperativeId();
        if (request.ContractId is { } contractId
            && !await db.ExecuteScalarAsync<bool>("select exists (select 1 from contract_terms where contract_id = @contractId and cooperative_id = @coop)",
                new { contractId, coop }, ct))
            throw Problem.Invalid("contractId", "is not a contract signed with this cooperative");
        var grower = new Grower(Guid.CreateVersion7(), request.MemberNo!, request.Name!.Trim(), request.Phone!.Trim(),
            request.Village!.Trim(), request.Kind!, request.ContractId, clock.GetUtcNow());
        try
        {
            await db.ExecuteAsync(
                """
                insert into growers (id, cooperative_id, member_no, name, phone, village, kind, contract_id, registered_at)
                values (@Id, @Coop, @MemberNo, @Name, @Phone, @Village, @Kind, @ContractId, @RegisteredAt)
                """, new { grower.Id, Coop = coop, grower.MemberNo, grower.Name, grower.Phone, grower.Village, grower.Kind,
                           grower.ContractId, grower.RegisteredAt }, ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw Problem.Conflict("member-no-taken", $"Member number {grower.MemberNo} is already registered.");
        }

        await db.Publish(new GrowerRegistered(Guid.NewGuid(), grower.RegisteredAt, coop, grower.Id, grower.MemberNo,
            grower.Village, grower.Kind, grower.ContractId), ct);
        return TypedResults.Created($"/api/v1/cooperative/growers/{grower.Id}", grower);
    }
}
