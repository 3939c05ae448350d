using System.Text.Json;
using MelonChain.Workstation.Api;
using MelonChain.Workstation.Offline;
using MelonChain.Workstation.Pages.Receiving;
using MelonChain.Workstation.Pages.Slip;
using Microsoft.Extensions.DependencyInjection;

namespace MelonChain.Workstation.Tests;

/// <summary>
/// The offline queue and the receipt slip together: a receipt saved without a network prints at once with its
/// provisional number and the grower's QR from the link kept on the device; once the queue has sent it, its slip shows
/// the server's receipt number.
/// </summary>
public sealed class OfflineSlipTests : WorkstationContext
{
    private const string Cooperative = "shangxiang";

    /// <summary>No network: the device has the register and the members' links it kept the last time it was online.</summary>
    private void OfflineWithTheRegisterAndLinksKept()
    {
        Store.Online = false;
        Api.Offline = true;
        Store.Growers[Cooperative] = [StubApi.Member, StubApi.ContractGrower];
        KeptLinksJson = JsonSerializer.Serialize(new Dictionary<Guid, string>
        {
            [StubApi.Member.Id] = StubApi.LinkOf(StubApi.Member),
            [StubApi.ContractGrower.Id] = StubApi.LinkOf(StubApi.ContractGrower),
        });
        SignedInAs("clerk");
    }

    private IRenderedComponent<Receiving> SaveOffline(string member, string kg, string crates)
    {
        var receiving = Render<Receiving>();
        receiving.WaitForElement("#growerSearch:not([disabled])");
        receiving.Find("#growerSearch").Input(member);
        receiving.Find("ul.choices button").Click();
        receiving.Find("#grossKg").Change(kg);
        receiving.Find("#crates").Change(crates);
        receiving.Find("form.receipt").Submit();
        receiving.WaitForElement("#slip");
        return receiving;
    }

    private static string Shown<T>(IRenderedComponent<T> page, string id) where T : Microsoft.AspNetCore.Components.IComponent =>
        page.Find(id).TextContent.Trim();

    [Fact]
    public void A_receipt_saved_offline_shows_and_prints_its_slip_with_the_provisional_number_and_the_QR_of_the_growers_kept_link()
    {
        OfflineWithTheRegisterAndLinksKept();

        var receiving = SaveOffline("王", "120.5", "6");

        receiving.WaitForAssertion(() => Assert.Single(SlipModule.Invocations["print"]));
        Assert.Equal("K7M2-0001", Shown(receiving, "#provisionalNo"));
        Assert.Equal("K7M2-0001", Shown(receiving, "#slipProvisionalNo"));
        Assert.Equal(MelonChain.Workstation.Text.SlipNotSynced, Shown(receiving, "#slipNotSynced"));
        Assert.Empty(receiving.FindAll("#slipReceiptNo"));
        Assert.Equal("EP-017", Shown(receiving, "#slipMemberNo"));
        Assert.Equal("王建国", Shown(receiving, "#slipMemberName"));
        Assert.Equal("120.5", Shown(receiving, "#slipGrossKg"));
        Assert.Equal("6", Shown(receiving, "#slipCrates"));
        Assert.Equal(StubApi.ContractId.ToString(), Shown(receiving, "#slipContract"));
        Assert.Equal(StubApi.LinkOf(StubApi.ContractGrower), QrPng.Decode(receiving.Find("#slipQr").GetAttribute("src")!));
        Assert.Equal("slips/provisional/K7M2-0001", receiving.Find("#slipLink").GetAttribute("href"));
        // Kept on the device, not sent: the slip did not wait for the server.
        Assert.Empty(Api.Receipts);
        Assert.Equal(CaptureState.Queued, Assert.Single(Store.Captures).State);
    }

    [Fact]
    public async Task After_the_queue_syncs_the_provisional_slip_page_shows_the_servers_receipt_number()
    {
        OfflineWithTheRegisterAndLinksKept();
        SaveOffline("SX-001", "88.25", "4");
        var slip = Render<SlipPage>(p => p.Add(s => s.ProvisionalNo, "K7M2-0001"));
        slip.WaitForElement("#slip");
        Assert.Equal("K7M2-0001", Shown(slip, "#slipProvisionalNo"));
        Assert.Equal(StubApi.LinkOf(StubApi.Member), QrPng.Decode(slip.Find("#slipQr").GetAttribute("src")!));

        Api.Offline = false;
        await Store.GoAsync(true);

        slip.WaitForAssertion(() => Assert.Equal("SX-20260612-0001", Shown(slip, "#slipReceiptNo")));
        Assert.Empty(slip.FindAll("#slipProvisionalNo"));
        Assert.Empty(slip.FindAll("#slipNotSynced"));
        Assert.Equal("李秀英", Shown(slip, "#slipMemberName"));
        Assert.Equal("88.25", Shown(slip, "#slipGrossKg"));
        Assert.Equal(StubApi.LinkOf(StubApi.Member), QrPng.Decode(slip.Find("#slipQr").GetAttribute("src")!));
        Assert.Single(Api.Receipts); // sent once
        Assert.Single(SlipModule.Invocations["print"]); // printed at the save, not again when the number came
    }

