extern alias dispatch;
using System.Net;
using System.Text;
using System.Text.Json;
using SfProtocol = dispatch::MelonChain.Dispatch.Features.Carrier.Sf.SfProtocol;

namespace MelonChain.Security.Tests;

/// <summary>S5: route pushes are authenticated by the carrier's digest; a forged one is refused, a replayed one is harmless.</summary>
[Collection(Secured.Name)]
public class CarrierPushTests(SecuredSystem f)
{
    private const string CheckWord = "melonchain-dev-check-word-0000000";

    [Fact]
    public async Task A_forged_unsigned_or_tampered_push_is_401_and_changes_nothing()
    {
        var before = await f.SnapshotAsync();
        var body = Push("80", DateTimeOffset.UtcNow);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString();
        var genuine = SfProtocol.Digest(body, timestamp, CheckWord);

        var forged = await SendAsync(body, timestamp, SfProtocol.Digest(body, timestamp, "guessed-check-word"));
        var unsigned = await SendAsync(body, null, null);
        var tampered = await SendAsync(body.Replace("\"80\"", "\"70\""), timestamp, genuine);
        var otherTime = await SendAsync(body, (long.Parse(timestamp) + 1).ToString(), genuine);

        Assert.All(new[] { forged, unsigned, tampered, otherTime }, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Empty(await f.WrittenSinceAsync(before)); // no record, no status change, no event
    }

    [Fact]
    public async Task A_genuine_push_replayed_byte_for_byte_has_no_second_effect()
    {
        var body = Push("31", DateTimeOffset.UtcNow.AddMinutes(-30));
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString();
        var digest = SfProtocol.Digest(body, timestamp, CheckWord);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(body, timestamp, digest));
        // Published (Dispatch's outbox empty: confirmed, so routed to Tracking's queue) and consumed (that queue empty).
        await Eventually.Until(async () => await f.System.ScalarAsync<long>("Dispatch", "select count(*) from outbox")
            + await f.WaitingAsync("tracking-shipment-status-changed"), n => n == 0, what: "the status change to be published and consumed");
        var before = await f.SnapshotAsync();

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, await SendAsync(body, timestamp, digest));

        Assert.Empty(await f.WrittenSinceAsync(before));
        Assert.Equal(1, await f.System.ScalarAsync<long>("Dispatch", "select count(*) from route_records where waybill_no = @w and op_code = '31'", new { w = f.MasterWaybillNo }));
    }

    [Theory]
    [InlineData("jd")]        // a carrier whose traces are pulled: nothing is accepted as its push
    [InlineData("zto")]       // no such carrier here
    public async Task A_push_for_a_carrier_that_does_not_push_here_is_404_and_changes_nothing(string carrier)
    {
        var before = await f.SnapshotAsync();
        var body = Push("80", DateTimeOffset.UtcNow);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString();

        var status = await SendAsync(body, timestamp, SfProtocol.Digest(body, timestamp, CheckWord), carrier);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Empty(await f.WrittenSinceAsync(before));
    }

    private string Push(string opCode, DateTimeOffset at) => JsonSerializer.Serialize(new
    {
        Body = new
        {
            WaybillRoute = new[]
            {
                new { id = "r-" + opCode, mailno = f.MasterWaybillNo, orderid = (string?)null, acceptTime = at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss"),
                      acceptAddress = "广州市", remark = "快件到达 广州集散中心", opCode },
            },
        },
    });

    private async Task<HttpStatusCode> SendAsync(string body, string? timestamp, string? digest, string carrier = "sf")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/dispatch/carriers/{carrier}/routes") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (timestamp is not null) request.Headers.Add(SfProtocol.PushTimestampHeader, timestamp);
        if (digest is not null) request.Headers.Add(SfProtocol.PushDigestHeader, digest);
        using var response = await f.Anonymous.SendAsync(request);
        return response.StatusCode;
    }
}
