using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace MelonChain.Security.Tests;

/// <summary>
/// S2: another cooperative's admin, another buyer and another courier meet every seeded row as if it did not exist:
/// 404 for reads, the same answer as for an unknown id for writes, and nothing written anywhere; (S16) the same for
/// rows selected by a query rather than a path.
/// </summary>
[Collection(Secured.Name)]
public class ObjectLevelTests(SecuredSystem f)
{
    public static IEnumerable<object[]> Services => SecuredSystem.ServiceNames.Select(s => new object[] { s });

    /// <summary>
    /// Every operation on a single row, with the seeded row's id and a body that passes validation (so a write reaches
    /// the ownership check, see <see cref="ValidRequests"/>), is 404 — the same as for an id nobody has.
    /// </summary>
    [Theory]
    [MemberData(nameof(Services))]
    public async Task Another_cooperatives_admin_meets_our_rows_as_unknown_and_changes_nothing(string service)
    {
        var intruder = await f.AdminOf("otherco");
        var before = await f.SnapshotAsync();
        var failures = new List<string>();
        var tried = 0;
        foreach (var operation in (await f.OperationsAsync(service)).Where(o => !o.IsPublic && !o.IsCarrierPush && o.Path.Contains('{')))
        {
            tried++;
            var body = ValidRequests.For(f, operation);
            var ours = await Send(intruder, operation.Method, f.Concrete(operation.Path), body);
            var unknown = await Send(intruder, operation.Method, Unknown(operation.Path), body);
            if (ours != HttpStatusCode.NotFound || unknown != HttpStatusCode.NotFound)
                failures.Add($"{operation}: ours {(int)ours}, unknown {(int)unknown}, expected 404");
        }
        Assert.True(tried > 0, $"{service} has no endpoint on a single row");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(await f.WrittenSinceAsync(before));
    }

    /// <summary>
    /// Every create whose valid body names one of our rows (a grower, a buyer, a plot, a contract), sent by another
    /// cooperative's admin, answers as it does when those ids are ones nobody has: 422, and nothing is written.
    /// </summary>
    [Theory]
    [MemberData(nameof(Services))]
    public async Task A_create_naming_our_rows_in_its_body_answers_another_cooperative_as_for_unknown_ids(string service)
    {
        var intruder = await f.AdminOf("otherco");
        var before = await f.SnapshotAsync();
        var failures = new List<string>();
        var bodies = (await f.OperationsAsync(service)).Where(o => o.IsWrite && o.HasBody && !o.IsCarrierPush && !o.Path.Contains('{'))
            .Select(o => (Operation: o, Body: ValidRequests.For(f, o)!)).ToList();
        if (service == "Cooperative")
            bodies.Add((bodies.Single(b => b.Operation.Path.EndsWith("/growers")).Operation, ValidRequests.Obj(new
            {
                memberNo = "EP-OTHER-1", name = "黄伯", phone = "13800138000", village = "恩平大田", kind = "contract", contractId = f.SignedContractId,
            })));
        var tried = 0;
        foreach (var (operation, body) in bodies)
        {
            var ours = body.ToJsonString();
            var unknown = f.SeededIds.Aggregate(ours, (text, id) => text.Replace(id, Guid.NewGuid().ToString()));
            if (unknown == ours) continue;
            tried++;
            var oursStatus = await Send(intruder, operation.Method, operation.Path, JsonNode.Parse(ours));
            var unknownStatus = await Send(intruder, operation.Method, operation.Path, JsonNode.Parse(unknown));
            if ((int)oursStatus != 422 || (int)unknownStatus != 422)
                failures.Add($"{operation} with {ours}: ours {(int)oursStatus}, unknown {(int)unknownStatus}, expected 422");
        }
        Assert.True(tried >= (service is "Cooperative" or "ContractGrowing" ? 2 : 0), $"only {tried} creates in {service} name a seeded row");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(await f.WrittenSinceAsync(before));
    }

