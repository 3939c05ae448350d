using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace MelonChain.Security.Tests;

/// <summary>
/// S2: another cooperative's admin, another buyer and another courier meet every seeded row as if it did not exist:
/// 404 for reads, the same answer as for an unknown id for writes, and nothing written anywhere.
/// </summary>
[Collection(Secured.Name)]
public class ObjectLevelTests(SecuredSystem f)
{
    /// <summary>Bodies that pass validation, so a write reaches the ownership check.</summary>
    private static readonly Dictionary<string, object> ValidBodies = new()
    {
        ["/api/v1/cooperative/receipts/{id}/grading"] = new { lines = new[] { new { grade = "premium", kg = 1m } } },
        ["/api/v1/cooperative/orders/{id}/pack"] = new { },
        ["/api/v1/cooperative/orders/{id}/cancel"] = new { reason = "buyer changed plans" },
        ["/api/v1/dispatch/pickups/{id}/accept"] = new { },
        ["/api/v1/dispatch/pickups/{id}/schedule"] = new { windowStart = DateTimeOffset.UtcNow.AddHours(2), windowEnd = DateTimeOffset.UtcNow.AddHours(4) },
        ["/api/v1/dispatch/pickups/{id}/collect"] = new { traceCodes = new[] { "ABCDEFGHJK" } },
    };

    public static IEnumerable<object[]> Services => SecuredSystem.ServiceNames.Select(s => new object[] { s });

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
            var ours = await Send(intruder, operation, f.Concrete(operation.Path));
            var unknown = await Send(intruder, operation, Unknown(operation.Path));
            var expected = operation.Method == "GET" || ValidBodies.ContainsKey(operation.Path) ? HttpStatusCode.NotFound : unknown;
            if (ours != expected || unknown != expected)
                failures.Add($"{operation}: ours {(int)ours}, unknown {(int)unknown}, expected {(int)expected}");
        }
        Assert.True(tried > 0, $"{service} has no endpoint on a single row");
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
            ["accept"] = await Send(other, "POST", $"/api/v1/dispatch/pickups/{pickup}/accept", ValidBodies["/api/v1/dispatch/pickups/{id}/accept"]),
            ["schedule"] = await Send(other, "POST", $"/api/v1/dispatch/pickups/{pickup}/schedule", ValidBodies["/api/v1/dispatch/pickups/{id}/schedule"]),
            ["collect"] = await Send(other, "POST", $"/api/v1/dispatch/pickups/{pickup}/collect", new { traceCodes = new[] { f.TraceCode } }),
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

    private Task<HttpStatusCode> Send(HttpClient client, Operation operation, string path) =>
        Send(client, operation.Method, path, operation.HasBody ? ValidBodies.GetValueOrDefault(operation.Path, new { }) : null);

    private static async Task<HttpStatusCode> Send(HttpClient client, string method, string path, object? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
