using System.Text.Json;
using MelonChain.Workstation.Api;
using MelonChain.Workstation.Auth;
using MelonChain.Workstation.Pages.Receiving;
using MelonChain.Workstation.Pages.Slip;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace MelonChain.Workstation.Tests;

/// <summary>收购小票: what the grower takes home, from a saved receipt or a capture kept offline.</summary>
public sealed class SlipTests : WorkstationContext
{
    private static readonly Guid ReceiptId = Guid.Parse("0199a000-0000-7000-8000-0000000000e1");
    private static readonly DateTimeOffset ReceivedAt = new(2026, 6, 12, 1, 5, 0, TimeSpan.Zero); // 09:05 in China

    private void ServerHoldsTheContractGrowersReceipt() =>
        Api.StoredReceipts[ReceiptId] = new
        {
            id = ReceiptId, receiptNo = "SX-20260612-0007", growerId = StubApi.ContractGrower.Id, memberNo = StubApi.ContractGrower.MemberNo,
            contractId = StubApi.ContractId, harvestedOn = "2026-06-12", grossKg = 120.5m, crates = 6, note = (string?)null,
            receivedAt = ReceivedAt, growerCertificatePresented = false, growerCertificateNo = (string?)null,
        };

    private IRenderedComponent<SlipPage> RenderSlip(Guid? id = null, string? provisionalNo = null)
    {
        var slip = Render<SlipPage>(p => p.Add(s => s.Id, id).Add(s => s.ProvisionalNo, provisionalNo));
        slip.WaitForElement("#slip");
        return slip;
    }

    private static string Shown(IRenderedComponent<SlipPage> slip, string id) => slip.Find(id).TextContent.Trim();

    [Fact]
    public void A_receipts_slip_shows_every_field_and_a_QR_that_decodes_to_the_growers_link()
    {
        ServerHoldsTheContractGrowersReceipt();
        SignedInAs("clerk");

        var slip = RenderSlip(ReceiptId);

        Assert.Equal("shangxiang", Shown(slip, "#slipCooperative"));
        Assert.Equal("SX-20260612-0007", Shown(slip, "#slipReceiptNo"));
        Assert.Empty(slip.FindAll("#slipProvisionalNo"));
        Assert.Equal("2026-06-12 09:05", Shown(slip, "#slipTime"));
        Assert.Equal("EP-017", Shown(slip, "#slipMemberNo"));
        Assert.Equal("王建国", Shown(slip, "#slipMemberName"));
        Assert.Equal("120.5", Shown(slip, "#slipGrossKg"));
        Assert.Equal("6", Shown(slip, "#slipCrates"));
        Assert.Equal(StubApi.ContractId.ToString(), Shown(slip, "#slipContract"));
        Assert.Equal("clerk-1", Shown(slip, "#slipClerk"));
        Assert.Equal(StubApi.LinkOf(StubApi.ContractGrower), QrPng.Decode(slip.Find("#slipQr").GetAttribute("src")!));
        // The link is kept on the device for the slips it prints offline.
        var kept = SlipModule.Invocations["saveLinks"].Single().Arguments;
        Assert.Equal("shangxiang", kept[0]);
        Assert.Equal(StubApi.LinkOf(StubApi.ContractGrower), JsonSerializer.Deserialize<Dictionary<Guid, string>>((string)kept[1]!)![StubApi.ContractGrower.Id]);
    }

    [Fact]
    public void A_capture_not_yet_synced_shows_its_provisional_number_and_offline_the_growers_QR_from_the_kept_link()
    {
        KeptLinksJson = JsonSerializer.Serialize(new Dictionary<Guid, string> { [StubApi.Member.Id] = StubApi.LinkOf(StubApi.Member) });
        SignedInAs("clerk");
        Api.Offline = true;
        var clerk = Caller.FromToken(Tokens.For("clerk"))!;
        Services.GetRequiredService<Slips>().RememberProvisional(
            ReceiptSlip.FromCapture("T3-000042", ReceivedAt, StubApi.Member, 88.25m, 4, null, clerk));

        var slip = RenderSlip(provisionalNo: "T3-000042");

        Assert.Equal("T3-000042", Shown(slip, "#slipProvisionalNo"));
        Assert.Equal(MelonChain.Workstation.Text.SlipNotSynced, Shown(slip, "#slipNotSynced"));
        Assert.Empty(slip.FindAll("#slipReceiptNo"));
        Assert.Equal("SX-001", Shown(slip, "#slipMemberNo"));
        Assert.Equal("李秀英", Shown(slip, "#slipMemberName"));
        Assert.Equal("88.25", Shown(slip, "#slipGrossKg"));
        Assert.Equal("—", Shown(slip, "#slipContract"));
        Assert.Equal(StubApi.LinkOf(StubApi.Member), QrPng.Decode(slip.Find("#slipQr").GetAttribute("src")!));
    }