    /// <summary>
    /// S16: every list and report that selects rows by its query (recall by grower, receipt, lot, contract or batch; EPCIS,
    /// certificates and reports by period; every list), asked by another cooperative's admin with our ids, answers as it
    /// does for ids nobody has and shows none of our rows — while our own admin, asking the same, sees them.
    /// </summary>
    [Theory]
    [MemberData(nameof(Services))]
    public async Task Another_cooperatives_admin_selecting_our_rows_by_query_sees_none_of_them(string service)
    {
        var intruder = await f.AdminOf("otherco");
        var owner = await f.AdminOf(MelonSystem.Cooperative);
        var ours = await OursAsync();
        var selectors = await SelectorsAsync();
        var failures = new List<string>();
        var asked = 0;
        var (ownerSaw, ownerMissed) = (new List<string>(), new List<string>());
        foreach (var operation in (await f.OperationsAsync(service)).Where(o => o.Method == "GET" && !o.IsPublic && !o.Path.Contains('{')))
        {
            var query = QueryNames(operation);
            var chosen = query.Where(selectors.ContainsKey).GroupBy(n => n.Replace("From", "").Replace("To", "") is var g && g is "from" or "to" ? "period" : g)
                .Select(g => g.ToList()).DefaultIfEmpty([]).ToList();
            foreach (var names in chosen)
            {
                asked++;
                // The values a read needs (a season), without any selector but the one tried (the recall takes exactly one).
                var path = ValidRequests.WithQuery(operation, operation.Path).Split('?') is var parts && parts.Length == 1 ? parts[0]
                    : string.Join('?', parts[0], string.Join('&', parts[1].Split('&').Where(p => !selectors.ContainsKey(p.Split('=')[0]))));
                path = path.TrimEnd('?');
                var selected = names.Count == 0 ? path
                    : path + (path.Contains('?') ? "&" : "?") + string.Join('&', names.Select(n => $"{n}={Uri.EscapeDataString(selectors[n])}"));
                var unknown = ours.Aggregate(selected, (text, id) =>
                    text.Replace(Uri.EscapeDataString(id), Uri.EscapeDataString(Guid.TryParse(id, out _) ? Guid.NewGuid().ToString() : "ZZ-NOBODY")));
                var (theirStatus, theirBody) = await Read(intruder, selected);
                var (unknownStatus, _) = await Read(intruder, unknown);
                var (ownStatus, ownBody) = await Read(owner, selected);
                if (theirStatus >= 500 || theirStatus != unknownStatus)
                    failures.Add($"GET {selected}: ours {theirStatus}, unknown {unknownStatus}");
                // What an answer echoes of the query itself (the recall's selector) is not a row shown.
                var shown = ours.Where(o => !names.Any(n => selectors[n] == o)).ToList();
                if (shown.FirstOrDefault(theirBody.Contains) is { } leaked)
                    failures.Add($"GET {selected} shows another cooperative {leaked}");
                if (ownStatus == 200 && shown.Any(ownBody.Contains)) ownerSaw.Add(selected);
                else ownerMissed.Add($"{selected} {ownStatus} {ownBody[..Math.Min(ownBody.Length, 300)]}");
            }
        }
        Assert.True(asked >= (service == "Cooperative" ? 12 : 1), $"only {asked} queries in {service}");
        // The selectors do select: our own admin finds our rows through them (recall, EPCIS, certificates, lists).
        Assert.True(ownerSaw.Count >= (service == "Cooperative" ? 8 : 1),
            $"our admin found our rows through only {string.Join(", ", ownerSaw)} in {service}; not through {string.Join("\n", ownerMissed)}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Every identifier of our seeded rows an answer could show: ids, receipt, certificate and member numbers, trace code, waybill, people.</summary>
    private async Task<IReadOnlyList<string>> OursAsync()
    {
        var numbers = await f.System.ScalarAsync<string[]>("Cooperative",
            """
            select array_agg(n) from (select receipt_no as n from receipts where cooperative_id = @Coop
                                      union select certificate_no from certificates where cooperative_id = @Coop
                                      union select member_no from growers where cooperative_id = @Coop) x
            """, new { Coop = MelonSystem.Cooperative });
        return [.. f.SeededIds, .. numbers ?? [], f.TraceCode, f.MasterWaybillNo, .. SecuredSystem.PersonalData];
    }

    /// <summary>Query values that select our seeded rows, by parameter name; a period holds today and the month before.</summary>
    private async Task<Dictionary<string, string>> SelectorsAsync()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var lot = await f.System.ScalarAsync<Guid>("Cooperative",
            "select l.id from lots l join box_sources s on s.lot_id = l.id where l.cooperative_id = @Coop limit 1", new { Coop = MelonSystem.Cooperative });
        var batch = await f.System.ScalarAsync<string>("Cooperative",
            "select batch_no from contract_seedlings where contract_id = @Id limit 1", new { Id = f.SignedContractId });
        return new()
        {
            ["growerId"] = f.Ids["{growerId}"], ["receiptId"] = f.Ids["cooperative/receipts/{id}"], ["lotId"] = lot.ToString(),
            ["contractId"] = f.SignedContractId.ToString(), ["seedlingBatch"] = batch ?? "DR-2026-01",
            ["orderId"] = f.OrderId.ToString(), ["buyerId"] = f.BuyerId.ToString(),
            ["from"] = today.AddDays(-30).ToString("yyyy-MM-dd"), ["to"] = today.ToString("yyyy-MM-dd"),
            ["harvestedFrom"] = today.AddDays(-30).ToString("yyyy-MM-dd"), ["harvestedTo"] = today.ToString("yyyy-MM-dd"),
        };
    }

    private static List<string> QueryNames(Operation operation) =>
        operation.Spec.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!).ToList()
            : [];

