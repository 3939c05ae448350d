extern alias dispatch;
using dispatch::MelonChain.Dispatch.Features.Carrier.Jd;
using MelonChain.Messages;

namespace MelonChain.Dispatch.Tests;

/// <summary>The JD adapter's envelope, pinned by the same sign vectors as the simulator's (services/Dispatch/CARRIERS.md, "JD").</summary>
public class JdProtocolTests
{
    private static Dictionary<string, string> Fields(string method, string param) => new()
    {
        ["app_key"] = "K", ["access_token"] = "T", ["method"] = method, ["timestamp"] = "2026-12-04 10:00:00", ["v"] = "2.0",
        ["360buy_param_json"] = param,
    };

    [Theory]
    [InlineData("jingdong.etms.range.check", """{"a":1}""", "6EF46AC5017560D5C9DD51499938A40F")]
    [InlineData("jingdong.ldop.waybill.receive", """{"remark":"杜阮凉瓜"}""", "F4D0F6036201238229AECC3A65D2D137")]
    public void The_sign_matches_the_published_vectors(string method, string param, string sign) =>
        Assert.Equal(sign, JdProtocol.Sign(Fields(method, param), "jd-secret"));

    [Fact]
    public void The_sign_ignores_the_sign_field_and_the_order_fields_come_in()
    {
        var fields = Fields("jingdong.etms.range.check", """{"a":1}""");
        var reversed = fields.Reverse().ToDictionary();
        reversed["sign"] = "whatever";
        Assert.Equal(JdProtocol.Sign(fields, "jd-secret"), JdProtocol.Sign(reversed, "jd-secret"));
    }

    [Fact]
    public void An_envelope_carries_China_time_version_2_and_its_sign()
    {
        var form = JdProtocol.Envelope(JdProtocol.Traces, "K", "T", "{}", new DateTimeOffset(2026, 12, 4, 2, 0, 0, TimeSpan.Zero), "s");
        Assert.Equal(("2026-12-04 10:00:00", "2.0"), (form["timestamp"], form["v"]));
        Assert.Equal(JdProtocol.Sign(form, "s"), form["sign"]);
        Assert.Equal("jingdong_ldop_receive_trace_get_responce", JdProtocol.ResponseKey(JdProtocol.Traces));
    }

    [Theory]
    [InlineData("揽收", ShipmentStatuses.PickedUp)]
    [InlineData("分拣", ShipmentStatuses.InTransit)]
    [InlineData("运输中", ShipmentStatuses.InTransit)]
    [InlineData("派送中", ShipmentStatuses.OutForDelivery)]
    [InlineData("妥投", ShipmentStatuses.Delivered)]
    [InlineData("拒收", ShipmentStatuses.DeliveryFailed)]
    [InlineData("退回", ShipmentStatuses.ReturnToSender)]
    [InlineData("丢失", "lost")]
    [InlineData("客户咨询", null)]
    public void Trace_states_map_to_statuses(string title, string? status) => Assert.Equal(status, JdProtocol.StatusOf(title));
}