    [Fact]
    public void A_reloaded_page_finds_a_synced_capture_by_its_provisional_number_in_the_queue_with_the_member_from_the_kept_register()
    {
        // What the tab remembered is gone (a reload); the device's queue and register are not.
        Store.Growers[Cooperative] = [StubApi.Member, StubApi.ContractGrower];
        var capturedAt = new DateTimeOffset(2026, 6, 12, 1, 5, 0, TimeSpan.Zero);
        var body = new CooperativeApi.ReceiptRequest(StubApi.Member.Id, new DateOnly(2026, 6, 12), 52.5m, 3, null, null, null, capturedAt);
        Store.PutAsync(new Capture
        {
            Id = Guid.NewGuid().ToString(), Kind = CaptureKind.Receipt, Path = CooperativeApi.ReceiptsPath,
            Body = JsonSerializer.Serialize(body, ApiJson.Options), CapturedAt = capturedAt, Device = "K7M2", Sequence = 7,
            Cooperative = Cooperative, Subject = "clerk-1", Summary = "SX-001 李秀英 52.5 公斤 3 筐",
            State = CaptureState.Sent, ReceiptId = Guid.NewGuid(), ReceiptNo = "SX-20260612-0042", SentAt = DateTimeOffset.UtcNow, // sent captures are kept 7 days
        });
        SignedInAs("clerk");

        var slip = Render<SlipPage>(p => p.Add(s => s.ProvisionalNo, "K7M2-0007"));

        slip.WaitForElement("#slip");
        Assert.Equal("SX-20260612-0042", Shown(slip, "#slipReceiptNo"));
        Assert.Equal("SX-001", Shown(slip, "#slipMemberNo"));
        Assert.Equal("李秀英", Shown(slip, "#slipMemberName"));
        Assert.Equal("52.5", Shown(slip, "#slipGrossKg"));
        Assert.Equal("2026-06-12 09:05", Shown(slip, "#slipTime"));
        Assert.Equal("clerk-1", Shown(slip, "#slipClerk"));
    }

    [Fact]
    public void Another_cooperatives_capture_on_the_same_device_is_not_found_by_its_provisional_number()
    {
        var body = new CooperativeApi.ReceiptRequest(StubApi.Member.Id, new DateOnly(2026, 6, 12), 52.5m, 3, null, null, null, DateTimeOffset.UtcNow);
        Store.PutAsync(new Capture
        {
            Id = Guid.NewGuid().ToString(), Kind = CaptureKind.Receipt, Path = CooperativeApi.ReceiptsPath,
            Body = JsonSerializer.Serialize(body, ApiJson.Options), CapturedAt = DateTimeOffset.UtcNow, Device = "K7M2", Sequence = 8,
            Cooperative = "xiaxiang", Subject = "clerk-9", Summary = "",
        });
        SignedInAs("clerk");

        var slip = Render<SlipPage>(p => p.Add(s => s.ProvisionalNo, "K7M2-0008"));

        slip.WaitForAssertion(() => Assert.Equal(MelonChain.Workstation.Text.SlipNotFound, Shown(slip, "#problem li")));
    }

    [Fact]
    public void Online_the_receiving_screen_keeps_the_register_on_the_device_and_fetches_every_members_link_for_offline_slips()
    {
        SignedInAs("clerk");

        var receiving = Render<Receiving>();
        receiving.WaitForElement("#growerSearch:not([disabled])");

        Assert.Equal([StubApi.Member.Id, StubApi.ContractGrower.Id], Store.Growers[Cooperative].Select(g => g.Id));
        receiving.WaitForAssertion(() =>
        {
            var saved = SlipModule.Invocations["saveLinks"].Last().Arguments;
            var links = JsonSerializer.Deserialize<Dictionary<Guid, string>>((string)saved[1]!)!;
            Assert.Equal(StubApi.LinkOf(StubApi.Member), links[StubApi.Member.Id]);
            Assert.Equal(StubApi.LinkOf(StubApi.ContractGrower), links[StubApi.ContractGrower.Id]);
        });
    }
}
