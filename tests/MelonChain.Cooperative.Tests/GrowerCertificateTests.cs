using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MelonChain.Cooperative.Tests;

/// <summary>承诺达标合格证 at receiving: the cooperative records whether the grower presented one, and its number.</summary>
public class GrowerCertificateTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static string Today => CooperativeFixture.Today.ToString("yyyy-MM-dd");

    [Fact]
    public async Task A_receipt_keeps_whether_the_grower_presented_a_certificate_and_its_number()
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();

        var with = await c.Post("/api/v1/cooperative/receipts", new
        {
            growerId = grower, harvestedOn = Today, grossKg = 50m, crates = 2,
            growerCertificate = new { presented = true, number = " 蓬江-2026-000318 " },
        });
        var without = await c.Post("/api/v1/cooperative/receipts", new { growerId = grower, harvestedOn = Today, grossKg = 20m, crates = 1 });

        Assert.True(with.GetProperty("growerCertificatePresented").GetBoolean());
        Assert.Equal("蓬江-2026-000318", with.GetProperty("growerCertificateNo").GetString());
        var kept = await c.Http.GetFromJsonAsync<JsonElement>($"/api/v1/cooperative/receipts/{with.GetProperty("id").GetGuid()}");
        Assert.True(kept.GetProperty("growerCertificatePresented").GetBoolean());
        Assert.Equal("蓬江-2026-000318", kept.GetProperty("growerCertificateNo").GetString());
        // Not presented unless said: the cooperative's own certificate then covers the batch alone.
        Assert.False(without.GetProperty("growerCertificatePresented").GetBoolean());
        Assert.Equal(JsonValueKind.Null, without.GetProperty("growerCertificateNo").ValueKind);
    }

    [Theory]
    [InlineData(false, "JM-0001", "a certificate that was not presented has no number")]
    [InlineData(true, "<b>JM</b>", "markup")]
    [InlineData(true, "JM-00000000000000000000000000000000000001", "over 40 characters")]
    public async Task A_certificate_number_that_cannot_be_right_is_422_and_records_no_receipt(bool presented, string number, string because)
    {
        var c = await f.NewCooperativeAsync();
        var (grower, _) = await c.Grower();

        var response = await c.Http.PostAsJsonAsync("/api/v1/cooperative/receipts", new
        {
            growerId = grower, harvestedOn = Today, grossKg = 30m, crates = 1, growerCertificate = new { presented, number },
        });

        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, because);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("growerCertificate.number", out _), because);
        Assert.Equal(0, await f.CountAsync("select count(*) from receipts where cooperative_id = @Coop", new { Coop = c.CooperativeId }));
    }
}
