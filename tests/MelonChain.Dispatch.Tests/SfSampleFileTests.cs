using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Dispatch.Tests.Sdk;

namespace MelonChain.Dispatch.Tests;

/// <summary>A simulator on real time (a simulated hour is an hour): nothing happens to an order until a test moves its clock.</summary>
public sealed class SlowSimulator : IAsyncLifetime
{
    public SimulatorHost Host { get; } = new(() => new HttpClientHandler(), secondsPerDay: 86_400);

    public Task InitializeAsync()
    {
        Host.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// SF's own published SDK request samples (SfSamples/, where they come from in SfSamples/SOURCE.md), sent to the
/// simulator as SF wrote them — tabs, <c>308.0</c>, numbers as strings, the filter sample's msgData as a JSON array of
/// one object — with nothing changed but the ids, through the test's own SDK-style client.
/// </summary>
public class SfSampleFileTests(SlowSimulator sim) : IClassFixture<SlowSimulator>
{
    private SfSampleClient Sf => new(sim.Host.Admin, "MELONCHAIN_DEV", DispatchFixture.CheckWord);

    /// <summary>The sample file's text with SF's sample ids replaced by ours (<paramref name="ids"/>: theirs → ours).</summary>
    private static string Sample(string file, params (string Theirs, string Ours)[] ids)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "SfSamples", file));
        foreach (var (theirs, ours) in ids)
        {
            Assert.Contains(theirs, text);
            text = text.Replace(theirs, ours, StringComparison.Ordinal);
        }
        return text;
    }

    private static string NewOrderId() => "QIAO-" + Guid.NewGuid().ToString("N")[..20];

    private async Task<SfAnswer> AcceptedAsync(string serviceCode, string msgData)
    {
        var answer = await Sf.CallAsync(serviceCode, msgData);
        Assert.True(answer.Success, $"{serviceCode}: {answer.ErrorCode} {answer.ErrorMsg}");
        return answer;
    }

    private static List<string> Waybills(SfAnswer answer) =>
        answer.MsgData.GetProperty("waybillNoInfoList").EnumerateArray().Select(w => w.GetProperty("waybillNo").GetString()!).ToList();

    [Fact]
    public async Task SFs_filter_sample_whose_msgData_is_an_array_of_one_object_is_answered_as_that_object()
    {
        var orderId = NewOrderId();

        var filtered = await AcceptedAsync("EXP_RECE_FILTER_ORDER_BSP", Sample("04.order.filter.json", ("QIAO-20200605-003", orderId)));

        // 深圳市 → 中山市, both in Guangdong: served.
        Assert.Equal((orderId, 2, "755"), (filtered.MsgData.GetProperty("orderId").GetString(), filtered.MsgData.GetProperty("filterResult").GetInt32(),
            filtered.MsgData.GetProperty("originCode").GetString()));
    }

    [Fact]
    public async Task SFs_order_samples_book_find_add_child_waybills_cancel_query_routes_and_billed_freight()
    {
        var (first, second) = (NewOrderId(), NewOrderId());

        var created = await AcceptedAsync("EXP_RECE_CREATE_ORDER", Sample("01.order.json", ("QIAO-20200618-005", first)));
        var master = Waybills(created)[0];
        var found = await AcceptedAsync("EXP_RECE_SEARCH_ORDER_RESP", Sample("02.order.query.json", ("QIAO-20200605-003", first)));
        var children = await AcceptedAsync("EXP_RECE_GET_SUB_MAILNO", Sample("07.sub.mailno.json", ("QIAO-20200605-003", first)));
        await AcceptedAsync("EXP_RECE_CREATE_ORDER", Sample("01.order.json", ("QIAO-20200618-005", second)));
        await AcceptedAsync("EXP_RECE_UPDATE_ORDER", Sample("03.order.confirm.json", ("QIAO-20200605-0031", second)));
        // Two simulated hours on: the first order is picked up (an hour after booking); the cancelled one never is.
        (await sim.Host.Admin.PostAsJsonAsync("/admin/clock", new { advanceHours = 2 })).EnsureSuccessStatusCode();
        var byWaybill = await AcceptedAsync("EXP_RECE_SEARCH_ROUTES", Sample("05.route_query_by_MailNo.json", ("SF7444407228423", master)));
        var byOrder = await AcceptedAsync("EXP_RECE_SEARCH_ROUTES", Sample("05.route_query_by_OrderNo.json", ("QIAO-20200605-003", first)));
        var billed = await AcceptedAsync("EXP_RECE_QUERY_SFWAYBILL", Sample("09.waybills_fee.json", ("QIAO-20200605-003", master)));

        Assert.Matches("^SF[0-9]{13}$", master);
        Assert.Equal(Waybills(created), Waybills(found));
        Assert.Equal(2, Waybills(children).Count);
        Assert.True((await sim.Host.OrderAsync(second))!.Value.GetProperty("cancelled").GetBoolean());
        var routes = byWaybill.MsgData.GetProperty("routeResps")[0];
        Assert.Equal((master, "50"), (routes.GetProperty("mailNo").GetString(), routes.GetProperty("routes")[0].GetProperty("opCode").GetString()));
        Assert.Equal(master, byOrder.MsgData.GetProperty("routeResps")[0].GetProperty("mailNo").GetString());
        // 十堰市 → 襄阳市 is off the simulator's tariff: weighed and counted (6 kg, 3 parcels once the children are added), no fee line.
        Assert.Equal((6m, 3, 0), (billed.MsgData.GetProperty("meterageWeightQty").GetDecimal(), billed.MsgData.GetProperty("quantity").GetInt32(),
            billed.MsgData.GetProperty("waybillFeeList").GetArrayLength()));
    }
}