    private sealed class SyncedQueue(ReceiptSlip slip) : IProvisionalSlips
    {
        public Task<ReceiptSlip?> FindAsync(string provisionalNo, CancellationToken ct = default) =>
            Task.FromResult<ReceiptSlip?>(provisionalNo == slip.ProvisionalNo ? slip : null);
    }

    [Fact]
    public void Once_the_offline_queue_has_synced_a_capture_its_slip_shows_the_servers_receipt_number()
    {
        var clerk = Caller.FromToken(Tokens.For("clerk"))!;
        var capture = ReceiptSlip.FromCapture("T3-000043", ReceivedAt, StubApi.Member, 50m, 2, null, clerk);
        Services.AddScoped<IProvisionalSlips>(_ => new SyncedQueue(capture.Synced("SX-20260612-0031")));
        SignedInAs("clerk");

        var slip = RenderSlip(provisionalNo: "T3-000043");

        Assert.Equal("SX-20260612-0031", Shown(slip, "#slipReceiptNo"));
        Assert.Empty(slip.FindAll("#slipProvisionalNo"));
    }

    [Fact]
    public void A_grower_whose_link_the_device_never_kept_gets_a_slip_that_says_so_offline_instead_of_a_QR()
    {
        SignedInAs("clerk");
        Api.Offline = true;
        var clerk = Caller.FromToken(Tokens.For("clerk"))!;
        Services.GetRequiredService<Slips>().RememberProvisional(ReceiptSlip.FromCapture("T3-000044", ReceivedAt, StubApi.Member, 10m, 1, null, clerk));

        var slip = RenderSlip(provisionalNo: "T3-000044");

        Assert.Empty(slip.FindAll("#slipQr"));
        Assert.Equal(MelonChain.Workstation.Text.SlipNoQr, Shown(slip, "#slipNoQr"));
    }

    [Fact]
    public void The_paper_is_80_mm_until_the_clerk_ticks_A6_which_the_device_remembers()
    {
        ServerHoldsTheContractGrowersReceipt();
        SignedInAs("clerk");
        var slip = RenderSlip(ReceiptId);
        Assert.Contains("paper-80", slip.Find("#slip").ClassList);

        slip.Find("#paperA6").Change(true);

        Assert.Contains("paper-a6", slip.Find("#slip").ClassList);
        Assert.Equal("A6", SlipModule.Invocations["setPaper"].Single().Arguments[0]);
    }

    [Fact]
    public void Saving_a_receipt_shows_its_slip_below_the_form_and_prints_it_at_once()
    {
        SignedInAs("clerk");
        var receiving = Render<Receiving>();
        receiving.WaitForElement("#growerSearch:not([disabled])");
        receiving.Find("#growerSearch").Input("王");
        receiving.Find("ul.choices button").Click();
        receiving.Find("#grossKg").Change("120.5");
        receiving.Find("#crates").Change("6");
        receiving.Find("form.receipt").Submit();

        receiving.WaitForElement("#slip");
        receiving.WaitForAssertion(() => Assert.Single(SlipModule.Invocations["print"]));
        Assert.Equal("SX-20260612-0001", receiving.Find("#slipReceiptNo").TextContent);
        Assert.Equal("王建国", receiving.Find("#slipMemberName").TextContent);
        Assert.Equal("120.5", receiving.Find("#slipGrossKg").TextContent);
        Assert.Equal(StubApi.LinkOf(StubApi.ContractGrower), QrPng.Decode(receiving.Find("#slipQr").GetAttribute("src")!));
        Assert.Equal("SX-20260612-0001", receiving.Find("#receiptNo").TextContent);

        // The reprint link opens the slip page from what this tab remembers, without asking for the receipt again.
        var id = receiving.Find("#slipLink").GetAttribute("href")!.Split('/')[^1];
        var slip = Render<SlipPage>(p => p.Add(s => s.Id, Guid.Parse(id)));
        slip.WaitForElement("#slip");
        Assert.Equal("SX-20260612-0001", Shown(slip, "#slipReceiptNo"));
        Assert.Single(SlipModule.Invocations["print"]); // not opened with ?print=true
        Assert.DoesNotContain(Api.Sent, r => r.PathAndQuery.StartsWith("/api/v1/cooperative/receipts/", StringComparison.Ordinal));
    }

    [Fact]
    public void The_slip_page_opened_to_print_prints_once()
    {
        ServerHoldsTheContractGrowersReceipt();
        SignedInAs("clerk");
        Services.GetRequiredService<NavigationManager>().NavigateTo($"slips/{ReceiptId}?print=true");

        var slip = RenderSlip(ReceiptId);
        slip.Render();

        slip.WaitForAssertion(() => Assert.Single(SlipModule.Invocations["print"]));
    }

    [Fact]
    public void The_slip_of_another_cooperatives_receipt_shows_the_servers_refusal()
    {
        SignedInAs("clerk");

        var slip = Render<SlipPage>(p => p.Add(s => s.Id, Guid.NewGuid()));

        slip.WaitForAssertion(() => Assert.NotEmpty(slip.FindAll("#problem li")));
        Assert.Empty(slip.FindAll("#slip"));
    }
}
