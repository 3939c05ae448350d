using System.Text.Json;
using MelonChain.Dispatch.Tests.Sdk;
using MelonChain.Testing;

namespace MelonChain.Dispatch.Tests;

/// <summary>A simulator whose clock runs a day every 20 seconds (a simulated hour in under a second), so routes appear within a test.</summary>
public sealed class FastSimulator : IAsyncLifetime
{
    public SimulatorHost Host { get; } = new(() => new HttpClientHandler(), secondsPerDay: 20);

    public Task InitializeAsync()
    {
        Host.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// Requests as a client written from SF's published SDK samples sends them (numbers written 1.0, `mobile` for the
/// phone, fields we never use, seconds in `timestamp`, `language` as "zh-cn" or "0"), over HTTP against the simulator,
/// through a client of the test's own (no Dispatch code).
/// </summary>
public class SfSampleRequestTests(FastSimulator sim) : IClassFixture<FastSimulator>
{
    private SfSampleClient Sf => new(sim.Host.Admin, "MELONCHAIN_DEV", DispatchFixture.CheckWord);

    private static string NewOrderId() => "SAMPLE-" + Guid.NewGuid().ToString("N");

    private static string SampleOrder(string orderId, DateTimeOffset? pickupFrom = null, string senderCity = "江门市", string receiverCity = "北京市",
        double parcels = 1.0, double weight = 6.6) => $$"""
        {
          "language": "zh-cn",
          "orderId": "{{orderId}}",
          "cargoDetails": [{ "amount": 308.0, "count": {{parcels:0.0}}, "name": "凉瓜", "unit": "箱", "volume": 0.0, "weight": {{weight:0.0}} }],
          "contactInfoList": [
            { "address": "杜阮镇上巷村", "city": "{{senderCity}}", "company": "上巷村合作社", "contact": "李主任", "contactType": 1.0, "county": "蓬江区",
              "mobile": "13800138000", "province": "广东省" },
            { "address": "朝阳区建国路88号", "city": "{{receiverCity}}", "contact": "王经理", "contactType": 2, "county": "朝阳区",
              "mobile": "13911112222", "tel": "010-88886666", "province": "北京市" }
          ],
          "customsInfo": {}, "expressTypeId": 1.0, "extraInfoList": [], "isOneselfPickup": 0, "isDocall": 1.0,
          "monthlyCard": "7551234567", "payMethod": 1.0, "parcelQty": {{parcels:0.0}}, "totalWeight": {{weight:0.0}}, "serviceList": []
          {{(pickupFrom is { } at ? $", \"sendStartTm\": \"{SfSampleClient.ChinaTime(at)}\"" : "")}}
        }
        """;

    private static string Master(SfAnswer created) => created.MsgData.GetProperty("waybillNoInfoList")[0].GetProperty("waybillNo").GetString()!;

    private static string RouteQuery(int trackingType, string number) =>
        $$"""{"language":"0","trackingType":{{trackingType}}.0,"trackingNumber":["{{number}}"],"methodType":1}""";

    private Task<List<JsonElement>> RoutesAsync(string waybill) =>
        Sf.CallAsync("EXP_RECE_SEARCH_ROUTES", RouteQuery(1, waybill))
            .ContinueWith(t => t.Result.MsgData.GetProperty("routeResps")[0].GetProperty("routes").EnumerateArray().ToList());

    private async Task<SfAnswer> CreateAsync(string msgData)
    {
        var created = await Sf.CallAsync("EXP_RECE_CREATE_ORDER", msgData);
        Assert.True(created.Success, $"{created.ErrorCode} {created.ErrorMsg}");
        return created;
    }

    [Fact]
    public async Task An_order_written_as_SFs_SDK_samples_write_it_is_booked_and_found_again()
    {
        var orderId = NewOrderId();

        var created = await CreateAsync(SampleOrder(orderId, parcels: 3.0, weight: 19.8));
        var found = await Sf.CallAsync("EXP_RECE_SEARCH_ORDER_RESP", $$"""{"orderId":"{{orderId}}","language":"zh-CN"}""");

        Assert.Equal(orderId, created.MsgData.GetProperty("orderId").GetString());
        var waybills = created.MsgData.GetProperty("waybillNoInfoList").EnumerateArray().ToList();
        Assert.Equal([1, 2, 2], waybills.Select(w => w.GetProperty("waybillType").GetInt32()));
        Assert.All(waybills, w => Assert.Matches("^SF[0-9]{13}$", w.GetProperty("waybillNo").GetString()));
        Assert.True(found.Success);
        Assert.Equal(waybills.Select(w => w.GetProperty("waybillNo").GetString()),
            found.MsgData.GetProperty("waybillNoInfoList").EnumerateArray().Select(w => w.GetProperty("waybillNo").GetString()));
    }

    [Fact]
    public async Task An_order_whose_pickup_time_has_not_come_can_be_cancelled_and_then_reports_no_routes()
    {
        var orderId = NewOrderId();
        var created = await CreateAsync(SampleOrder(orderId, pickupFrom: DateTimeOffset.UtcNow.AddDays(2)));

        var cancelled = await Sf.CallAsync("EXP_RECE_UPDATE_ORDER", $$"""{"orderId":"{{orderId}}","dealType":2.0,"language":"zh-cn"}""");

        Assert.True(cancelled.Success, $"{cancelled.ErrorCode} {cancelled.ErrorMsg}");
        Assert.True((await sim.Host.OrderAsync(orderId))!.Value.GetProperty("cancelled").GetBoolean());
        Assert.Empty(await RoutesAsync(Master(created)));
    }

    [Fact]
    public async Task Routes_run_between_the_orders_own_cities_and_are_found_by_waybill_and_by_order_id()
    {
        var orderId = NewOrderId();
        var created = await CreateAsync(SampleOrder(orderId, senderCity: "深圳市", receiverCity: "上海市"));
        var waybill = Master(created);

        // A simulated hour is under a second here: picked up after 1 h, departed the sender's hub 3 h later.
        var routes = await Eventually.Until(() => RoutesAsync(waybill), r => r.Count >= 2, TimeSpan.FromSeconds(30), "pickup and departure");
        var byOrder = await Sf.CallAsync("EXP_RECE_SEARCH_ROUTES", RouteQuery(2, orderId));

        Assert.Equal(("50", "深圳市蓬江区杜阮镇上巷村"), (routes[0].GetProperty("opCode").GetString(), routes[0].GetProperty("acceptAddress").GetString()));
        Assert.Equal(("30", "深圳市"), (routes[1].GetProperty("opCode").GetString(), routes[1].GetProperty("acceptAddress").GetString()));
        Assert.Contains("深圳集散中心", routes[1].GetProperty("remark").GetString());
        var resp = byOrder.MsgData.GetProperty("routeResps")[0];
        Assert.Equal(waybill, resp.GetProperty("mailNo").GetString());
        Assert.Equal("50", resp.GetProperty("routes")[0].GetProperty("opCode").GetString());
    }

    [Fact]
    public async Task The_filter_serves_Guangdong_Beijing_and_Shanghai_and_nothing_else()
    {
        static string Filter(string province, string city) => $$"""
            {"filterType":1.0,"orderId":"F-1","contactInfos":[
              {"contactType":1,"province":"广东省","city":"江门市","county":"蓬江区","address":"杜阮镇上巷村","tel":"0750-3000000"},
              {"contactType":2,"province":"{{province}}","city":"{{city}}","address":"某路1号","mobile":"13900001234"}]}
            """;

        var served = await Sf.CallAsync("EXP_RECE_FILTER_ORDER_BSP", Filter("北京市", "北京市"));
        var unserved = await Sf.CallAsync("EXP_RECE_FILTER_ORDER_BSP", Filter("西藏自治区", "拉萨市"));

        Assert.Equal((2, "750", "010"), (served.MsgData.GetProperty("filterResult").GetInt32(),
            served.MsgData.GetProperty("originCode").GetString(), served.MsgData.GetProperty("destCode").GetString()));
        Assert.Equal(3, unserved.MsgData.GetProperty("filterResult").GetInt32());
    }

    [Fact]
    public async Task Child_waybills_are_added_before_the_order_has_routes_and_refused_with_8168_after()
    {
        var early = NewOrderId();
        await CreateAsync(SampleOrder(early, pickupFrom: DateTimeOffset.UtcNow.AddDays(2)));
        var late = NewOrderId();
        var lateWaybill = Master(await CreateAsync(SampleOrder(late)));

        var added = await Sf.CallAsync("EXP_RECE_GET_SUB_MAILNO", $$"""{"orderId":"{{early}}","parcelQty":2.0}""");
        var found = await Sf.CallAsync("EXP_RECE_SEARCH_ORDER_RESP", $$"""{"orderId":"{{early}}","language":"zh-CN"}""");
        await Eventually.Until(() => RoutesAsync(lateWaybill), r => r.Count > 0, TimeSpan.FromSeconds(30), "the first route record");
        var refused = await Sf.CallAsync("EXP_RECE_GET_SUB_MAILNO", $$"""{"orderId":"{{late}}","parcelQty":1}""");
        var unknown = await Sf.CallAsync("EXP_RECE_GET_SUB_MAILNO", """{"orderId":"NO-SUCH-ORDER","parcelQty":1}""");

        Assert.True(added.Success, $"{added.ErrorCode} {added.ErrorMsg}");
        var children = added.MsgData.GetProperty("waybillNoInfoList").EnumerateArray().ToList();
        Assert.Equal([2, 2], children.Select(w => w.GetProperty("waybillType").GetInt32()));
        Assert.Equal(3, found.MsgData.GetProperty("waybillNoInfoList").GetArrayLength());
        Assert.Equal((false, "8168"), (refused.Success, refused.ErrorCode));
        Assert.Equal((false, "8018"), (unknown.Success, unknown.ErrorCode));
    }

    [Fact]
    public async Task Billed_freight_is_the_list_price_at_the_monthly_card_rate_after_pickup_and_20012_before()
    {
        var orderId = NewOrderId();
        // Pickup 6 simulated hours ahead: 5 real seconds.
        var waybill = Master(await CreateAsync(SampleOrder(orderId, pickupFrom: DateTimeOffset.UtcNow.AddHours(6))));
        var query = $$"""{"trackingType":"1","trackingNum":"{{waybill}}","phone":"8000"}""";

        var before = await Sf.CallAsync("EXP_RECE_QUERY_SFWAYBILL", query);
        await Eventually.Until(() => RoutesAsync(waybill), r => r.Count > 0, TimeSpan.FromSeconds(30), "pickup");
        var after = await Sf.CallAsync("EXP_RECE_QUERY_SFWAYBILL", query);
        var byOrder = await Sf.CallAsync("EXP_RECE_QUERY_SFWAYBILL", $$"""{"trackingType":2,"trackingNum":"{{orderId}}"}""");

        Assert.Equal((false, "20012"), (before.Success, before.ErrorCode));
        Assert.True(after.Success, $"{after.ErrorCode} {after.ErrorMsg}");
        // Express to Beijing, 6.6 kg: 22 + 5.6 × 12 = 89.2 → 89 yuan list, billed at the monthly card's 7.5折: 66.75 yuan, version 1.
        var fee = Assert.Single(after.MsgData.GetProperty("waybillFeeList").EnumerateArray());
        Assert.Equal(("1", 66.75m, 1), (fee.GetProperty("type").GetString(), fee.GetProperty("value").GetDecimal(), fee.GetProperty("versionNo").GetInt32()));
        Assert.Equal((6.6m, 1), (after.MsgData.GetProperty("meterageWeightQty").GetDecimal(), after.MsgData.GetProperty("quantity").GetInt32()));
        Assert.Equal((waybill, orderId), (byOrder.MsgData.GetProperty("waybillNo").GetString(), byOrder.MsgData.GetProperty("orderId").GetString()));
    }

    [Fact]
    public async Task Registering_waybills_for_pushes_is_recorded_and_an_unknown_waybill_is_8018()
    {
        var orderId = NewOrderId();
        var waybills = (await CreateAsync(SampleOrder(orderId, parcels: 2.0, weight: 13.2))).MsgData.GetProperty("waybillNoInfoList")
            .EnumerateArray().Select(w => w.GetProperty("waybillNo").GetString()!).ToList();

        var registered = await Sf.CallAsync("EXP_RECE_REGISTER_ROUTE",
            $$"""{"type":"1","attributeNo":"{{string.Join(',', waybills)}}","orderId":"{{orderId}}","language":"zh-CN"}""");
        var unknown = await Sf.CallAsync("EXP_RECE_REGISTER_ROUTE", """{"type":"1","attributeNo":"SF0000000000000","language":"zh-CN"}""");

        Assert.True(registered.Success, $"{registered.ErrorCode} {registered.ErrorMsg}");
        Assert.Equal(waybills.Order(), (await sim.Host.OrderAsync(orderId))!.Value.GetProperty("subscribed").EnumerateArray().Select(w => w.GetString()!));
        Assert.Equal((false, "8018"), (unknown.Success, unknown.ErrorCode));
    }
}
