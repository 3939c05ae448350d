extern alias dispatch;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.ServiceDefaults.Security;
using MelonChain.Testing;
using UglyToad.PdfPig;
using SfProtocol = dispatch::MelonChain.Dispatch.Features.Carrier.Sf.SfProtocol;

namespace MelonChain.Dispatch.Tests;

public sealed class WaybillLabelFixture : DispatchFixture
{
    // Labels are asked again a second after a carrier failure (then 2, 4 … s), so a test sees them come after a fault.
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Dispatch:WaybillLabels:IntervalSeconds"] = "1",
    };

    /// <summary>The simulator's cloud-print calls, by service code or method, counted as they arrive.</summary>
    public ConcurrentDictionary<string, int> Calls { get; } = new();

    /// <summary>While true, every cloud-print call fails (HTTP 500) as a carrier that is down for printing would.</summary>
    public volatile bool PrintingDown;

    /// <summary>Counts the simulator's calls (and fails printing while <see cref="PrintingDown"/>), from the first test on.</summary>
    public void Watch() =>
        Simulator.WhileCarrierThinks ??= code =>
        {
            Calls.AddOrUpdate(code, 1, (_, n) => n + 1);
            if (PrintingDown && code is "COM_RECE_CLOUD_PRINT_WAYBILLS" or "jingdong.cloud.print.render")
                throw new InvalidOperationException("cloud print is down");
            return Task.CompletedTask;
        };
}

/// <summary>
/// 电子面单 and 交接单: after booking Dispatch fetches each carrier order's labels from the carrier's cloud print (SF: at
/// most 20 documents a call, each file fetched with its token; JD: its render call) and serves them as one PDF per
/// shipment, one label per parcel with its Code 128 barcode, cities and our custom area; the collection's manifest lists
/// every box handed over. A courier sees only its own pickups' documents.
/// </summary>
public class WaybillLabelTests : IClassFixture<WaybillLabelFixture>
{
    private readonly WaybillLabelFixture f;

    public WaybillLabelTests(WaybillLabelFixture fixture)
    {
        f = fixture;
        f.Watch();
    }

    private static readonly TimeSpan LabelsWithin = TimeSpan.FromSeconds(180);

    private async Task<(Guid PickupId, JsonElement Shipment)> CollectAsync(int boxes, string? carrier = null)
    {
        var (pickupId, _, codes) = await f.OpenPickupAsync(boxes, carrier: carrier);
        (await f.CourierA.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null)).EnsureSuccessStatusCode();
        var (response, _) = await f.CollectWithRetriesAsync(f.CourierA, pickupId, codes);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (pickupId, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>The shipment's waybills.pdf once the carrier's labels are all in (503 waybill-labels-pending until then).</summary>
    private async Task<byte[]> WaybillsPdfAsync(HttpClient caller, Guid shipmentId) =>
        await Eventually.Until(async () =>
        {
            using var response = await caller.GetAsync($"/api/v1/dispatch/shipments/{shipmentId}/waybills.pdf");
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable) return null;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
            return await response.Content.ReadAsByteArrayAsync();
        }, pdf => pdf is not null, LabelsWithin, "the carrier's waybill labels") ?? [];

    private static List<string> PageTexts(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.GetPages().Select(p => p.Text).ToList();
    }

    private static List<(string WaybillNo, string TraceCode)> Waybills(JsonElement shipment) =>
        shipment.GetProperty("waybills").EnumerateArray().Select(w => (w.GetProperty("waybillNo").GetString()!, w.GetProperty("traceCode").GetString()!)).ToList();

    [Fact]
    public async Task A_waybill_label_carries_a_Code_128_barcode_of_its_waybill_number_the_cities_and_our_custom_area_in_Chinese()
    {
        var (_, shipment) = await CollectAsync(3);
        var pdf = await WaybillsPdfAsync(f.CourierA, shipment.GetProperty("id").GetGuid());

        var pages = PageTexts(pdf);
        Assert.Equal(3, pages.Count);
        var waybills = Waybills(shipment);
        for (var i = 0; i < 3; i++)
        {
            Assert.Contains(waybills[i].WaybillNo, pages[i]);
            Assert.Contains("承诺达标合格证", pages[i]);
            Assert.Contains($"溯源码 {waybills[i].TraceCode}", pages[i]);
            Assert.Contains("江门市", pages[i]);
            Assert.Contains("北京市", pages[i]);
            Assert.Contains("顺丰速运", pages[i]);
        }
        using (var document = PdfDocument.Open(pdf))
        {
            var page = document.GetPage(1);
            Assert.Equal(76, Math.Round(page.Width / 72 * 25.4));
            Assert.Equal(130, Math.Round(page.Height / 72 * 25.4));
        }
        foreach (var at in new[] { 1, 3 })
        {
            var (_, pgm) = await LabelImage.RenderPageAsync(pdf, at, dpi: 300);
            Assert.Equal(waybills[at - 1].WaybillNo, LabelImage.DecodeCode128(pgm));
        }
    }

