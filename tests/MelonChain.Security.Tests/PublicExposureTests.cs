using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace MelonChain.Security.Tests;

/// <summary>S6: public output carries no personal data, public endpoints are rate limited per client, and every
/// endpoint refuses bodies over the size limit.</summary>
[Collection(Secured.Name)]
public class PublicExposureTests(SecuredSystem f)
{
    [Fact]
    public async Task Public_tracking_provenance_and_pages_show_no_names_phones_or_addresses()
    {
        using var client = f.From("127.0.0.4");
        var outputs = new Dictionary<string, string>
        {
            ["track"] = await client.GetStringAsync($"/api/v1/tracking/public/track/{f.MasterWaybillNo}?phoneLast4=2222"),
            ["trace"] = await client.GetStringAsync($"/api/v1/tracking/public/trace/{f.TraceCode}"),
            ["track page"] = await client.GetStringAsync("/track"),
            ["trace page"] = await client.GetStringAsync($"/trace/{f.TraceCode}"),
        };

        Assert.Contains(f.TraceCode, outputs["trace"]);
        foreach (var (what, text) in outputs)
            foreach (var personal in SecuredSystem.PersonalData)
                Assert.False(text.Contains(personal), $"{what} shows {personal}");
        // Tracking without the consignee's phone digits reveals nothing, not even that the waybill exists.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/tracking/public/track/{f.MasterWaybillNo}?phoneLast4=0000")).StatusCode);
    }

    [Fact]
    public async Task Public_endpoints_are_rate_limited_per_client_so_one_scraper_does_not_lock_out_everyone()
    {
        using var scraper = f.From("127.0.0.2");
        using var someoneElse = f.From("127.0.0.3");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < SecuredSystem.PublicPerMinute + 5; i++)
            statuses.Add((await scraper.GetAsync($"/api/v1/tracking/public/trace/ZZZZ{i:D6}")).StatusCode);

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        var refused = await scraper.GetAsync($"/api/v1/tracking/public/trace/{f.TraceCode}");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await someoneElse.GetAsync($"/api/v1/tracking/public/trace/{f.TraceCode}")).StatusCode);
    }

    public static IEnumerable<object[]> Services => SecuredSystem.ServiceNames.Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_write_operation_refuses_a_body_over_1_MB_with_413(string service)
    {
        var admin = await f.AdminOf(MelonSystem.Cooperative);
        var body = "{\"note\": \"" + new string('x', 1024 * 1024 + 10) + "\"}";
        var failures = new List<string>();
        foreach (var operation in (await f.OperationsAsync(service)).Where(o => o.HasBody))
        {
            using var request = new HttpRequestMessage(new HttpMethod(operation.Method), f.Concrete(operation.Path))
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            // As a well-behaved client sends a large body: the refusal arrives before the body is sent, instead of the
            // connection being closed under a client that is still writing.
            request.Headers.ExpectContinue = true;
            using var response = await admin.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.RequestEntityTooLarge) failures.Add($"{operation}: {(int)response.StatusCode}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
