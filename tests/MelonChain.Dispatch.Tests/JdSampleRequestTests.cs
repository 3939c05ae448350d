using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Dispatch.Tests.Sdk;
using MelonChain.Testing;

namespace MelonChain.Dispatch.Tests;

/// <summary>
/// Requests as a client written from the JD wire contract sends them (form fields, MD5 sign, China-time timestamp,
/// weights such as 6.6 and 6.0), over HTTP against the simulator's <c>/routerjson</c>.
/// </summary>
public class JdSampleRequestTests(FastSimulator sim) : IClassFixture<FastSimulator>
{
    private const string Receive = "jingdong.ldop.waybill.receive";
    private const string Traces = "jingdong.ldop.receive.trace.get";
    private const string Intercept = "jingdong.ldop.receive.order.intercept";

    private JdSampleClient Jd => new(sim.Host.Admin, JdSampleClient.DevAppKey, JdSampleClient.DevAppSecret, JdSampleClient.DevAccessToken);

    private static string NewOrderId() => "JD-SAMPLE-" + Guid.NewGuid().ToString("N");

    private static string Order(string orderId, string city = "北京市", string receiveAddress = "北京市朝阳区建国路88号", int packages = 3,
        DateTimeOffset? pickupFrom = null, int goodsType = 2) => JsonSerializer.Serialize(new
    {
        salePlat = "0030001", customerCode = "010K0000001", orderId,
        senderName = "李主任", senderAddress = "广东省江门市蓬江区杜阮镇上巷村", senderMobile = "13800138000", senderCompany = "上巷村合作社",
        receiveName = "王经理", receiveAddress, province = city, city, receiveTel = "010-88886666",
        packageCount = packages, weight = 6.6m * packages, vloumn = 30000.0m * packages, description = "杜阮凉瓜 (鲜)", goodsType, promiseTimeType = 1,
        pickUpStartTime = SfSampleClient.ChinaTime(pickupFrom ?? DateTimeOffset.UtcNow), remark = "轻放",
    });

    private async Task<List<JsonElement>> TracesAsync(string deliveryId) =>
        (await Jd.CallAsync(Traces, $$"""{"customerCode":"010K0000001","waybillCode":"{{deliveryId}}"}""")).GetProperty("data").EnumerateArray().ToList();

