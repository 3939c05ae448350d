using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Messages.ContractGrowing;
using MelonChain.Tracking.Features.PersonalData;
using Microsoft.Extensions.DependencyInjection;

namespace MelonChain.Tracking.Tests;

/// <summary>
/// PIPL: the consignee's name, phone and address, the signer a carrier's remark names and the contract grower's name and
/// phone are kept only for the retention period after the shipment ended (Tracking:Retention:PersonalDataDays, 90);
/// what the books and traceability need stays.
/// </summary>
public class PersonalDataRetentionTests(TrackingFixture f) : IClassFixture<TrackingFixture>
{
    private const string GrowerPhone = "13622223333";
    private const string GrowerName = "梁大田";

    private static ContractSigned Contract(DateTimeOffset at) =>
        new(Guid.NewGuid(), at, ShipmentStory.Coop, Guid.NewGuid(), Guid.NewGuid(), "恩平市大田镇", 4_000, "2026-autumn", 3_000_000,
            new Dictionary<string, long> { ["grade1"] = 700 }, "DR-2026-01", new ContractGrower(GrowerName, GrowerPhone, "大田镇", "大田村"));

    [Fact]
    public async Task Personal_data_is_dropped_once_past_the_period_after_the_shipment_ended_and_nothing_else_changes_or_changes_twice()
    {
        var now = DateTimeOffset.UtcNow;
        var old = ShipmentStory.Create(now.AddDays(-100));
        var recent = ShipmentStory.Create(now.AddDays(-10));
        var oldContract = Contract(now.AddDays(-200));
        var recentContract = Contract(now.AddDays(-10));
        await f.PublishAsync([.. old.Events, .. recent.Events, oldContract, recentContract]);
        await f.WaitForWholeStoryAsync(old);
        await f.WaitForWholeStoryAsync(recent);
        await MelonChain.Testing.Eventually.Until(() => CountAsync("select count(*) from event_log where event_type = 'contract-signed'"),
            n => n == 4, TimeSpan.FromSeconds(30), "both contracts kept");
        var publicBefore = await f.Tracking.CreateClient().GetStringAsync($"/api/v1/tracking/public/track/{old.MasterWaybill}?phoneLast4=2222");
        var buyerBefore = await f.Buyer(old.BuyerId).GetFromJsonAsync<JsonElement>($"/api/v1/tracking/shipments/{old.MasterWaybill}");

        var job = f.Tracking.Services.GetRequiredService<PersonalDataRetention>();
        var masked = await job.MaskAsync(CancellationToken.None);

        Assert.True(masked > 0);
        var oldRows = await PersonalTextAsync(old.OrderId, oldContract.EventId);
        Assert.DoesNotContain(ShipmentStory.ContactName, oldRows);
        Assert.DoesNotContain(ShipmentStory.Phone, oldRows);
        Assert.DoesNotContain(ShipmentStory.Street, oldRows);
        Assert.DoesNotContain(GrowerPhone, oldRows);
        Assert.DoesNotContain(GrowerName, oldRows);
        Assert.Contains("北京", oldRows); // the city stays: freight and where the melons went
        Assert.Contains("大田村", oldRows); // the grower's village stays: provenance
        var recentRows = await PersonalTextAsync(recent.OrderId, recentContract.EventId);
        Assert.Contains(ShipmentStory.ContactName, recentRows);
        Assert.Contains(ShipmentStory.Phone, recentRows);
        Assert.Contains(ShipmentStory.Street, recentRows);
        Assert.Contains(GrowerPhone, recentRows);

        // The buyer's shipment keeps everything but the signer's name in the carrier's remarks; prices, boxes and scans stay.
        var buyerAfter = await f.Buyer(old.BuyerId).GetFromJsonAsync<JsonElement>($"/api/v1/tracking/shipments/{old.MasterWaybill}");
        Assert.Equal(buyerBefore.GetProperty("listFen").GetInt64(), buyerAfter.GetProperty("listFen").GetInt64());
        Assert.Equal(buyerBefore.GetProperty("boxes").GetRawText(), buyerAfter.GetProperty("boxes").GetRawText());
        Assert.Equal(5, buyerAfter.GetProperty("timeline").GetArrayLength());
        Assert.All(buyerAfter.GetProperty("timeline").EnumerateArray(), t => Assert.Equal("", t.GetProperty("remark").GetString()));
        // The public pages never showed any of it; without the phone's last digits the parcel is no longer tracked by phone.
        Assert.DoesNotContain(ShipmentStory.ContactName, publicBefore);
        Assert.DoesNotContain(ShipmentStory.Phone, publicBefore);
        Assert.DoesNotContain(ShipmentStory.Street, publicBefore);
        Assert.Equal(HttpStatusCode.NotFound,
            (await f.Tracking.CreateClient().GetAsync($"/api/v1/tracking/public/track/{old.MasterWaybill}?phoneLast4=2222")).StatusCode);
        var trace = await f.Tracking.CreateClient().GetStringAsync($"/api/v1/tracking/public/trace/{old.TraceCodes[0]}");
        Assert.Contains("SX-007", trace);
        Assert.DoesNotContain(ShipmentStory.ContactName, trace);
        Assert.DoesNotContain(GrowerPhone, trace);

        // Idempotent: a second pass finds nothing and changes no row.
        var before = await EverythingAsync();
        Assert.Equal(0, await job.MaskAsync(CancellationToken.None));
        Assert.Equal(before, await EverythingAsync());
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = f.Db.Open();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Every kept event and read-model row of the order and the contract event, as text.</summary>
    private async Task<string> PersonalTextAsync(Guid orderId, Guid contractEventId)
    {
        await using var connection = f.Db.Open();
        await using var command = new Npgsql.NpgsqlCommand(
            """
            select coalesce(string_agg(body::text, '|'), '') from event_log where body ->> 'orderId' = @order or event_id = @contract
            union all select coalesce(string_agg(row_to_json(s)::text, '|'), '') from shipments s where order_id = @orderId
            union all select coalesce(string_agg(row_to_json(t)::text, '|'), '') from timeline t where order_id = @orderId
            """, connection);
        command.Parameters.AddWithValue("order", orderId.ToString());
        command.Parameters.AddWithValue("orderId", orderId);
        command.Parameters.AddWithValue("contract", contractEventId);
        var parts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) parts.Add(reader.GetString(0));
        return string.Join("\n", parts);
    }

    private async Task<string> EverythingAsync()
    {
        await using var connection = f.Db.Open();
        await using var command = new Npgsql.NpgsqlCommand(
            """
            select (select string_agg(body::text, '|' order by seq) from event_log)
                || (select string_agg(row_to_json(s)::text, '|' order by order_id) from shipments s)
                || (select string_agg(row_to_json(t)::text, '|' order by event_id) from timeline t)
            """, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