    private static async Task<(int Status, string Body)> Read(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var media = response.Content.Headers.ContentType?.MediaType ?? "";
        // A PDF's text is compressed: its status still counts, its bytes are not searched.
        return ((int)response.StatusCode, media.Contains("json") || media.StartsWith("text/") ? await response.Content.ReadAsStringAsync() : "");
    }

    [Fact]
    public async Task Another_buyer_of_the_same_cooperative_cannot_read_the_shipment_and_its_own_buyer_can()
    {
        var owner = await f.System.AsAsync("buyer", "buyer-a", buyerId: f.BuyerId);
        var other = await f.System.AsAsync("buyer", "buyer-b", buyerId: Guid.NewGuid());

        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/api/v1/tracking/shipments/{f.MasterWaybillNo}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/tracking/shipments/{f.MasterWaybillNo}")).StatusCode);
        var list = await other.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/tracking/my/shipments");
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Another_courier_cannot_see_or_touch_the_pickup_and_shipment_courier_A_holds()
    {
        var other = await f.System.AsAsync("courier", "courier-b", courierId: "C-B");
        var before = await f.SnapshotAsync();
        var pickup = f.Ids["dispatch/pickups/{id}"];
        var shipment = f.Ids["dispatch/shipments/{id}"];

        var statuses = new Dictionary<string, HttpStatusCode>
        {
            ["GET pickup"] = (await other.GetAsync($"/api/v1/dispatch/pickups/{pickup}")).StatusCode,
            ["GET boxes"] = (await other.GetAsync($"/api/v1/dispatch/pickups/{pickup}/boxes")).StatusCode,
            ["accept"] = await Send(other, "POST", $"/api/v1/dispatch/pickups/{pickup}/accept", new JsonObject()),
            ["schedule"] = await Send(other, "POST", $"/api/v1/dispatch/pickups/{pickup}/schedule", ValidRequests.Obj(new
            {
                windowStart = DateTimeOffset.UtcNow.AddHours(2), windowEnd = DateTimeOffset.UtcNow.AddHours(4),
            })),
            ["collect"] = await Send(other, "POST", $"/api/v1/dispatch/pickups/{pickup}/collect", ValidRequests.Obj(new { traceCodes = new[] { f.TraceCode } })),
            ["GET shipment"] = (await other.GetAsync($"/api/v1/dispatch/shipments/{shipment}")).StatusCode,
            ["GET waybill labels"] = (await other.GetAsync($"/api/v1/dispatch/shipments/{shipment}/waybills.pdf")).StatusCode,
            ["GET manifest"] = (await other.GetAsync($"/api/v1/dispatch/pickups/{pickup}/manifest.pdf")).StatusCode,
        };

        // A collected pickup answers 409 to its own courier, so "not found" here is the object check, not the state.
        // Accepting is the one exception by design: every courier saw the pickup while it was open, and the one who
        // lost the race is told it was taken (409), nothing more.
        Assert.All(statuses.Where(s => s.Key != "accept"), s => Assert.True(s.Value == HttpStatusCode.NotFound, $"{s.Key}: {(int)s.Value}"));
        Assert.Equal(HttpStatusCode.Conflict, statuses["accept"]);
        Assert.Empty(await f.WrittenSinceAsync(before));
    }

    private static string Unknown(string path) =>
        System.Text.RegularExpressions.Regex.Replace(path, "{([^}]+)}", m => m.Value switch
        {
            "{waybillNo}" => "SF9999999999999",
            "{traceCode}" => "ZZZZZZZZZZ",
            _ => Guid.NewGuid().ToString(),
        });

    private static async Task<HttpStatusCode> Send(HttpClient client, string method, string path, JsonNode? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        // Every POST carries an Idempotency-Key, as the apps send them (money that moves is refused without one: 428).
        if (method == "POST") request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
