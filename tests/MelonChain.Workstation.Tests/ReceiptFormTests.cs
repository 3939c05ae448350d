using MelonChain.Workstation.Pages.Receiving;

namespace MelonChain.Workstation.Tests;

public sealed class ReceiptFormTests
{
    [Theory]
    [InlineData("120.5", 120.5)]
    [InlineData(" 120 ", 120.0)]
    [InlineData("120。5", 120.5)] // a Chinese keyboard's full stop
    [InlineData("0.001", 0.001)]
    [InlineData("1,200", null)]
    [InlineData("-5", null)]
    [InlineData("12kg", null)]
    [InlineData("", null)]
    public void Typed_kilograms_are_read_with_a_point_or_a_Chinese_full_stop_and_nothing_else(string typed, double? kg) =>
        Assert.Equal(kg is null ? null : (decimal)kg.Value, ReceiptForm.ParseKg(typed));

    [Theory]
    [InlineData(-1, true)]
    [InlineData(0, false)]
    [InlineData(500, false)]
    [InlineData(501, true)]
    public void Crates_are_0_to_500(int crates, bool refused)
    {
        var form = new ReceiptForm { Grower = Tests.StubApi.Member, HarvestedOn = new DateOnly(2026, 6, 12), GrossKg = "10", Crates = crates };
        Assert.Equal(refused, form.Validate().ContainsKey("crates"));
    }

    [Fact]
    public void A_certificate_number_without_the_certificate_presented_is_refused_as_the_server_does()
    {
        var form = new ReceiptForm { Grower = Tests.StubApi.Member, HarvestedOn = new DateOnly(2026, 6, 12), GrossKg = "10", CertificateNo = "HG-1" };
        Assert.Equal([Text.CertificateNoWithoutCertificate], form.Validate()["growerCertificate.number"]);
        form.CertificatePresented = true;
        Assert.Empty(form.Validate());
    }

    [Fact]
    public void A_member_grower_delivers_under_no_contract_and_a_contract_grower_under_theirs()
    {
        Assert.Null(new ReceiptForm { Grower = Tests.StubApi.Member }.ContractId);
        Assert.Equal(Tests.StubApi.ContractId, new ReceiptForm { Grower = Tests.StubApi.ContractGrower }.ContractId);
    }

    [Fact]
    public void One_capture_keeps_its_idempotency_key_for_every_retry()
    {
        var form = new ReceiptForm { Grower = Tests.StubApi.Member, HarvestedOn = new DateOnly(2026, 6, 12), GrossKg = "10" };
        var (_, first) = form.ToRequest();
        var (_, again) = form.ToRequest();
        var (_, another) = new ReceiptForm { Grower = Tests.StubApi.Member, HarvestedOn = new DateOnly(2026, 6, 12), GrossKg = "10" }.ToRequest();
        Assert.Equal(first, again);
        Assert.NotEqual(first, another);
    }
}