    [Fact]
    public async Task An_order_is_received_and_a_repeat_answers_106_with_the_same_waybill_and_order_get_finds_it()
    {
        var orderId = NewOrderId();

        var created = await Jd.CallAsync(Receive, Order(orderId));
        var repeated = await Jd.CallAsync(Receive, Order(orderId));
        var found = await Jd.CallAsync("jingdong.ldop.order.get", $$"""{"customerCode":"010K0000001","orderId":"{{orderId}}"}""");
        var missing = await Jd.CallAsync("jingdong.ldop.order.get", """{"customerCode":"010K0000001","orderId":"NO-SUCH-ORDER"}""");

        Assert.Equal(100, created.GetProperty("resultCode").GetInt32());
        var deliveryId = created.GetProperty("deliveryId").GetString()!;
        Assert.Matches("^JD[0-9]{13}$", deliveryId);
        Assert.Equal([$"{deliveryId}-1-3-", $"{deliveryId}-2-3-", $"{deliveryId}-3-3-"],
            created.GetProperty("packageCodes").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(2, created.GetProperty("goodsType").GetInt32());
        Assert.Equal((106, deliveryId), (repeated.GetProperty("resultCode").GetInt32(), repeated.GetProperty("deliveryId").GetString()));
        Assert.Equal(created.GetProperty("packageCodes").ToString(), repeated.GetProperty("packageCodes").ToString());
        Assert.Equal((100, deliveryId), (found.GetProperty("resultCode").GetInt32(), found.GetProperty("deliveryId").GetString()));
        Assert.Equal(101, missing.GetProperty("resultCode").GetInt32());
        var order = await sim.Host.Admin.GetFromJsonAsync<JsonElement>($"/admin/orders/{orderId}?carrier=jd");
        Assert.Equal(("jd", 1), (order.GetProperty("carrier").GetString(), order.GetProperty("duplicateCreates").GetInt32()));
    }

    [Fact]
    public async Task The_range_check_serves_the_known_cities_only()
    {
        static string Range(string to) => $$"""{"customerCode":"010K0000001","orderId":"R-1","senderAddress":"江门市蓬江区杜阮镇","receiveAddress":"{{to}}","goodsType":2}""";

        var served = await Jd.CallAsync("jingdong.etms.range.check", Range("上海市浦东新区世纪大道1号"));
        var unserved = await Jd.CallAsync("jingdong.etms.range.check", Range("西藏自治区拉萨市城关区"));

        Assert.Equal(100, served.GetProperty("rcode").GetInt32());
        Assert.Equal((200, "超区"), (unserved.GetProperty("rcode").GetInt32(), unserved.GetProperty("rmessage").GetString()));
    }

    [Fact]
    public async Task Traces_pulled_run_from_pickup_to_delivered_between_the_orders_cities()
    {
        // Within Guangdong the promise is 1 day: 20 real seconds here.
        var created = await Jd.CallAsync(Receive, Order(NewOrderId(), city: "广州市", receiveAddress: "广州市天河区体育西路1号", packages: 1));
        var deliveryId = created.GetProperty("deliveryId").GetString()!;

        var traces = await Eventually.Until(() => TracesAsync(deliveryId), t => t.Any(r => r.GetProperty("opeTitle").GetString() == "妥投"),
            TimeSpan.FromSeconds(60), "妥投");

        Assert.Equal(["揽收", "分拣", "运输中", "分拣", "派送中", "妥投"], traces.Select(t => t.GetProperty("opeTitle").GetString()));
        Assert.Contains("广东省江门市蓬江区杜阮镇上巷村", traces[0].GetProperty("opeRemark").GetString());
        Assert.Contains("江门分拣中心", traces[1].GetProperty("opeRemark").GetString());
        Assert.Contains("广州分拣中心", traces[3].GetProperty("opeRemark").GetString());
        var times = traces.Select(t => t.GetProperty("opeTime").GetString()).ToList();
        Assert.Equal(times.Order(StringComparer.Ordinal), times);
    }

    [Fact]
    public async Task An_order_is_intercepted_before_pickup_and_refused_with_203_after()
    {
        var waiting = (await Jd.CallAsync(Receive, Order(NewOrderId(), pickupFrom: DateTimeOffset.UtcNow.AddDays(2)))).GetProperty("deliveryId").GetString()!;
        var moving = (await Jd.CallAsync(Receive, Order(NewOrderId()))).GetProperty("deliveryId").GetString()!;
        string Cancel(string id) => $$"""{"vendorCode":"010K0000001","deliveryId":"{{id}}","interceptReason":"客户取消"}""";

        var intercepted = await Jd.CallAsync(Intercept, Cancel(waiting));
        await Eventually.Until(() => TracesAsync(moving), t => t.Count > 0, TimeSpan.FromSeconds(30), "揽收");
        var refused = await Jd.CallAsync(Intercept, Cancel(moving));
        var unknown = await Jd.CallAsync(Intercept, Cancel("JD0000000000000"));

        Assert.Equal(100, intercepted.GetProperty("stateCode").GetInt32());
        Assert.Empty(await TracesAsync(waiting));
        Assert.Equal((203, "已揽收，不可拦截"), (refused.GetProperty("stateCode").GetInt32(), refused.GetProperty("stateMessage").GetString()));
        Assert.Equal(201, unknown.GetProperty("stateCode").GetInt32());
    }

    [Fact]
    public async Task A_bad_sign_is_error_19_an_unknown_app_67_and_a_missing_field_21()
    {
        var badSign = await Jd.SendAsync(Receive, Order(NewOrderId()), signWith: "not-the-secret");
        var stranger = await new JdSampleClient(sim.Host.Admin, "SOMEONE_ELSE", JdSampleClient.DevAppSecret, JdSampleClient.DevAccessToken)
            .SendAsync(Receive, Order(NewOrderId()));
        var incomplete = await Jd.SendAsync(Receive, """{"customerCode":"010K0000001","orderId":"X"}""");

        Assert.Equal("19", badSign.GetProperty("error_response").GetProperty("code").GetString());
        Assert.Equal("67", stranger.GetProperty("error_response").GetProperty("code").GetString());
        Assert.Equal("21", incomplete.GetProperty("error_response").GetProperty("code").GetString());
    }
}
