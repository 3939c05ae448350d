extern alias dispatch;
using System.Text.Json;
using dispatch::MelonChain.Dispatch.Features.Carrier;
using dispatch::MelonChain.Dispatch.Features.Carrier.Sf;

namespace MelonChain.Dispatch.Tests;

public class SfProtocolTests
{
    private const string CheckWord = "fjcg5PGKaNpPSHFAZ4QsCOkV71R3zVci";

    private const string FeeSignVector = "S7GBat96d96ImbgsfY4PVQ==";

    [Theory]
    [InlineData("""{"language":"zh-CN","orderId":"QIAO-20200618-004"}""", "IIKJtuLVzoFTu4kHI8M8vA==")]
    [InlineData("""{"remark":"杜阮凉瓜 (鲜) *易碎* ~!'","orderId":"DR-001"}""", "TSOYBaQc3+inqlTbScwgzg==")]
    public void Message_digest_matches_the_published_test_vectors(string msgData, string expected) =>
        Assert.Equal(expected, SfProtocol.Digest(msgData, "12312334453453", CheckWord));

    [Theory]
    [InlineData("""[{"orderId":"F-1","filterType":1}]""", "F-1")]
    [InlineData("""{"orderId":"F-1","filterType":1}""", "F-1")]
    public void MsgData_written_as_an_array_of_one_object_is_that_object(string msgData, string orderId)
    {
        using var doc = JsonDocument.Parse(msgData);

        Assert.Equal(orderId, SfProtocol.OneObject(doc.RootElement).GetProperty("orderId").GetString());
    }

    [Fact]
    public void An_array_of_several_objects_stays_an_array()
    {
        using var doc = JsonDocument.Parse("""[{"a":1},{"a":2}]""");

        Assert.Equal(JsonValueKind.Array, SfProtocol.OneObject(doc.RootElement).ValueKind);
    }

    [Fact]
    public void The_fee_push_sign_is_base64_md5_of_content_and_check_word_without_url_encoding() =>
        // Computed apart from SfProtocol: printf '%s' '{"a":"杜阮 1"}fjcg5…' | md5sum | xxd -r -p | base64 (a URL-encoded sign would differ).
        Assert.Equal(FeeSignVector, SfProtocol.FeeSign("""{"a":"杜阮 1"}""", CheckWord));

    [Theory]
    [InlineData("aZ09.-*_", "aZ09.-*_")]
    [InlineData("a b", "a+b")]
    [InlineData("~!'()", "%7E%21%27%28%29")]
    [InlineData("{\"k\":1}", "%7B%22k%22%3A1%7D")]
    [InlineData("凉", "%E5%87%89")]
    public void Url_encoding_is_javas_URLEncoder(string input, string expected) =>
        Assert.Equal(expected, SfProtocol.JavaUrlEncode(input));

    [Fact]
    public void Envelope_carries_every_form_field_and_signs_the_exact_msgData()
    {
        var form = SfProtocol.Envelope("PARTNER", SfProtocol.CreateOrder, "{\"orderId\":\"X\"}", 1700000000000, CheckWord, Guid.Empty);

        Assert.Equal(["partnerID", "requestID", "serviceCode", "timestamp", "msgData", "msgDigest"], form.Keys);
        Assert.Equal(SfProtocol.Digest("{\"orderId\":\"X\"}", "1700000000000", CheckWord), form["msgDigest"]);
    }

    [Theory]
    [InlineData("50", "picked_up")]
    [InlineData("36", "in_transit")]
    [InlineData("44", "out_for_delivery")]
    [InlineData("8000", "delivered")]
    [InlineData("70", "delivery_failed")]
    [InlineData("648", "return_to_sender")]
    [InlineData("99", "return_to_sender")]
    [InlineData("LOST", "lost")]
    [InlineData("12345", null)]
    public void Op_codes_map_to_statuses(string opCode, string? status) => Assert.Equal(status, SfProtocol.StatusOf(opCode));

    [Fact]
    public void A_push_is_read_only_with_the_right_digest_and_a_fresh_timestamp()
    {
        var now = new DateTimeOffset(2026, 6, 12, 2, 5, 0, TimeSpan.Zero);
        var carrier = new SfCarrier(new HttpClient(), new SfSettings("http://x/", "P", CheckWord, "zh-CN"), new MelonChain.Testing.FixedClock(now),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SfCarrier>.Instance);
        var body = JsonSerializer.Serialize(new SfPush(new SfPushBody([new SfPushRoute("1", "SF1234567890123", "MC-1", "2026-06-12 10:00:00", "江门", "已揽收", "50")])), SfProtocol.Json);
        string Signed(DateTimeOffset at) => at.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var timestamp = Signed(now.AddMinutes(-1));
        var headers = new Dictionary<string, string?> { [SfProtocol.PushTimestampHeader] = timestamp, [SfProtocol.PushDigestHeader] = SfProtocol.Digest(body, timestamp, CheckWord) };

        var good = carrier.ParsePush(body, headers);
        headers[SfProtocol.PushDigestHeader] = SfProtocol.Digest(body, timestamp, "forged");
        var forged = carrier.ParsePush(body, headers);
        var old = Signed(now.AddMinutes(-6));
        var stale = carrier.ParsePush(body, new Dictionary<string, string?> { [SfProtocol.PushTimestampHeader] = old, [SfProtocol.PushDigestHeader] = SfProtocol.Digest(body, old, CheckWord) });

        Assert.True(good.Authentic);
        Assert.False(good.Stale);
        var route = Assert.Single(good.Routes);
        Assert.Equal(("SF1234567890123", "50", new DateTimeOffset(2026, 6, 12, 2, 0, 0, TimeSpan.Zero)), (route.WaybillNo, route.CarrierCode, route.At.ToUniversalTime()));
        Assert.True(stale.Stale);
        Assert.Empty(stale.Routes);
        Assert.False(forged.Authentic);
    }

    [Fact]
    public void A_push_stamped_in_seconds_is_read_as_one_stamped_in_milliseconds_and_its_status_is_mapped_in_the_adapter()
    {
        var now = new DateTimeOffset(2026, 6, 12, 2, 5, 0, TimeSpan.Zero);
        var carrier = new SfCarrier(new HttpClient(), new SfSettings("http://x/", "P", CheckWord, "zh-CN"), new MelonChain.Testing.FixedClock(now),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SfCarrier>.Instance);
        var body = JsonSerializer.Serialize(new SfPush(new SfPushBody([new SfPushRoute("1", "SF1234567890123", "MC-1", "2026-06-12 10:00:00", "北京市", "已签收", "80")])), SfProtocol.Json);
        RoutePush Read(string timestamp) =>
            carrier.ParsePush(body, new Dictionary<string, string?> { [SfProtocol.PushTimestampHeader] = timestamp, [SfProtocol.PushDigestHeader] = SfProtocol.Digest(body, timestamp, CheckWord) });

        var seconds = Read(now.AddMinutes(-1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        var oldSeconds = Read(now.AddMinutes(-6).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal((true, false), (seconds.Authentic, seconds.Stale));
        Assert.Equal(("80", "delivered"), (Assert.Single(seconds.Routes).CarrierCode, seconds.Routes[0].Status));
        Assert.True(oldSeconds.Stale);
    }
}
