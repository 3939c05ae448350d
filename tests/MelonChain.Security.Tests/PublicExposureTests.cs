using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
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

    /// <summary>
    /// S13: the grower's page, opened from the link the clerk prints, shows the grower's own melons and no buyer, no
    /// phone, no ID number; a made-up link is 404; a scraper guessing links is stopped without locking out the grower.
    /// </summary>
    [Fact]
    public async Task The_growers_page_shows_no_buyer_or_phone_and_guessing_links_is_rate_limited_per_client()
    {
        var growerId = f.Ids["cooperative/growers/{id}"];
        var link = await f.Scenario.Clerk.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/cooperative/growers/{growerId}/link");
        var path = new Uri(link.GetProperty("url").GetString()!).AbsolutePath;
        using var grower = f.From("127.0.0.6");

        var page = await grower.GetStringAsync(path);

        Assert.Contains("lang=\"zh-CN\"", page);
        var memberNo = await f.System.ScalarAsync<string>("Cooperative", "select member_no from growers where id = @id", new { id = Guid.Parse(growerId) });
        Assert.Contains(memberNo!, page);
        foreach (var personal in new[] { "王经理", "13911112222", "朝阳区建国路88号", "13800138000", "13622223333", "440785197001011234" })
            Assert.False(page.Contains(personal), $"the grower's page shows {personal}");

        using var scraper = f.From("127.0.0.7");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 125; i++)
            statuses.Add((await scraper.GetAsync($"/grower/AAAAAAAAAAAAAAAAAA{i:D4}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, statuses[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await scraper.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await grower.GetAsync(path)).StatusCode);
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

    /// <summary>
    /// The services believe <c>X-Forwarded-For</c> only from a trusted proxy: loopback, or <c>ForwardedHeaders:KnownNetworks</c>.
    /// Two Tracking processes listen on this machine's own network address (not loopback), one trusting that address
    /// as its proxy and one not; the test is the proxy, sending from that address, two people behind it named in the
    /// header. Behind the trusted proxy each person has a bucket of their own. From the untrusted address the header
    /// is ignored, even when it changes on every request: everyone behind it shares the address's one bucket (which
    /// also shows the connections really came from outside loopback, since loopback is always trusted).
    /// </summary>
    [Fact]
    public async Task Behind_a_trusted_proxy_off_loopback_each_client_has_its_own_bucket_and_from_an_untrusted_address_the_header_is_ignored()
    {
        var address = NetworkInterface.GetAllNetworkInterfaces().Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        Assert.True(address is not null, "this machine has no network address outside loopback to act as the proxy");
        const int perMinute = 5;
        await using var vhost = await TestVirtualHost.CreateAsync("proxy");
        await using var trusted = await TrackingOn(address, perMinute, vhost, knownNetwork: $"{address}/32");
        await using var untrusted = await TrackingOn(address, perMinute, vhost, knownNetwork: null);
        var trace = $"/api/v1/tracking/public/trace/{f.TraceCode}";

        using var proxy = Via(address, trusted);
        var scraper = new List<HttpStatusCode>();
        for (var i = 0; i <= perMinute; i++) scraper.Add(await GetAs(proxy, trace, "203.0.113.7"));
        var someoneElse = await GetAs(proxy, trace, "203.0.113.8");

        using var forger = Via(address, untrusted);
        var forged = new List<HttpStatusCode>();
        for (var i = 0; i <= perMinute; i++) forged.Add(await GetAs(forger, trace, $"198.51.100.{i + 1}"));
        var forgedSomeoneElse = await GetAs(forger, trace, "203.0.113.8");

        Assert.All(scraper[..perMinute], s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, scraper[^1]);
        Assert.Equal(HttpStatusCode.OK, someoneElse);
        Assert.All(forged[..perMinute], s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, forged[^1]);
        Assert.Equal(HttpStatusCode.TooManyRequests, forgedSomeoneElse);
    }

    /// <summary>
    /// S15: ingress → Gateway → service, as in Kubernetes. The in-test ingress (<see cref="Ingress"/>) appends each
    /// caller's address to X-Forwarded-For as NGINX does; the Gateway trusts it (<c>Edge:TrustedProxies</c>) and
    /// forwards the caller it found, so Tracking's public limit keys on the real caller: a scraper behind the ingress
    /// is refused while another caller behind the same ingress is served, and what the scraper itself wrote into
    /// X-Forwarded-For does not move it to another bucket. A caller reaching the Gateway directly, from an address that
    /// is not the ingress (loopback too: the Gateway's defaults are dropped), names someone new in X-Forwarded-For on
    /// every request and still stays in its own one bucket; the caller it named is still served.
    /// </summary>
    [Fact]
    public async Task Behind_the_ingress_each_caller_has_its_own_bucket_and_a_forged_header_sent_to_the_gateway_directly_is_ignored()
    {
        await using var ingress = await Ingress.StartAsync(f.System.Gateway, SecuredSystem.IngressAddress);
        using var scraper = ingress.Caller("127.0.0.21");
        using var someoneElse = ingress.Caller("127.0.0.22");
        using var forger = f.From("127.0.0.23");
        var trace = $"/api/v1/tracking/public/trace/{f.TraceCode}";

        var scraped = new List<HttpStatusCode>();
        for (var i = 0; i <= SecuredSystem.PublicPerMinute; i++) scraped.Add(await GetAs(scraper, trace, $"192.0.2.{i + 1}"));
        var served = (await someoneElse.GetAsync(trace)).StatusCode;

        var forged = new List<HttpStatusCode>();
        for (var i = 0; i <= SecuredSystem.PublicPerMinute; i++) forged.Add(await GetAs(forger, trace, $"198.51.100.{i + 1}"));
        var forgedAsSomeoneElse = await GetAs(forger, trace, "127.0.0.22");
        var someoneElseAfterTheForger = (await someoneElse.GetAsync(trace)).StatusCode;

        Assert.All(scraped[..SecuredSystem.PublicPerMinute], s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, scraped[^1]);
        Assert.Equal(HttpStatusCode.OK, served);
        Assert.All(forged[..SecuredSystem.PublicPerMinute], s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, forged[^1]);
        Assert.Equal(HttpStatusCode.TooManyRequests, forgedAsSomeoneElse);
        Assert.Equal(HttpStatusCode.OK, someoneElseAfterTheForger);
    }

    /// <summary>A Tracking process on the seeded Tracking database, listening on loopback (for its readiness) and on <paramref name="address"/>.</summary>
    private async Task<ServiceProcess> TrackingOn(IPAddress address, int perMinute, TestVirtualHost vhost, string? knownNetwork)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Db"] = f.System.Databases["Tracking"].ConnectionString,
            // A virtual host of its own: it must not take the running system's events (Tracking publishes none).
            ["ConnectionStrings:RabbitMq"] = vhost.ConnectionString,
            ["RateLimits:PublicPerMinute"] = perMinute.ToString(),
        };
        if (knownNetwork is not null) settings["ForwardedHeaders:KnownNetworks"] = knownNetwork;
        var tracking = new ServiceProcess("Tracking", settings);
        tracking.Configure("Urls", $"http://127.0.0.1:{tracking.Port};http://{address}:{tracking.Port}");
        try { await tracking.StartAsync(); }
        catch { await tracking.DisposeAsync(); throw; }
        return tracking;
    }

    /// <summary>A client whose connections leave from <paramref name="source"/> for the service's port on that same address.</summary>
    private static HttpClient Via(IPAddress source, ServiceProcess service) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(new IPEndPoint(source, context.DnsEndPoint.Port), ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    }) { BaseAddress = new Uri($"http://{source}:{service.Port}/") };

    private static async Task<HttpStatusCode> GetAs(HttpClient proxy, string path, string client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-For", client);
        using var response = await proxy.SendAsync(request);
        return response.StatusCode;
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
