using System.Text.Json;
using System.Text.Json.Nodes;

namespace MelonChain.Security.Tests;

/// <summary>
/// A body that passes validation for every write operation of every document, made of the seeded rows' real ids, so
/// an attack is refused by the check it aims at (a role, an owner) and not by a malformed body. A write operation
/// that takes a body and has none here fails the test that asks for it: a new endpoint gets a valid body as soon as
/// it exists.
/// </summary>
public static class ValidRequests
{
    private static readonly string Today = Scenario.ChinaToday;

    private static readonly Dictionary<string, Func<SecuredSystem, JsonObject>> Bodies = new()
    {
        ["PUT /api/v1/cooperative/profile"] = _ => Obj(Onboarding.Profile(MelonSystem.Cooperative)),
        ["PUT /api/v1/dispatch/carrier-accounts"] = _ => Obj(Onboarding.CarrierAccounts()),
        ["POST /api/v1/cooperative/growers"] = f => Sample(f, "/api/v1/cooperative/growers"),
        ["POST /api/v1/cooperative/receipts"] = f => Sample(f, "/api/v1/cooperative/receipts"),
        ["POST /api/v1/cooperative/receipts/{id}/grading"] = _ => Obj(new { lines = new[] { new { grade = "premium", kg = 1m } } }),
        ["POST /api/v1/cooperative/buyers"] = f => Sample(f, "/api/v1/cooperative/buyers"),
        ["POST /api/v1/cooperative/orders"] = f => Sample(f, "/api/v1/cooperative/orders"),
        ["POST /api/v1/cooperative/orders/{id}/pack"] = _ => Obj(new { allowOldLots = false }),
        ["POST /api/v1/cooperative/orders/{id}/cancel"] = _ => Obj(new { reason = "buyer changed plans" }),
        ["POST /api/v1/cooperative/orders/{id}/returns"] = _ => Obj(new { traceCodes = new[] { "TC-1" }, disposition = "restock", reason = "拒收退回" }),
        ["POST /api/v1/cooperative/orders/{id}/claims"] = _ => Obj(new { kind = "spoiled", traceCodes = new[] { "TC-1" }, kg = 1m, creditFen = 100, note = "开箱腐烂" }),
        ["POST /api/v1/cooperative/claims/{id}/decision"] = _ => Obj(new { decision = "rejected", creditFen = 0, carrierLiable = false, reason = "证据不足" }),
        ["POST /api/v1/cooperative/settlements"] = _ => Obj(new { from = "2025-01-01", to = "2025-01-31" }),
        ["POST /api/v1/cooperative/growers/{id}/account/payments"] = _ => Obj(new { amountFen = 10_000, note = "现金" }),
        ["POST /api/v1/cooperative/growers/{id}/account/advances"] = _ => Obj(new { amountFen = 20_000, note = "采收预付" }),
        ["POST /api/v1/cooperative/receipts/{id}/grading/reversal"] = _ => Obj(new { reason = "复核更正" }),
        ["POST /api/v1/cooperative/settlements/{id}/reversal"] = _ => Obj(new { reason = "分拣费漏扣" }),
        ["PUT /api/v1/cooperative/deduction-rules"] = _ => Obj(new
        {
            rules = new object[] { new { name = "分拣费", basis = "per_kg_sold", amount = 20, effectiveFrom = "2026-01-01", effectiveTo = "2026-12-31" } },
        }),
        ["POST /api/v1/cooperative/surplus-returns"] = _ => Obj(new { year = 2025, distributableFen = 100_000, volumeShareBps = 6_000 }),
        ["POST /api/v1/growing/growers"] = f => Sample(f, "/api/v1/growing/growers"),
        ["POST /api/v1/growing/plots"] = f => Obj(new { growerId = f.GrowingGrowerId, areaM2 = 2000m, location = "朗北村西侧" }),
        ["POST /api/v1/growing/contracts"] = Contract,
        ["PUT /api/v1/growing/contracts/{id}"] = Contract,
        ["POST /api/v1/growing/contracts/{id}/amendments"] = _ => Obj(new { expectedKg = 1200m, reason = "更多苗" }),
        ["POST /api/v1/growing/contracts/{id}/visits"] = _ => Obj(new { kind = "guidance", visitedOn = Today, officer = "林技术员", topic = "白粉病防治" }),
        ["POST /api/v1/growing/contracts/{id}/field-logs"] = _ => Obj(new { kind = "planting", loggedOn = Today }),
        ["POST /api/v1/growing/seedling-batches"] = f => Sample(f, "/api/v1/growing/seedling-batches"),
        ["POST /api/v1/growing/contracts/{id}/seedling-issues"] = f => Obj(new { batchId = f.BatchId, count = 10, issuedOn = Today }),
        ["PUT /api/v1/dispatch/rate-cards"] = _ => Obj(new
        {
            lines = new[]
            {
                new { product = "express", originProvince = "广东", destination = "北京", firstKg = 1m, firstFen = 2300, perKgFen = 1200,
                      volumetricDivisor = 6000, promisedDays = 2, perShipment = false },
            },
        }),
        ["POST /api/v1/dispatch/quotes"] = f => Sample(f, "/api/v1/dispatch/quotes"),
        ["POST /api/v1/dispatch/pickups/{id}/accept"] = _ => [],
        ["POST /api/v1/dispatch/pickups/{id}/schedule"] = _ => Obj(new { windowStart = DateTimeOffset.UtcNow.AddHours(2), windowEnd = DateTimeOffset.UtcNow.AddHours(4) }),
        ["POST /api/v1/dispatch/pickups/{id}/collect"] = f => Obj(new { traceCodes = new[] { f.TraceCode } }),
        ["PUT /api/v1/dispatch/pickups/{id}/carrier"] = _ => Obj(new { carrier = "jd", product = "jd_cold" }),
        ["POST /api/v1/dispatch/shipments/{id}/carrier-claims"] = f => Obj(new { waybillNo = f.MasterWaybillNo, reason = "damaged", amountFen = 1000 }),
        // Redelivers every dead letter of the caller's cooperative: none in the seeded system, so nothing moves.
        ["POST /api/v1/cooperative/admin/dead-letters/redeliver"] = _ => [],
        ["POST /api/v1/growing/admin/dead-letters/redeliver"] = _ => [],
        ["POST /api/v1/dispatch/admin/dead-letters/redeliver"] = _ => [],
        ["POST /api/v1/tracking/admin/dead-letters/redeliver"] = _ => [],
    };

