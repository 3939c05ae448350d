using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MelonChain.Security.Tests;

/// <summary>
/// S3: a request cannot set what its role may not — ids, the cooperative, statuses, numbers the system assigns,
/// prices and money the system computes — and cannot point at another cooperative's rows.
/// </summary>
[Collection(Secured.Name)]
public class MassAssignmentTests(SecuredSystem f)
{
    private const string Planted = "PLANTED-BY-MALLORY";
    private static readonly Guid PlantedId = Guid.Parse("0badc0de-0000-4000-8000-00000000dead");

    /// <summary>Fields no create request documents, each with a value that must not land anywhere.</summary>
    private static readonly Dictionary<string, JsonNode> Planted_ = new()
    {
        ["id"] = PlantedId.ToString(), ["cooperativeId"] = Planted, ["coop"] = Planted, ["status"] = Planted,
        ["receiptNo"] = Planted, ["recordedBy"] = Planted, ["registeredAt"] = "2001-01-01T00:00:00Z", ["receivedAt"] = "2001-01-01T00:00:00Z",
        ["createdAt"] = "2001-01-01T00:00:00Z", ["freightFen"] = 987654321, ["listFen"] = 987654321, ["negotiatedFen"] = 987654321,
        ["payoutFen"] = 987654321, ["courierId"] = Planted, ["shipmentId"] = PlantedId.ToString(), ["version"] = 987654321,
        ["allocatedGrams"] = 987654321, ["signedAt"] = "2001-01-01T00:00:00Z",
    };

    [Fact]
    public async Task Fields_a_create_does_not_document_are_ignored_and_land_nowhere()
    {
        foreach (var (path, valid) in BadInputTests.Samples.Where(s => !s.Path.EndsWith("/quotes")))
        {
            var body = valid(f);
            if (path.EndsWith("/growers") && path.Contains("cooperative")) body["memberNo"] = "SX-MA-" + Guid.NewGuid().ToString("N")[..4];
            if (path.EndsWith("/seedling-batches")) body["batchNo"] = "DR-MA-" + Guid.NewGuid().ToString("N")[..4];
            foreach (var (field, value) in Planted_) body[field] = value.DeepClone();
            var client = path.Contains("/growing/") ? await f.System.AsAsync("officer", "officer-1") : f.Scenario.Clerk;

            var response = await client.PostAsync(path, new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();

            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
            Assert.DoesNotContain(PlantedId.ToString(), text);
            Assert.DoesNotContain(Planted, text);
            Assert.DoesNotContain("987654321", text);
            Assert.DoesNotContain("2001-01-01", text);
        }
        foreach (var service in SecuredSystem.ServiceNames)
            Assert.Equal(0, await f.System.ScalarAsync<long>(service, Search(service), new { pattern = $"%{Planted}%", id = $"%{PlantedId}%" }));
    }

    [Fact]
    public async Task A_request_cannot_point_at_another_cooperatives_grower_or_buyer()
    {
        var intruder = await f.System.AsAsync("clerk", "clerk-x", "otherco");
        var before = await f.SnapshotAsync();

        var receipt = await intruder.PostAsJsonAsync("/api/v1/cooperative/receipts", BadInputTests.Samples[1].Valid(f));
        var order = await intruder.PostAsJsonAsync("/api/v1/cooperative/orders", BadInputTests.Samples[3].Valid(f));

        Assert.Equal(422, (int)receipt.StatusCode);
        Assert.Equal(422, (int)order.StatusCode);
        Assert.Empty(await f.WrittenSinceAsync(before));
    }

    /// <summary>
    /// The Cooperative's two fields naming a contract — a contract grower's registration and a receipt delivered under a
    /// contract — pointed at another cooperative's signed contract, our contract still a draft, our contract terminated
    /// before it was signed, and a contract nobody has; and a member grower's receipt named under our signed contract.
    /// </summary>
    [Fact]
    public async Task A_request_cannot_name_another_cooperatives_a_draft_a_terminated_or_an_unknown_contract()
    {
        var clerk = f.Scenario.Clerk;
        var before = await f.SnapshotAsync();
        var contracts = new Dictionary<string, Guid>
        {
            ["another cooperative's contract"] = f.OtherCooperativesContractId, ["a draft contract"] = f.DraftContractId,
            ["a terminated contract"] = f.TerminatedContractId, ["a random id"] = Guid.NewGuid(),
        };
        var failures = new List<string>();
        foreach (var (what, contractId) in contracts)
        {
            var grower = await clerk.PostAsJsonAsync("/api/v1/cooperative/growers",
                new { memberNo = "EP-CT-" + Guid.NewGuid().ToString("N")[..4], name = "黄伯", phone = "13800138000", village = "恩平大田", kind = "contract", contractId });
            var receipt = await clerk.PostAsJsonAsync("/api/v1/cooperative/receipts", ReceiptUnder(f.ContractGrowerId, contractId));
            foreach (var (request, response) in new[] { ("contract grower", grower), ("receipt", receipt) })
                if ((int)response.StatusCode != 422 || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    failures.Add($"{request} under {what}: {(int)response.StatusCode}");
        }
        var member = await clerk.PostAsJsonAsync("/api/v1/cooperative/receipts", ReceiptUnder(Guid.Parse(f.Ids["{growerId}"]), f.SignedContractId));
        if ((int)member.StatusCode != 422) failures.Add($"a member grower's receipt under our signed contract: {(int)member.StatusCode}");

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(await f.WrittenSinceAsync(before));
    }

    private static object ReceiptUnder(Guid growerId, Guid contractId) => new { growerId, harvestedOn = Scenario.ChinaToday, grossKg = 20m, crates = 2, contractId };

    /// <summary>A query counting every row of every table whose text holds the planted values.</summary>
    private string Search(string service)
    {
        using var connection = f.System.Databases[service].Open();
        var tables = Dapper.SqlMapper.Query<string>(connection, "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'");
        return "select " + string.Join(" + ", tables.Select(t => $"(select count(*) from \"{t}\" r where r::text like @pattern or r::text like @id)"));
    }
}
