extern alias dispatch;
using System.Net;
using System.Text;
using System.Text.Json;
using dispatch::MelonChain.Dispatch.Features.Carrier;
using dispatch::MelonChain.Dispatch.Features.Carrier.Jd;
using dispatch::MelonChain.Dispatch.Features.Carrier.Sf;
using Microsoft.Extensions.Logging.Abstractions;

namespace MelonChain.Dispatch.Tests;

/// <summary>
/// Only the carrier's "already picked up" answer to a cancellation means the courier has the boxes; a refusal of the
/// caller (signature, token, permission) is a refusal, which the cancellation worker retries and reports.
/// </summary>
public class CarrierCancelAnswerTests
{
    /// <summary>Answers every call with the JSON the function gives for the request's form.</summary>
    private sealed class Answers(Func<Dictionary<string, string>, object> answer) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var form = (await request.Content!.ReadAsStringAsync(ct)).Split('&')
                .Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(JsonSerializer.Serialize(answer(form)), Encoding.UTF8, "application/json"),
            };
        }
    }

    private static SfCarrier Sf(object answer) => new(new HttpClient(new Answers(_ => answer)) { BaseAddress = new Uri("http://sf.test/") },
        new SfSettings("http://sf.test/", "MELONCHAIN_DEV", DispatchFixture.CheckWord, "zh-CN"), TimeProvider.System, NullLogger<SfCarrier>.Instance);

    private static object SfBusiness(string errorCode) => new
    {
        apiResultCode = "A1000", apiErrorMsg = "", apiResponseID = "1",
        apiResultData = JsonSerializer.Serialize(new { success = false, errorCode, errorMsg = "已揽收，不可取消" }),
    };

    private static JdCarrier Jd(int interceptState) => new(new HttpClient(new Answers(form => form["method"] switch
    {
        JdProtocol.GetOrder => new Dictionary<string, object> { [JdProtocol.ResponseKey(JdProtocol.GetOrder)] = new { resultInfo = new
            { resultCode = JdProtocol.Success, orderId = "MC1", deliveryId = "JDV000000001", packageCodes = new[] { "JDV000000001-1-1-" } } } },
        var method => new Dictionary<string, object> { [JdProtocol.ResponseKey(method)] = new { resultInfo = new { stateCode = interceptState, stateMessage = "已揽收，不可拦截" } } },
    })) { BaseAddress = new Uri("http://jd.test/") }, new JdSettings("http://jd.test/", "MELONCHAIN_JD_DEV", "secret", "token"), TimeProvider.System, NullLogger<JdCarrier>.Instance);

    [Fact]
    public async Task Sfs_already_picked_up_answer_is_the_only_one_that_means_collected()
    {
        await Assert.ThrowsAsync<CarrierPickedUpException>(() => Sf(SfBusiness("8037")).CancelAsync("MC1", "7551234567", default));
        var digest = await Assert.ThrowsAsync<CarrierRejectedException>(() =>
            Sf(new { apiResultCode = "A1006", apiErrorMsg = "msgDigest does not match" }).CancelAsync("MC1", "7551234567", default));
        Assert.Equal("A1006", digest.Code);
        await Assert.ThrowsAsync<CarrierRejectedException>(() => Sf(new { apiResultCode = "A1004", apiErrorMsg = "unknown partner" }).CancelAsync("MC1", "7551234567", default));
        await Assert.ThrowsAsync<CarrierRejectedException>(() => Sf(SfBusiness("8019")).CancelAsync("MC1", "7551234567", default));
    }

    [Fact]
    public async Task Jds_intercept_refused_after_pickup_is_the_only_one_that_means_collected()
    {
        await Assert.ThrowsAsync<CarrierPickedUpException>(() => Jd(203).CancelAsync("MC1", "020K7551234", default));
        await Assert.ThrowsAsync<CarrierRejectedException>(() => Jd(999).CancelAsync("MC1", "020K7551234", default));
    }
}
