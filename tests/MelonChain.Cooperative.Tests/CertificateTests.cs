using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MelonChain.Messages;
using MelonChain.Messages.Dispatch;
using MelonChain.ServiceDefaults.Security;
using Npgsql;

namespace MelonChain.Cooperative.Tests;

/// <summary>
/// 承诺达标合格证 of the cooperative: packing issues one numbered certificate per order batch from the profile, the book
/// lists them by issue date, a cancelled batch's certificate is revoked but kept, and none can be lost before 6 months.
/// </summary>
public class CertificateTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static DateOnly Today => CooperativeFixture.Today;

    [Fact]
    public async Task Packing_issues_a_numbered_certificate_for_the_batch_with_every_field_from_the_profile()
    {
        var c = await f.NewCooperativeAsync();
        var (a, aNo) = await c.Grower();
        var (b, bNo) = await c.Grower();
        var withCertificate = await c.Post("/api/v1/cooperative/receipts", new
        {
            growerId = a, harvestedOn = Today.ToString("yyyy-MM-dd"), grossKg = 20.2m, crates = 1,
            growerCertificate = new { presented = true, number = "蓬江-2026-000318" },
        });
        await c.Post($"/api/v1/cooperative/receipts/{withCertificate.GetProperty("id").GetGuid()}/grading", new { lines = new[] { new { grade = "grade1", kg = 20m } } });
        await c.Harvest(b, Today, ("grade1", 20m));
        var buyer = await c.Buyer();
        var first = await c.Order(buyer, ("grade1", 30m, 1800));
        var second = await c.Order(buyer, ("grade1", 10m, 1800));

        var packed = await c.Post($"/api/v1/cooperative/orders/{first}/pack", new { });
        var packedSecond = await c.Post($"/api/v1/cooperative/orders/{second}/pack", new { });

        var prefix = Onboarding.PrefixOf(c.CooperativeId);
        Assert.Equal($"{prefix}-HGZ-{Today.Year}-000001", packed.GetProperty("certificateNo").GetString());
        Assert.Equal($"{prefix}-HGZ-{Today.Year}-000002", packedSecond.GetProperty("certificateNo").GetString());
        var certificate = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{first}/certificate");
        Assert.Equal(packed.GetProperty("certificateNo").GetString(), certificate.GetProperty("certificateNo").GetString());
        Assert.Equal(Produce.CertificateName, certificate.GetProperty("productName").GetString());
        Assert.Equal(30m, certificate.GetProperty("netKg").GetDecimal());
        Assert.Equal(6, certificate.GetProperty("boxes").GetInt32());
        Assert.Equal($"{c.CooperativeId} 农民专业合作社", certificate.GetProperty("producer").GetString());
        Assert.Equal("广东省江门市蓬江区杜阮镇 · 上巷村", certificate.GetProperty("origin").GetString());
        Assert.Equal("0750-3000000", certificate.GetProperty("contact").GetString());
        Assert.Equal("内部质量控制", certificate.GetProperty("commitmentBasis").GetString());
        Assert.Equal(Today, DateOnly.Parse(certificate.GetProperty("issuedOn").GetString()!));
        Assert.Equal(Today.AddMonths(6), DateOnly.Parse(certificate.GetProperty("keepUntil").GetString()!));
        // The growers' certificates it collected for this batch: both receipts, one presented with its number.
        var growers = certificate.GetProperty("growerCertificates").EnumerateArray().ToList();
        Assert.Equal([aNo, bNo], growers.Select(g => g.GetProperty("memberNo").GetString()).Order());
        var presented = Assert.Single(growers, g => g.GetProperty("presented").GetBoolean());
        Assert.Equal("蓬江-2026-000318", presented.GetProperty("number").GetString());

        var book = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/certificates?from={Today:yyyy-MM-dd}&to={Today:yyyy-MM-dd}&limit=1");
        Assert.Equal(packed.GetProperty("certificateNo").GetString(), Assert.Single(book.GetProperty("items").EnumerateArray()).GetProperty("certificateNo").GetString());
        var next = await c.Http.GetFromJsonAsync<JsonElement>(
            $"/api/v1/cooperative/certificates?from={Today:yyyy-MM-dd}&to={Today:yyyy-MM-dd}&after={Uri.EscapeDataString(book.GetProperty("next").GetString()!)}");
        Assert.Equal(packedSecond.GetProperty("certificateNo").GetString(), Assert.Single(next.GetProperty("items").EnumerateArray()).GetProperty("certificateNo").GetString());
        var yesterday = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/certificates?from={Today.AddDays(-1):yyyy-MM-dd}&to={Today.AddDays(-1):yyyy-MM-dd}");
        Assert.Empty(yesterday.GetProperty("items").EnumerateArray());
    }

    /// <summary>S12: C renames its receipt prefix, D takes the old one; D's certificates never collide with C's.</summary>
    [Fact]
    public async Task A_cooperative_taking_a_prefix_another_gave_up_packs_with_certificate_numbers_of_its_own()
    {
        var old = "R" + Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        var c = await f.NewCooperativeAsync();
        var cAdmin = f.Cooperative.As(Roles.Admin, "admin-c", cooperative: c.CooperativeId);
        await Onboarding.SaveProfileAsync(cAdmin, c.CooperativeId, profile: Onboarding.Profile(c.CooperativeId, prefix: old));
        await c.Harvest((await c.Grower()).Id, Today, ("grade1", 20m));
        var cFirst = (await c.Post($"/api/v1/cooperative/orders/{await c.Order(await c.Buyer(), ("grade1", 10m, 800))}/pack", new { }))
            .GetProperty("certificateNo").GetString();
        await Onboarding.SaveProfileAsync(cAdmin, c.CooperativeId, profile: Onboarding.Profile(c.CooperativeId));

        var d = await f.NewCooperativeAsync();
        await Onboarding.SaveProfileAsync(f.Cooperative.As(Roles.Admin, "admin-d", cooperative: d.CooperativeId), d.CooperativeId,
            profile: Onboarding.Profile(d.CooperativeId, prefix: old));
        await d.Harvest((await d.Grower()).Id, Today, ("grade1", 20m));
        var dPacks = new List<string?>();
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var response = await d.Http.PostAsJsonAsync($"/api/v1/cooperative/orders/{await d.Order(await d.Buyer(), ("grade1", 10m, 800))}/pack", new { });
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            dPacks.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("certificateNo").GetString());
        }
        var cNext = (await c.Post($"/api/v1/cooperative/orders/{await c.Order(await c.Buyer(), ("grade1", 10m, 800))}/pack", new { }))
            .GetProperty("certificateNo").GetString();

        Assert.Equal($"{old}-HGZ-{Today.Year}-000001", cFirst);
        Assert.All(dPacks, n => Assert.StartsWith($"{old}-HGZ-{Today.Year}-", n));
        Assert.Equal(3, new[] { cFirst }.Concat(dPacks).Distinct().Count());
        Assert.StartsWith($"{Onboarding.PrefixOf(c.CooperativeId)}-HGZ-", cNext);
        // Each number is on record once, with the cooperative that issued it.
        Assert.Equal(1, await f.CountAsync("select count(*) from certificates where certificate_no = @cFirst and cooperative_id = @Coop",
            new { cFirst, Coop = c.CooperativeId }));
        Assert.Equal(2, await f.CountAsync("select count(*) from certificates where certificate_no = any(@dPacks) and cooperative_id = @Coop",
            new { dPacks = dPacks.ToArray(), Coop = d.CooperativeId }));
    }

    [Fact]
    public async Task An_order_never_packed_has_no_certificate_and_a_list_ending_before_it_starts_is_422()
    {
        var c = await f.NewCooperativeAsync();
        await c.Harvest((await c.Grower()).Id, Today, ("grade1", 10m));
        var packed = await c.Order(await c.Buyer(), ("grade1", 10m, 800));
        var number = (await c.Post($"/api/v1/cooperative/orders/{packed}/pack", new { })).GetProperty("certificateNo").GetString();
        var order = await c.Order(await c.Buyer(), ("grade1", 10m, 800));

        Assert.Equal(HttpStatusCode.NotFound, (await c.Http.GetAsync($"/api/v1/cooperative/orders/{order}/certificate")).StatusCode);
        var backwards = await c.Http.GetAsync("/api/v1/cooperative/certificates?from=2026-03-01&to=2026-02-01");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, backwards.StatusCode);
        Assert.True((await backwards.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("to", out _));
        // Without dates, the book shows the last 6 months.
        var book = await c.Http.GetFromJsonAsync<JsonElement>("/api/v1/cooperative/certificates");
        Assert.Equal(number, Assert.Single(book.GetProperty("items").EnumerateArray()).GetProperty("certificateNo").GetString());
    }

    [Fact]
    public async Task A_certificate_can_be_neither_deleted_nor_changed_before_its_six_months_are_up()
    {
        var c = await f.NewCooperativeAsync();
        await c.Harvest((await c.Grower()).Id, Today, ("grade1", 10m));
        var order = await c.Order(await c.Buyer(), ("grade1", 10m, 800));
        var number = (await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { })).GetProperty("certificateNo").GetString();

        await using var db = f.Db.Open();
        var delete = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("delete from certificates where certificate_no = @number", new { number }));
        Assert.Contains("kept until", delete.MessageText);
        var change = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("update certificates set net_grams = 1 where certificate_no = @number", new { number }));
        Assert.Contains("is a record", change.MessageText);
        Assert.Equal(1, await f.CountAsync("select count(*) from certificates where certificate_no = @number and net_grams = 10000", new { number }));
    }

    [Fact]
    public async Task A_cancelled_batch_keeps_its_certificate_marked_revoked()
    {
        var c = await f.NewCooperativeAsync();
        await c.Harvest((await c.Grower()).Id, Today, ("grade1", 10m));
        var order = await c.Order(await c.Buyer(), ("grade1", 10m, 800));
        await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { });
        Assert.Equal(HttpStatusCode.Accepted, (await c.Http.PostAsJsonAsync($"/api/v1/cooperative/orders/{order}/cancel", new { reason = "buyer cancelled" })).StatusCode);

        await f.PublishAsync(new CancellationAnswered(Guid.NewGuid(), DateTimeOffset.UtcNow, c.CooperativeId, order, CancellationOutcomes.PickupClosed, "closed"));

        var revoked = await Eventually.Until(() => c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/orders/{order}/certificate"),
            x => x.GetProperty("revokedAt").ValueKind == JsonValueKind.String, TimeSpan.FromSeconds(30), "the certificate revoked");
        Assert.Equal("buyer cancelled", revoked.GetProperty("revokedReason").GetString());
    }
}