    [Fact]
    public async Task A_1200_box_shipment_gets_one_label_per_parcel_from_sixty_cloud_print_calls_and_a_manifest_of_every_box()
    {
        var printsBefore = f.Calls.GetValueOrDefault("COM_RECE_CLOUD_PRINT_WAYBILLS");
        var (pickupId, shipment) = await CollectAsync(1200);
        Assert.Equal(4, shipment.GetProperty("carrierOrders").GetArrayLength());
        var pdf = await WaybillsPdfAsync(f.Dispatcher, shipment.GetProperty("id").GetGuid());

        var pages = PageTexts(pdf);
        var waybills = Waybills(shipment);
        Assert.Equal(1200, pages.Count);
        Assert.Equal(1200, waybills.Select(w => w.WaybillNo).Distinct().Count());
        var byWaybill = waybills.ToDictionary(w => w.WaybillNo, w => w.TraceCode);
        // A child's label names its master too (母单号): the label's own number is the one not named as the master.
        var printed = pages.Select(text => byWaybill.Keys.Where(text.Contains).ToList() is [var only] ? only
            : byWaybill.Keys.Single(w => text.Contains(w) && !text.Contains("母单号 " + w))).ToList();
        Assert.Equal(waybills.Select(w => w.WaybillNo), printed);
        Assert.All(pages.Zip(printed), p => Assert.Contains($"溯源码 {byWaybill[p.Second]}", p.First));
        Assert.True(f.Calls.GetValueOrDefault("COM_RECE_CLOUD_PRINT_WAYBILLS") - printsBefore >= 60, "SF prints at most 20 documents a call");

        using var manifest = await f.CourierA.GetAsync($"/api/v1/dispatch/pickups/{pickupId}/manifest.pdf");
        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
        var text = string.Join("\n", PageTexts(await manifest.Content.ReadAsByteArrayAsync()));
        Assert.Contains("揽收交接单", text);
        Assert.Contains("快递员签字", text);
        Assert.Contains("合作社经办人签字", text);
        Assert.Contains("C-A", text);
        Assert.Contains("合计：1200 箱", text);
        foreach (var order in shipment.GetProperty("carrierOrders").EnumerateArray())
            Assert.Contains($"{order.GetProperty("carrierOrderId").GetString()}　母单号 {order.GetProperty("masterWaybillNo").GetString()}　300 箱　1,500.0 kg", text);
        Assert.All(waybills, w => Assert.Contains(w.TraceCode, text));
        Assert.All(waybills, w => Assert.Contains(w.WaybillNo, text));
    }

    [Fact]
    public async Task JD_renders_its_own_labels_one_page_per_package_from_one_call_per_carrier_order()
    {
        var (_, shipment) = await CollectAsync(4, carrier: "jd");
        var pdf = await WaybillsPdfAsync(f.CourierA, shipment.GetProperty("id").GetGuid());

        var pages = PageTexts(pdf);
        var packages = Waybills(shipment);
        Assert.Equal(4, pages.Count);
        for (var i = 0; i < 4; i++)
        {
            Assert.Contains(packages[i].WaybillNo, pages[i]);
            Assert.Contains("京东物流", pages[i]);
            Assert.Contains($"溯源码 {packages[i].TraceCode}", pages[i]);
        }
        var (_, pgm) = await LabelImage.RenderPageAsync(pdf, 2, dpi: 400);
        Assert.Equal(packages[1].WaybillNo, LabelImage.DecodeCode128(pgm));
    }