    /// <summary>The valid body of the operation; null when it takes none. Throws when a body is needed and none is known.</summary>
    public static JsonObject? For(SecuredSystem f, Operation operation)
    {
        var key = $"{operation.Method} {Normalized(operation.Path)}";
        if (Bodies.TryGetValue(key, out var body)) return body(f);
        if (!operation.HasBody) return null;
        throw new InvalidOperationException($"No valid body for {key}: add one to ValidRequests.");
    }

    /// <summary>Values for query parameters a read needs to answer (the fulfilment report needs its season), by name.</summary>
    private static readonly Dictionary<string, string> QueryValues = new() { ["season"] = "2026-autumn", ["seedlingBatch"] = "DR-2026-01" };

    /// <summary>The path with the query parameters of <see cref="QueryValues"/> the operation takes; a required one not there throws.</summary>
    public static string WithQuery(Operation operation, string path)
    {
        if (!operation.Spec.TryGetProperty("parameters", out var parameters)) return path;
        var query = parameters.EnumerateArray()
            .Where(p => p.GetProperty("in").GetString() == "query")
            .Select(p => (Name: p.GetProperty("name").GetString()!, Required: p.TryGetProperty("required", out var r) && r.GetBoolean()))
            .Where(p => p.Required || QueryValues.ContainsKey(p.Name))
            .Select(p => QueryValues.TryGetValue(p.Name, out var value) ? $"{p.Name}={Uri.EscapeDataString(value)}"
                : throw new InvalidOperationException($"No value for the required query parameter {p.Name} of {operation}: add one to ValidRequests."))
            .ToList();
        return query.Count == 0 ? path : path + "?" + string.Join('&', query);
    }

    /// <summary>Path parameters as the table names them (<c>{id}</c>, whatever the document calls them).</summary>
    private static string Normalized(string path) => System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", "{id}");

    private static JsonObject Contract(SecuredSystem f) => Obj(new
    {
        growerId = f.GrowingGrowerId, plotId = f.PlotId, season = "2026-autumn", variety = "杜阮凉瓜",
        seedlings = 1500, expectedKg = 1000m, minPriceFenPerKg = new { premium = 900, grade1 = 700, grade2 = 500, offgrade = 200 },
    });

    private static JsonObject Sample(SecuredSystem f, string path) => BadInputTests.Samples.Single(s => s.Path == path).Valid(f);

    public static JsonObject Obj(object value) => JsonSerializer.SerializeToNode(value, new JsonSerializerOptions(JsonSerializerDefaults.Web))!.AsObject();
}
