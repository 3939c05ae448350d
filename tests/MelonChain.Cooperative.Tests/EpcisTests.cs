using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MelonChain.Cooperative.Tests;

/// <summary>The cooperative's chain exported as GS1 EPCIS 2.0 JSON-LD, valid against GS1's schema (tests/MelonChain.Testing/Epcis).</summary>
public class EpcisTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static DateOnly Today => CooperativeFixture.Today;

    private static string Period => $"from={Today.AddDays(-1):yyyy-MM-dd}&to={Today.AddDays(3):yyyy-MM-dd}";

    [Fact]
    public async Task Receiving_grading_with_a_correction_packing_boxing_and_shipping_export_as_a_valid_epcis_document()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, memberNo) = await c.Grower();
        var withCertificate = (await c.Post("/api/v1/cooperative/receipts", new
        {
            growerId = grower, harvestedOn = Today.ToString("yyyy-MM-dd"), grossKg = 51m, crates = 2,
            growerCertificate = new { presented = true, number = "蓬江-2026-000318" },
        })).GetProperty("id").GetGuid();
        await c.Post($"/api/v1/cooperative/receipts/{withCertificate}/grading", new { lines = new[] { new { grade = "grade2", kg = 50m } } });
        await c.Post($"/api/v1/cooperative/receipts/{withCertificate}/grading/reversal", new { reason = "应为一级" });
        var corrected = await c.Post($"/api/v1/cooperative/receipts/{withCertificate}/grading", new { lines = new[] { new { grade = "grade1", kg = 50m } } });
        var second = await c.Harvest(grower, Today, ("grade1", 20m), ("offgrade", 5m));
        var buyer = await c.Buyer();
        var order = await c.Order(buyer, ("grade1", 60m, 900));
        var packed = await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });
        var certificateNo = packed.GetProperty("certificateNo").GetString()!;
        var codes = packed.GetProperty("boxes").EnumerateArray().Select(b => b.GetProperty("traceCode").GetString()!).ToList();
        // The carrier collects and books every box under its own waybill.
        await f.PublishAsync(new MelonChain.Messages.Dispatch.ShipmentBooked(Guid.NewGuid(), DateTimeOffset.UtcNow, c.CooperativeId, Guid.NewGuid(), order, buyer,
            "SF", "express", "SF2000000000001", codes.Select((code, i) => new MelonChain.Messages.Dispatch.BookedWaybill($"SF20000000000{i + 1:D2}", code)).ToList(),
            60_000, 12_000, 9_000, DateTimeOffset.UtcNow.AddDays(2)));
        await Eventually.Until(() => f.CountAsync("select count(*) from boxes where order_id = @order and waybill_no is not null", new { order }),
            n => n == codes.Count, TimeSpan.FromSeconds(30), "every box's waybill known");

        var response = await c.Http.GetAsync($"/api/v1/cooperative/epcis?{Period}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/ld+json", response.Content.Headers.ContentType?.MediaType);
        var json = await response.Content.ReadAsStringAsync();

        Assert.Empty(EpcisSchema.Validate(json));
        var events = JsonNode.Parse(json)!["epcisBody"]!["eventList"]!.AsArray().Select(e => e!.AsObject()).ToList();
        string Step(JsonObject e) => $"{e["type"]}/{e["bizStep"]}";
        // Two receipts, three gradings and the first again declared in error, one packing, 12 boxes, one shipping.
        Assert.Equal(2, events.Count(e => Step(e) == "ObjectEvent/receiving"));
        Assert.Equal(4, events.Count(e => Step(e) == "TransformationEvent/inspecting"));
        Assert.Equal(codes.Count, events.Count(e => Step(e) == "AggregationEvent/packing"));
        Assert.Equal(12, codes.Count);

        var received = events.Single(e => Step(e) == "ObjectEvent/receiving" && e["certificationInfo"] is not null);
        Assert.Equal("ADD", (string?)received["action"]);
        Assert.Equal(51m, (decimal)received["quantityList"]![0]!["quantity"]!);
        Assert.EndsWith(":member:" + memberNo, (string?)received["sourceList"]![0]!["source"]);

        var gradings = events.Where(e => Step(e) == "TransformationEvent/inspecting").ToList();
        var declared = gradings.Single(e => e["errorDeclaration"] is not null);
        var mistaken = gradings.Single(e => e["errorDeclaration"] is null && (int)e["mc:gradingNo"]! == 1 && (string?)e["mc:receiptNo"] == (string?)declared["mc:receiptNo"]);
        var correction = gradings.Single(e => (int)e["mc:gradingNo"]! == 2);
        Assert.Equal((string?)mistaken["eventID"], (string?)declared["eventID"]);
        Assert.Equal("incorrect_data", (string?)declared["errorDeclaration"]!["reason"]);
        Assert.Equal("应为一级", (string?)declared["errorDeclaration"]!["mc:reason"]);
        Assert.Equal((string?)correction["eventID"], (string?)declared["errorDeclaration"]!["correctiveEventIDs"]![0]);
        Assert.Equal(corrected.GetProperty("lots")[0].GetProperty("id").GetGuid().ToString(),
            ((string?)correction["outputQuantityList"]![0]!["epcClass"])!.Split(':').Last());

        var packing = events.Single(e => Step(e) == "TransformationEvent/commissioning");
        Assert.EndsWith(":certificate:" + certificateNo, (string?)packing["certificationInfo"]);
        var boxUrls = packing["outputEPCList"]!.AsArray().Select(n => (string)n!).ToList();
        Assert.Equal(codes.Select(code => $"http://127.0.0.1:8080/trace/{code}").Order(), boxUrls.Order());
        // 60 kg packed: 50 from the corrected grading's lot, 10 from the second receipt's; the boxes hold the same.
        Assert.Equal(60m, packing["inputQuantityList"]!.AsArray().Sum(q => (decimal)q!["quantity"]!));
        Assert.Equal(60m, events.Where(e => Step(e) == "AggregationEvent/packing")
            .Sum(e => e["childQuantityList"]!.AsArray().Sum(q => (decimal)q!["quantity"]!)));

        var shipping = events.Single(e => Step(e) == "ObjectEvent/shipping");
        Assert.Equal(boxUrls.Order(), shipping["epcList"]!.AsArray().Select(n => (string)n!).Order());
        Assert.Equal(codes.Count, shipping["bizTransactionList"]!.AsArray().Count(t => (string?)t!["type"] == "bol"));
        Assert.Contains(shipping["bizTransactionList"]!.AsArray(), t => (string?)t!["bizTransaction"] == "urn:melonchain:waybill:SF2000000000001");
        // Buyers by id only: no name, contact or phone in the document.
        Assert.DoesNotContain("13911112222", json);
        Assert.DoesNotContain("王经理", json);

        // The same period exported again names every event the same.
        var again = JsonNode.Parse(await c.Http.GetStringAsync($"/api/v1/cooperative/epcis?{Period}"))!["epcisBody"]!["eventList"]!.AsArray();
        Assert.Equal(events.Select(e => (string?)e["eventID"]), again.Select(e => (string?)e!["eventID"]));
        _ = second;
    }

    [Fact]
    public async Task The_schema_check_refuses_an_event_without_its_time_zone_or_with_an_unknown_field()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();
        await c.Harvest(grower, Today, ("grade1", 10m));
        var json = await c.Http.GetStringAsync($"/api/v1/cooperative/epcis?{Period}");
        Assert.Empty(EpcisSchema.Validate(json));

        var noOffset = JsonNode.Parse(json)!;
        noOffset["epcisBody"]!["eventList"]![0]!.AsObject().Remove("eventTimeZoneOffset");
        Assert.NotEmpty(EpcisSchema.Validate(noOffset.ToJsonString()));
        var unknownField = JsonNode.Parse(json)!;
        unknownField["epcisBody"]!["eventList"]![0]!["receipt number"] = "SX-1";
        Assert.NotEmpty(EpcisSchema.Validate(unknownField.ToJsonString()));
    }

    [Theory]
    [InlineData("from=2026-11-20&to=2026-11-19", "to before from")]
    [InlineData("from=2025-01-01&to=2026-11-19", "over a year")]
    [InlineData("from=yesterday", "not a date")]
    public async Task A_period_that_cannot_be_exported_is_a_clear_error(string query, string because)
    {
        var c = await f.NewCooperativeAsync();
        var response = await c.Http.GetAsync($"/api/v1/cooperative/epcis?{query}");
        Assert.True(response.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest, $"{because}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
