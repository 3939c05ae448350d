using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Messages.Cooperative;
using MelonChain.Testing;

namespace MelonChain.Tracking.Tests;

/// <summary>What anyone with a waybill or a box sees — and that it never holds a name, phone or street.</summary>
public class PublicTrackingTests(TrackingFixture f) : IClassFixture<TrackingFixture>
{
    [Fact]
    public async Task Tracking_by_waybill_and_phone_last4_shows_status_and_timeline_without_personal_data()
    {
        var story = await Delivered();
        await f.WaitForWholeStoryAsync(story);
        var track = await f.Tracking.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/tracking/public/track/{story.MasterWaybill}?phoneLast4=2222");

        Assert.Equal("delivered", track.GetProperty("status").GetString());
        Assert.Equal(["picked_up", "in_transit", "in_transit", "out_for_delivery", "delivered"],
            track.GetProperty("timeline").EnumerateArray().Select(s => s.GetProperty("status").GetString()));
        AssertNoPersonalData(track.GetRawText());
    }

    [Fact]
    public async Task A_wrong_last4_is_404()
    {
        var story = await Delivered();
        var response = await f.Tracking.CreateClient().GetAsync($"/api/v1/tracking/public/track/{story.MasterWaybill}?phoneLast4=1111");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_trace_code_tells_the_boxs_story_back_to_growers_contract_and_seedlings_without_personal_data()
    {
        var story = await Delivered();
        var trace = await Eventually.Found(f.Tracking.CreateClient(), $"/api/v1/tracking/public/trace/{story.TraceCodes[1]}",
            t => t.GetRawText().Contains("DR-2026-01") && t.GetProperty("certificate").ValueKind == JsonValueKind.Object, what: "seedling lineage and certificate");
        var body = trace.GetRawText();

        Assert.Equal("grade1", trace.GetProperty("grade").GetString());
        Assert.Equal(5m, trace.GetProperty("netKg").GetDecimal());
        var origins = trace.GetProperty("origins").EnumerateArray().ToList();
        Assert.Equal(["EP-012", "SX-007"], origins.Select(o => o.GetProperty("memberNo").GetString()));
        Assert.Equal("恩平市大田镇", origins[0].GetProperty("contractRegion").GetString());
        Assert.Equal("杜阮北芦村母本田", origins[0].GetProperty("seedlings")[0].GetProperty("motherField").GetString());
        Assert.Contains("****", trace.GetProperty("waybillNo").GetString());
        Assert.Equal(5m, trace.GetProperty("certificate").GetProperty("weightKg").GetDecimal());
        AssertNoPersonalData(body);
        Assert.DoesNotContain(story.ChildWaybill, body);
    }

    [Fact]
    public async Task Each_box_has_a_QR_code_image_for_its_label()
    {
        var story = await Delivered();
        var response = await f.Tracking.CreateClient().GetAsync($"/api/v1/tracking/public/trace/{story.TraceCodes[0]}/qr.png");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var png = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        Assert.Equal(HttpStatusCode.NotFound, (await f.Tracking.CreateClient().GetAsync("/api/v1/tracking/public/trace/ZZZZZZZZZZ/qr.png")).StatusCode);
    }

    [Fact]
    public async Task A_boxs_certificate_carries_its_own_cooperatives_profile_texts_and_the_newest_profile_wins_whatever_the_order()
    {
        var coop = "cert-" + Guid.NewGuid().ToString("N")[..8];
        var unprofiled = "noprofile-" + Guid.NewGuid().ToString("N")[..8];
        // Version 2 arrives before version 1 (a re-delivery, a slow replica): the older save must not win.
        await f.PublishAsync([Profile(coop, 2, "长乔村农民专业合作社", "委托检测"), Profile(coop, 1, "旧名称合作社", "自我承诺")]);
        var ours = ShipmentStory.Create(DateTimeOffset.UtcNow.AddDays(-2), coop: coop);
        var theirs = ShipmentStory.Create(DateTimeOffset.UtcNow.AddDays(-2), coop: unprofiled);
        await f.PublishAsync([.. ours.Events, .. theirs.Events]);
        var anonymous = f.Tracking.CreateClient();
        await Eventually.Until(async () =>
        {
            await using var db = f.Db.Open();
            return await Dapper.SqlMapper.ExecuteScalarAsync<long>(db,
                "select count(*) from event_log where event_type = 'cooperative-profile-saved' and cooperative_id = @coop", new { coop });
        }, n => n == 2, TimeSpan.FromSeconds(30), "both profile saves kept");

        var trace = await Eventually.Found(anonymous, $"/api/v1/tracking/public/trace/{ours.TraceCodes[0]}",
            t => t.GetProperty("certificate").ValueKind == JsonValueKind.Object, what: "the box's certificate");
        var other = await Eventually.Found(anonymous, $"/api/v1/tracking/public/trace/{theirs.TraceCodes[0]}", _ => true, what: "the other box");

        var certificate = trace.GetProperty("certificate");
        Assert.Equal("长乔村农民专业合作社", certificate.GetProperty("producer").GetString());
        Assert.Equal("委托检测", certificate.GetProperty("commitmentBasis").GetString());
        Assert.StartsWith("广东省江门市蓬江区杜阮镇长乔村", certificate.GetProperty("origin").GetString());
        Assert.Equal("长乔村农民专业合作社", trace.GetProperty("cooperative").GetString());
        // No profile: no certificate, rather than another cooperative's texts.
        Assert.Equal(JsonValueKind.Null, other.GetProperty("certificate").ValueKind);
    }

    private static CooperativeProfileSaved Profile(string coop, int version, string name, string basis) => new(
        Guid.NewGuid(), DateTimeOffset.UtcNow, coop, name, "长乔", "长乔村", new PostalAddress("广东省", "江门市", "蓬江区", "杜阮镇长乔村"),
        "李主任", "0750-3111111", "CQ", 500, 300, 300, 4, new CertificateTexts(name, "广东省江门市蓬江区杜阮镇长乔村", "0750-3111111", basis), version);

    private async Task<ShipmentStory> Delivered()
    {
        var story = ShipmentStory.Create(DateTimeOffset.UtcNow.AddDays(-2));
        await f.PublishAsync([Profile(ShipmentStory.Coop, 1, "上巷村农民专业合作社", "内部质量控制"), .. story.Events]);
        await f.WaitForStatusAsync(f.Buyer(story.BuyerId), story.MasterWaybill, "delivered");
        return story;
    }

    private static void AssertNoPersonalData(string body)
    {
        foreach (var personal in new[] { ShipmentStory.ContactName, ShipmentStory.Phone, ShipmentStory.Street, "签收人", "1391111" })
            Assert.DoesNotContain(personal, body);
    }
}

/// <summary>Public endpoints are rate limited per client.</summary>
public class PublicRateLimitTests(PublicRateLimitTests.Fixture f) : IClassFixture<PublicRateLimitTests.Fixture>
{
    public sealed class Fixture : TrackingFixture
    {
        public override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimits:PublicPerMinute"] = "5" };
    }

    [Fact]
    public async Task Past_the_limit_public_calls_get_429_ProblemDetails()
    {
        var client = f.Tracking.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
            statuses.Add((await client.GetAsync("/api/v1/tracking/public/trace/ABCDEFGHJK")).StatusCode);

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.NotFound, 5), statuses.Take(5));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        var problem = await (await client.GetAsync("/api/v1/tracking/public/trace/ABCDEFGHJK")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("urn:melonchain:problem:rate-limited", problem.GetProperty("type").GetString());
    }
}
