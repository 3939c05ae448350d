extern alias dispatch;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults.Security;
using MelonChain.Testing;

namespace MelonChain.Dispatch.Tests;

/// <summary>A cooperative books with the carrier under its own sender and monthly card, and never under another's.</summary>
public class CarrierAccountTests(DispatchFixture f) : IClassFixture<DispatchFixture>
{
    [Fact]
    public async Task A_cooperative_without_a_profile_or_a_carrier_account_cannot_collect_and_nothing_is_booked()
    {
        var coop = "new-" + Guid.NewGuid().ToString("N")[..8];
        var courier = f.Dispatch.As(Roles.Courier, "k-new", cooperative: coop, courierId: "C-NEW");
        var (pickupId, _, codes) = await f.OpenPickupAsync(2, coop: coop);
        Assert.Equal(HttpStatusCode.OK, (await courier.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null)).StatusCode);
        var ordersBefore = await f.Simulator.OrderCountAsync();

        var noProfile = await courier.PostAsJsonAsync($"/api/v1/dispatch/pickups/{pickupId}/collect", new { traceCodes = codes });
        await f.PublishAsync(new CooperativeProfileSaved(Guid.NewGuid(), DateTimeOffset.UtcNow, coop, "新社", "新社", "新村",
            new PostalAddress("广东省", "江门市", "蓬江区", "杜阮镇新村"), "何主任", "0750-3999999", "NW", 500, 300, 300, 4,
            new CertificateTexts("新社", "江门", "0750-3999999", "自我承诺"), 1));
        await Eventually.Until(() => f.ScalarAsync<long>("select count(*) from cooperative_senders where cooperative_id = @coop", new { coop }),
            n => n == 1, TimeSpan.FromSeconds(30), "the sender known");
        var noAccount = await courier.PostAsJsonAsync($"/api/v1/dispatch/pickups/{pickupId}/collect", new { traceCodes = codes });

        Assert.Equal(HttpStatusCode.Conflict, noProfile.StatusCode);
        Assert.Equal("urn:melonchain:problem:profile-required", (await noProfile.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.Conflict, noAccount.StatusCode);
        Assert.Equal("urn:melonchain:problem:carrier-account-required", (await noAccount.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        Assert.Equal(ordersBefore, await f.Simulator.OrderCountAsync());
        Assert.Equal(0, await f.ScalarAsync<long>("select count(*) from pickups where id = @pickupId and booking_started_at is not null", new { pickupId }));
    }

    [Fact]
    public async Task Each_cooperatives_carrier_order_names_its_own_sender_address_and_monthly_card()
    {
        var coop = "own-" + Guid.NewGuid().ToString("N")[..8];
        await f.OnboardAsync(coop, account: "7550004321", street: "杜阮镇长乔村凉瓜示范基地");
        var courier = f.Dispatch.As(Roles.Courier, "k-own", cooperative: coop, courierId: "C-OWN");
        var (pickupId, _, codes) = await f.OpenPickupAsync(2, coop: coop);
        Assert.Equal(HttpStatusCode.OK, (await courier.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null)).StatusCode);

        var (response, _) = await f.CollectWithRetriesAsync(courier, pickupId, codes);
        var shipment = await response.Content.ReadFromJsonAsync<JsonElement>();
        var order = await f.Simulator.OrderAsync(shipment.GetProperty("carrierOrderId").GetString()!);
        var sent = JsonDocument.Parse(order!.Value.GetProperty("request").GetString()!).RootElement;
        var sender = sent.GetProperty("contactInfoList").EnumerateArray().Single(c => c.GetProperty("contactType").GetInt32() == 1);

        Assert.Equal("7550004321", sent.GetProperty("monthlyCard").GetString());
        Assert.Equal(("杜阮镇长乔村凉瓜示范基地", "蓬江区", $"{coop} 农民专业合作社"),
            (sender.GetProperty("address").GetString(), sender.GetProperty("county").GetString(), sender.GetProperty("company").GetString()));
    }
}
