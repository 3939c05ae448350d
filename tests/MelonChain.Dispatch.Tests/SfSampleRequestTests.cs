extern alias dispatch;
using System.Net.Http.Json;
using System.Text.Json;
using dispatch::MelonChain.Dispatch.Features.Carrier;
using dispatch::MelonChain.Dispatch.Features.Carrier.Sf;
using MelonChain.Testing;

namespace MelonChain.Dispatch.Tests;

/// <summary>A simulator whose clock runs a day every 20 seconds, so routes appear within a test.</summary>
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
/// phone, fields we never use, seconds in `timestamp`, `language` in lower case), over HTTP against the simulator.
/// </summary>
public class SfSampleRequestTests(FastSimulator sim) : IClassFixture<FastSimulator>
{
    private const string CheckWord = DispatchFixture.CheckWord;

    private async Task<SfResult<JsonElement>> Call(string service, string msgData)
    {
        // SDK samples stamp requests in seconds.
        var form = SfProtocol.Envelope("MELONCHAIN_DEV", service, msgData, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), CheckWord, Guid.NewGuid());
        var response = await (await sim.Host.Admin.PostAsync("/std/service", new FormUrlEncodedContent(form))).Content.ReadFromJsonAsync<SfResponse>(SfProtocol.Json);
        Assert.True(response!.ApiResultCode == SfProtocol.Ok, $"{service}: {response.ApiResultCode} {response.ApiErrorMsg}");
        return JsonSerializer.Deserialize<SfResult<JsonElement>>(response.ApiResultData!, SfProtocol.Json)!;
    }

    private static string SampleOrder(string orderId) => $$"""
        {
          "language": "zh-cn",
          "orderId": "{{orderId}}",
          "cargoDetails": [{ "amount": 308.0, "count": 1.0, "name": "凉瓜", "unit": "箱", "volume": 0.0, "weight": 6.6 }],
          "contactInfoList": [
            { "address": "杜阮镇上巷村", "city": "江门市", "company": "上巷村合作社", "contact": "李主任", "contactType": 1, "county": "蓬江区",
              "mobile": "13800138000", "province": "广东省" },
            { "address": "朝阳区建国路88号", "city": "北京市", "contact": "王经理", "contactType": 2, "county": "朝阳区",
              "mobile": "13911112222", "tel": "010-88886666", "province": "北京市" }
          ],
          "customsInfo": {}, "expressTypeId": 1, "extraInfoList": [], "isOneselfPickup": 0, "isDocall": 1,
          "monthlyCard": "7551234567", "payMethod": 1, "parcelQty": 1, "totalWeight": 6.6, "serviceList": []
        }
        """;

    [Fact]
    public async Task An_order_written_as_SFs_SDK_samples_write_it_is_booked()
    {
        var orderId = "SAMPLE-" + Guid.NewGuid().ToString("N");

        var created = await Call(SfProtocol.CreateOrder, SampleOrder(orderId));

        Assert.True(created.Success, $"{created.ErrorCode} {created.ErrorMsg}");
        Assert.Equal(orderId, created.MsgData.GetProperty("orderId").GetString());
        Assert.Matches("^SF[0-9]{13}$", created.MsgData.GetProperty("waybillNoInfoList")[0].GetProperty("waybillNo").GetString());
    }

    [Fact]
    public async Task Routes_by_customer_order_id_answer_that_orders_waybills()
    {
        var orderId = "SAMPLE-" + Guid.NewGuid().ToString("N");
        var created = await Call(SfProtocol.CreateOrder, SampleOrder(orderId));
        var waybill = created.MsgData.GetProperty("waybillNoInfoList")[0].GetProperty("waybillNo").GetString()!;
        string Query(int trackingType, string number) =>
            $$"""{"language":"0","trackingType":{{trackingType}},"trackingNumber":["{{number}}"],"methodType":1}""";

        // A simulated day is 20 s: the pickup scan comes within a few seconds.
        var byWaybill = await Eventually.Until(() => Call(SfProtocol.SearchRoutes, Query(1, waybill)),
            r => r.MsgData.GetProperty("routeResps")[0].GetProperty("routes").GetArrayLength() > 0, TimeSpan.FromSeconds(30), "the first route record");
        var byOrder = await Call(SfProtocol.SearchRoutes, Query(2, orderId));

        var resp = byOrder.MsgData.GetProperty("routeResps")[0];
        Assert.Equal(waybill, resp.GetProperty("mailNo").GetString());
        Assert.Equal(byWaybill.MsgData.GetProperty("routeResps")[0].GetProperty("routes")[0].GetProperty("opCode").GetString(),
            resp.GetProperty("routes")[0].GetProperty("opCode").GetString());
    }
}
