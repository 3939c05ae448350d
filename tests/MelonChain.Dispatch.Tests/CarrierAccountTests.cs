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

    private static object SfAccount(string account) =>
        new { accounts = new[] { new { carrier = "sf", account, discountBps = 7500, defaultFor = new[] { "Beijing" } } } };

    [Fact]
    public async Task A_monthly_card_held_by_one_cooperative_is_409_to_another_whose_collection_never_books_on_it()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var (first, second) = ("card-a-" + run, "card-b-" + run);
        var card = "755" + Random.Shared.Next(1_000_000, 9_999_999);
        await f.OnboardAsync(first, account: card);
        await f.PublishProfileAsync(second);
        var secondAdmin = f.Dispatch.As(Roles.Admin, "admin-b", cooperative: second);

        var taken = await secondAdmin.PutAsJsonAsync("/api/v1/dispatch/carrier-accounts", SfAccount(card));

        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal("urn:melonchain:problem:carrier-account-taken", (await taken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        Assert.Equal(0, await f.ScalarAsync<long>("select count(*) from carrier_accounts where cooperative_id = @second", new { second }));
        Assert.Equal(first, await f.ScalarAsync<string>("select cooperative_id from carrier_accounts where carrier = 'sf' and account = @card", new { card }));

        // The second cooperative's collection is refused until its admin saves its own card, then booked on that card.
        var courier = f.Dispatch.As(Roles.Courier, "k-b", cooperative: second, courierId: "C-B2");
        var (pickupId, _, codes) = await f.OpenPickupAsync(2, coop: second);
        Assert.Equal(HttpStatusCode.OK, (await courier.PostAsync($"/api/v1/dispatch/pickups/{pickupId}/accept", null)).StatusCode);
        var ordersBefore = await f.Simulator.OrderCountAsync();
        var refused = await courier.PostAsJsonAsync($"/api/v1/dispatch/pickups/{pickupId}/collect", new { traceCodes = codes });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(ordersBefore, await f.Simulator.OrderCountAsync());

        var own = "755" + Random.Shared.Next(1_000_000, 9_999_999);
        Assert.Equal(HttpStatusCode.OK, (await secondAdmin.PutAsJsonAsync("/api/v1/dispatch/carrier-accounts", SfAccount(own))).StatusCode);
        var (collected, _) = await f.CollectWithRetriesAsync(courier, pickupId, codes);
        Assert.Equal(HttpStatusCode.OK, collected.StatusCode);
        var shipment = await collected.Content.ReadFromJsonAsync<JsonElement>();
        foreach (var order in shipment.GetProperty("carrierOrders").EnumerateArray())
        {
            var atCarrier = await f.Simulator.OrderAsync(order.GetProperty("carrierOrderId").GetString()!);
            Assert.Equal(own, JsonDocument.Parse(atCarrier!.Value.GetProperty("request").GetString()!).RootElement.GetProperty("monthlyCard").GetString());
        }
    }

    [Fact]
    public async Task A_cooperative_may_save_its_own_card_again()
    {
        var coop = "again-" + Guid.NewGuid().ToString("N")[..8];
        await f.OnboardAsync(coop);
        var admin = f.Dispatch.As(Roles.Admin, "admin-1", cooperative: coop);

        var again = await admin.PutAsJsonAsync("/api/v1/dispatch/carrier-accounts", Onboarding.CarrierAccountsOf(coop, discountBps: 7000));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(7000, await f.ScalarAsync<int>("select discount_bps from carrier_accounts where cooperative_id = @coop and carrier = 'sf'", new { coop }));
    }
}
