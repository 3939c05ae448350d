using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace MelonChain.Security.Tests;

/// <summary>
/// S2: another cooperative's admin, another buyer and another courier meet every seeded row as if it did not exist:
/// 404 for reads, the same answer as for an unknown id for writes, and nothing written anywhere.
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
