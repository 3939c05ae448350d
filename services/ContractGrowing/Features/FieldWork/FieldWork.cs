using MelonChain.Messages;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.ContractGrowing.Features;

/// <summary>
/// Training sessions and guidance visits (growth stage, pests, disease, advice) and field logs (planting, inputs
/// with their material and pre-harvest interval, harvest) — the record behind "training and guidance".
/// </summary>
public static class FieldWork
{
    public sealed record Visit(Guid Id, string Kind, DateOnly VisitedOn, string Officer, string Topic, string? GrowthStage,
        string? Pests, string? Disease, string? Advice, string? Observations);

    public sealed record FieldLog(Guid Id, string Kind, DateOnly LoggedOn, string? Material, string? Quantity, int? PreHarvestIntervalDays, string? Note);

    public sealed record VisitRequest(string? Kind, DateOnly? VisitedOn, string? Officer, string? Topic, string? GrowthStage,
        string? Pests, string? Disease, string? Advice, string? Observations);

    public sealed record LogRequest(string? Kind, DateOnly? LoggedOn, string? Material, string? Quantity, int? PreHarvestIntervalDays, string? Note);

    public const string VisitColumns = "id, kind, visited_on, officer, topic, growth_stage, pests, disease, advice, observations";
    public const string LogColumns = "id, kind, logged_on, material, quantity, pre_harvest_interval_days, note";

    public static RouteGroupBuilder MapFieldWork(this RouteGroupBuilder api)
    {
        var contract = api.MapGroup("/contracts/{id:guid}").RequireRoles(Roles.Officer).WithTags("Field work");
        contract.MapPost("/visits", RecordVisit).WithName("RecordVisit");
        contract.MapPost("/field-logs", RecordLog).WithName("RecordFieldLog");
        return api;
    }

    private static async Task<Created<Visit>> RecordVisit(Guid id, VisitRequest r, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        new Validation().OneOf(r.Kind, "kind", ["training", "guidance"])
            .Check(r.VisitedOn is not null && r.VisitedOn <= ChinaTime.Today(clock), "visitedOn", "is required and not in the future")
            .Date(r.VisitedOn, "visitedOn")
            .Text(r.Officer, "officer", 100).Text(r.Topic, "topic", 200)
            .Text(r.GrowthStage, "growthStage", 100, required: false).Text(r.Pests, "pests", 500, required: false)
            .Text(r.Disease, "disease", 500, required: false).Text(r.Advice, "advice", 2000, required: false)
            .Text(r.Observations, "observations", 2000, required: false).ThrowIfInvalid();
        var coop = await OpenContract(db, id, user, ct);
        var visit = new Visit(Guid.CreateVersion7(), r.Kind!, r.VisitedOn!.Value, r.Officer!.Trim(), r.Topic!.Trim(), r.GrowthStage, r.Pests, r.Disease, r.Advice, r.Observations);
        await db.ExecuteAsync(
            $"""
            insert into visits (cooperative_id, contract_id, recorded_at, {VisitColumns})
            values (@Coop, @ContractId, @Now, @Id, @Kind, @VisitedOn, @Officer, @Topic, @GrowthStage, @Pests, @Disease, @Advice, @Observations)
            """, new { Coop = coop, ContractId = id, Now = clock.GetUtcNow(), visit.Id, visit.Kind, visit.VisitedOn, visit.Officer, visit.Topic,
                       visit.GrowthStage, visit.Pests, visit.Disease, visit.Advice, visit.Observations }, ct);
        return TypedResults.Created($"/api/v1/growing/contracts/{id}", visit);
    }

    private static async Task<Created<FieldLog>> RecordLog(Guid id, LogRequest r, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation().OneOf(r.Kind, "kind", ["planting", "input", "harvest"])
            .Check(r.LoggedOn is not null && r.LoggedOn <= ChinaTime.Today(clock), "loggedOn", "is required and not in the future")
            .Date(r.LoggedOn, "loggedOn")
            .Text(r.Material, "material", 200, required: r.Kind == "input").Text(r.Quantity, "quantity", 100, required: false)
            .Text(r.Note, "note", 2000, required: false)
            .Check(r.Kind != "input" || r.PreHarvestIntervalDays is >= 0 and <= 365, "preHarvestIntervalDays", "an input needs its pre-harvest interval (0–365 days)");
        v.ThrowIfInvalid();
        var coop = await OpenContract(db, id, user, ct);
        var log = new FieldLog(Guid.CreateVersion7(), r.Kind!, r.LoggedOn!.Value, r.Material, r.Quantity, r.PreHarvestIntervalDays, r.Note);
        await db.ExecuteAsync(
            $"""
            insert into field_logs (cooperative_id, contract_id, recorded_at, {LogColumns})
            values (@Coop, @ContractId, @Now, @Id, @Kind, @LoggedOn, @Material, @Quantity, @PreHarvestIntervalDays, @Note)
            """, new { Coop = coop, ContractId = id, Now = clock.GetUtcNow(), log.Id, log.Kind, log.LoggedOn, log.Material, log.Quantity,
                       log.PreHarvestIntervalDays, log.Note }, ct);
        return TypedResults.Created($"/api/v1/growing/contracts/{id}", log);
    }

    private static async Task<string> OpenContract(Db db, Guid id, ClaimsPrincipal user, CancellationToken ct)
    {
        var coop = user.CooperativeId();
        _ = await db.QuerySingleOrDefaultAsync<string>("select status from contracts where id = @Id and cooperative_id = @Coop",
            new { Id = id, Coop = coop }, ct) ?? throw Problem.NotFound("contract");
        return coop;
    }
}
