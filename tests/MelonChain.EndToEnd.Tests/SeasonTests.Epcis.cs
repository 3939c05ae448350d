using MelonChain.Testing;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MelonChain.EndToEnd.Tests;

public partial class SeasonTests
{
    /// <summary>
    /// The demo season exported for a buyer's system: one EPCIS 2.0 document, valid against GS1's schema, in which
    /// every box of the season's orders is packed under its certificate, aggregated from its lots and shipped.
    /// </summary>
    [Fact]
    public async Task The_demo_seasons_epcis_document_validates_against_gs1s_schema_and_carries_every_box()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        // The simulated carrier runs days ahead of the wall clock: the period reaches past its last collection.
        var json = await f.Clerk.GetStringAsync($"{Cooperative}/epcis?from={today.AddDays(-10):yyyy-MM-dd}&to={today.AddDays(30):yyyy-MM-dd}");

        Assert.Empty(EpcisSchema.Validate(json));
        var events = JsonNode.Parse(json)!["epcisBody"]!["eventList"]!.AsArray().Select(e => e!.AsObject()).ToList();
        string Step(JsonObject e) => $"{e["type"]}/{e["bizStep"]}";
        Assert.True(events.Count(e => Step(e) == "ObjectEvent/receiving") >= 56, "the week's 56 receipts received");
        Assert.True(events.Count(e => Step(e) == "TransformationEvent/inspecting") >= 56, "and graded");

        var shipped = (await Orders()).Where(o => o.GetProperty("status").GetString() is "delivered" or "settled").ToList();
        Assert.True(shipped.Count >= 2, "the Beijing and Shanghai orders delivered");
        foreach (var order in shipped)
        {
            var boxes = order.GetProperty("boxes").EnumerateArray().Select(b => new Uri(f.System.Gateway, $"/trace/{b.GetProperty("traceCode").GetString()}").ToString()).Order().ToList();
            var certificate = await f.Clerk.GetFromJsonAsync<System.Text.Json.JsonElement>($"{Cooperative}/orders/{order.GetProperty("id").GetGuid()}/certificate");
            var packing = events.Single(e => Step(e) == "TransformationEvent/commissioning"
                && e["outputEPCList"]!.AsArray().Select(n => (string)n!).Order().SequenceEqual(boxes));
            Assert.EndsWith(":certificate:" + certificate.GetProperty("certificateNo").GetString(), (string?)packing["certificationInfo"]);
            Assert.Equal(boxes, events.Where(e => Step(e) == "AggregationEvent/packing").Select(e => (string)e["parentID"]!).Where(boxes.Contains).Order());
            var shipping = events.Single(e => Step(e) == "ObjectEvent/shipping" && e["epcList"]!.AsArray().Select(n => (string)n!).Order().SequenceEqual(boxes));
            Assert.Contains(shipping["bizTransactionList"]!.AsArray(), t => (string?)t!["type"] == "bol");
        }
    }
}