    [Fact]
    public async Task A_courier_sees_the_waybills_and_manifest_of_its_own_pickups_only()
    {
        var (pickupId, shipment) = await CollectAsync(2);
        var id = shipment.GetProperty("id").GetGuid();
        await WaybillsPdfAsync(f.CourierA, id);

        Assert.Equal(HttpStatusCode.NotFound, (await f.CourierB.GetAsync($"/api/v1/dispatch/shipments/{id}/waybills.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await f.CourierB.GetAsync($"/api/v1/dispatch/pickups/{pickupId}/manifest.pdf")).StatusCode);
        var otherCoop = f.Dispatch.As(Roles.Clerk, "clerk-other", cooperative: "coop-other");
        Assert.Equal(HttpStatusCode.NotFound, (await otherCoop.GetAsync($"/api/v1/dispatch/shipments/{id}/waybills.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherCoop.GetAsync($"/api/v1/dispatch/pickups/{pickupId}/manifest.pdf")).StatusCode);
        var clerk = f.Dispatch.As(Roles.Clerk, "clerk-1");
        Assert.Equal(HttpStatusCode.OK, (await clerk.GetAsync($"/api/v1/dispatch/shipments/{id}/waybills.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clerk.GetAsync($"/api/v1/dispatch/pickups/{pickupId}/manifest.pdf")).StatusCode);
    }

    [Fact]
    public async Task A_manifest_is_for_a_collected_pickup()
    {
        var (pickupId, _, _) = await f.OpenPickupAsync(1);
        (await f.CourierA.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null)).EnsureSuccessStatusCode();

        using var response = await f.CourierA.GetAsync($"/api/v1/dispatch/pickups/{pickupId}/manifest.pdf");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("pickup-not-collected", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_booking_never_fails_because_printing_fails_and_the_labels_come_when_the_carrier_prints_again()
    {
        f.PrintingDown = true;
        try
        {
            var (_, shipment) = await CollectAsync(2);
            var id = shipment.GetProperty("id").GetGuid();
            await Eventually.Until(() => f.ScalarAsync<int>("select max(labels_tries) from carrier_orders where shipment_id = @id", new { id }),
                tries => tries >= 2, TimeSpan.FromSeconds(60), "the label worker to try and fail");
            using var pending = await f.CourierA.GetAsync($"/api/v1/dispatch/shipments/{id}/waybills.pdf");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, pending.StatusCode);
            Assert.Equal("waybill-labels-pending", (await pending.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
            // Printing's failures open no circuit: bookings go on while the carrier cannot print.
            await Eventually.Until(() => f.ScalarAsync<int>("select max(labels_tries) from carrier_orders where shipment_id = @id", new { id }),
                tries => tries >= 4, TimeSpan.FromSeconds(60), "the label worker to keep failing");
            var (_, another) = await CollectAsync(1);
            Assert.Equal("pending", another.GetProperty("status").GetString());

            f.PrintingDown = false;
            var pdf = await WaybillsPdfAsync(f.CourierA, id);
            Assert.Equal(2, PageTexts(pdf).Count);
            Assert.Null(await f.ScalarAsync<string>("select labels_error from carrier_orders where shipment_id = @id", new { id }));
        }
        finally { f.PrintingDown = false; }
    }

    [Fact]
    public async Task SF_refuses_more_than_twenty_documents_in_one_cloud_print_call()
    {
        var (_, shipment) = await CollectAsync(21);
        var master = shipment.GetProperty("masterWaybillNo").GetString()!;
        var documents = Waybills(shipment).Select(w => new { masterWaybillNo = master, branchWaybillNo = w.WaybillNo == master ? null : w.WaybillNo }).ToList();
        var msgData = JsonSerializer.Serialize(new
        {
            templateCode = "fm_76130_standard_MELONCHAIN_DEV", version = "2.0", fileType = "pdf", sync = true, documents,
        });

        using var response = await f.Simulator.Admin.PostAsync("/std/service", new FormUrlEncodedContent(SfProtocol.Envelope(
            "MELONCHAIN_DEV", "COM_RECE_CLOUD_PRINT_WAYBILLS", msgData, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), DispatchFixture.CheckWord, Guid.NewGuid())));

        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("A1001", answer.GetProperty("apiResultCode").GetString());
        Assert.Contains("at most 20", answer.GetProperty("apiErrorMsg").GetString());
    }
}
