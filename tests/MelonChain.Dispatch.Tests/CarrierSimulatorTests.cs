extern alias dispatch;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using dispatch::MelonChain.Dispatch.Features.Carrier;
using dispatch::MelonChain.Dispatch.Features.Carrier.Sf;
using Microsoft.Extensions.Logging.Abstractions;

namespace MelonChain.Dispatch.Tests;

/// <summary>A simulator of its own (real Kestrel), whose pushes go nowhere but are acknowledged.</summary>
public sealed class LoneSimulator : IAsyncLifetime
{
    public SimulatorHost Host { get; } = new(() => new AckHandler(), secondsPerDay: 3600);

    public Task InitializeAsync()
    {
        Host.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    private sealed class AckHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(new { return_code = "0000", return_msg = "成功" }) });
    }
}

/// <summary>The simulator speaks the protocol: digest and field checks, orderId dedupe, waybills, routes, prices.</summary>
public class CarrierSimulatorTests(LoneSimulator sim) : IClassFixture<LoneSimulator>
{
    private const string CheckWord = DispatchFixture.CheckWord;

    private SfCarrier Carrier() => new(new HttpClient { BaseAddress = new Uri(sim.Host.BaseUrl) },
        new SfSettings(sim.Host.BaseUrl, "MELONCHAIN_DEV", CheckWord, "zh-CN"), TimeProvider.System, NullLogger<SfCarrier>.Instance);

    private static BookingRequest Booking(string orderId, int parcels) => new(orderId, "express",
        new Party("上巷村合作社", "0750-3000000", "广东省", "江门市", "杜阮镇上巷村"),
        new Party("王经理", "13900001234", "北京市", "Beijing", "朝阳区建国路 88 号"),
        Enumerable.Range(1, parcels).Select(i => new BookingParcel($"BOX{i:D3}", 5000)).ToList(), DateTimeOffset.UtcNow, "test", MelonChain.Testing.Onboarding.MonthlyCard);

    private async Task<SfResponse> Call(string service, string msgData, string? checkWord = null, bool dropDigest = false)
    {
        var form = SfProtocol.Envelope("MELONCHAIN_DEV", service, msgData, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), checkWord ?? CheckWord, Guid.NewGuid());
        if (dropDigest) form.Remove("msgDigest");
        var response = await sim.Host.Admin.PostAsync("/std/service", new FormUrlEncodedContent(form));
        return (await response.Content.ReadFromJsonAsync<SfResponse>(SfProtocol.Json))!;
    }

    [Fact]
    public async Task A_call_with_a_wrong_digest_is_A1006_and_one_without_a_digest_is_A1001()
    {
        Assert.Equal("A1006", (await Call(SfProtocol.SearchOrder, """{"orderId":"X"}""", checkWord: "wrong")).ApiResultCode);
        Assert.Equal("A1001", (await Call(SfProtocol.SearchOrder, """{"orderId":"X"}""", dropDigest: true)).ApiResultCode);
        Assert.Equal("A1001", (await Call(SfProtocol.CreateOrder, """{"orderId":"X","parcelQty":1}""")).ApiResultCode);
    }

    [Fact]
    public async Task Booking_gives_one_master_and_children_and_a_repeated_orderId_is_8016_finding_the_first()
    {
        var orderId = "MC-SIM-" + Guid.NewGuid().ToString("N");

        var booking = await Carrier().BookAsync(Booking(orderId, 5), CancellationToken.None);
        var again = await Call(SfProtocol.CreateOrder, JsonSerializer.Serialize(new
        {
            orderId, language = "zh-CN", cargoDetails = new[] { new { name = "凉瓜", count = 1, weight = 5 } },
            contactInfoList = new object[] { new { contactType = 1, contact = "a", tel = "1", province = "广东省", city = "江门市", address = "x" },
                                             new { contactType = 2, contact = "b", tel = "2", province = "北京市", city = "Beijing", address = "y" } },
            monthlyCard = "7551234567", payMethod = 1, expressTypeId = 1, parcelQty = 1, totalWeight = 5, isDocall = 1,
        }, SfProtocol.Json));
        var rebooked = await Carrier().BookAsync(Booking(orderId, 5), CancellationToken.None);
        var found = await Carrier().FindOrderAsync(orderId, "7551234567", CancellationToken.None);

        Assert.Equal(5, booking.WaybillNos.Count);
        Assert.Equal(booking.MasterWaybillNo, booking.WaybillNos[0]);
        Assert.All(booking.WaybillNos, w => Assert.Matches("^SF[0-9]{13}$", w));
        Assert.Equal(5, booking.WaybillNos.Distinct().Count());
        var result = JsonSerializer.Deserialize<SfResult<JsonElement>>(again.ApiResultData!, SfProtocol.Json)!;
        Assert.Equal(("A1000", false, "8016"), (again.ApiResultCode, result.Success, result.ErrorCode));
        Assert.Equal(booking.WaybillNos, rebooked.WaybillNos);
        Assert.Equal(booking.WaybillNos, found!.WaybillNos);
    }

    [Fact]
    public async Task A_booked_order_can_be_cancelled_before_pickup_and_unknown_orders_are_not_found()
    {
        var orderId = "MC-SIM-" + Guid.NewGuid().ToString("N");
        await Carrier().BookAsync(Booking(orderId, 1), CancellationToken.None);

        await Carrier().CancelAsync(orderId, "7551234567", CancellationToken.None);

        Assert.True((await sim.Host.OrderAsync(orderId))!.Value.GetProperty("cancelled").GetBoolean());
        Assert.Null(await Carrier().FindOrderAsync("MC-NOPE-" + Guid.NewGuid().ToString("N"), "7551234567", CancellationToken.None));
    }

    [Fact]
    public async Task The_carriers_price_and_promise_match_the_rate_card()
    {
        var shipAt = new DateTimeOffset(2026, 6, 12, 2, 0, 0, TimeSpan.Zero);

        var quote = await Carrier().QuoteAsync("express", 5000, "Beijing", shipAt, CancellationToken.None);

        Assert.Equal(7000, quote!.ListFen); // 22 + 4 × 12 yuan
        Assert.Equal(shipAt.AddDays(2), quote.DeliverBy);
    }

    [Fact]
    public async Task Routes_of_a_fresh_booking_are_empty_until_simulated_time_passes()
    {
        var orderId = "MC-SIM-" + Guid.NewGuid().ToString("N");
        var booking = await Carrier().BookAsync(Booking(orderId, 2), CancellationToken.None);

        var routes = await Carrier().RoutesAsync(booking.WaybillNos, CancellationToken.None);

        Assert.Empty(routes); // 1 simulated hour is 150 real seconds on this simulator
    }

    [Fact]
    public async Task A_returned_fate_plays_the_return_route_and_a_lost_one_stops_scanning_until_the_carrier_declares_it_lost()
    {
        var returned = await Carrier().BookAsync(Booking("MC-SIM-" + Guid.NewGuid().ToString("N"), 2), CancellationToken.None);
        var lost = await Carrier().BookAsync(Booking("MC-SIM-" + Guid.NewGuid().ToString("N"), 1), CancellationToken.None);

        var byChild = await sim.Host.Admin.PostAsJsonAsync($"/admin/waybills/{returned.WaybillNos[1]}/fate", new { fate = "returned" });
        var toLost = await sim.Host.Admin.PostAsJsonAsync($"/admin/waybills/{lost.MasterWaybillNo}/fate", new { fate = "lost" });
        var stolen = await sim.Host.Admin.PostAsJsonAsync($"/admin/waybills/{lost.MasterWaybillNo}/fate", new { fate = "stolen" });
        var unknown = await sim.Host.Admin.PostAsJsonAsync("/admin/waybills/SF0000000000000/fate", new { fate = "lost" });
        var badClock = await sim.Host.Admin.PostAsJsonAsync("/admin/clock", new { advanceHours = -1 });
        var clock = await sim.Host.Admin.PostAsJsonAsync("/admin/clock", new { advanceHours = 200 });
        var returnRoute = await Carrier().RoutesAsync([returned.MasterWaybillNo], CancellationToken.None);
        var lostRoute = await Carrier().RoutesAsync([lost.MasterWaybillNo], CancellationToken.None);
        var again = await sim.Host.Admin.PostAsJsonAsync($"/admin/waybills/{lost.MasterWaybillNo}/fate", new { fate = "delivered" });

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.UnprocessableEntity, HttpStatusCode.NotFound, HttpStatusCode.UnprocessableEntity, HttpStatusCode.OK),
            (byChild.StatusCode, toLost.StatusCode, stolen.StatusCode, unknown.StatusCode, badClock.StatusCode, clock.StatusCode));
        // Jiangmen → Beijing: picked up, through Guangzhou, out for delivery, refused (70), sent back (99), signed by the sender (648).
        Assert.Equal(["50", "30", "31", "36", "31", "44", "70", "99", "648"], returnRoute.OrderBy(r => r.At).Select(r => r.CarrierCode));
        Assert.Equal("return_to_sender", returnRoute.OrderBy(r => r.At).Last().Status);
        Assert.Equal(["50", "30", "LOST"], lostRoute.OrderBy(r => r.At).Select(r => r.CarrierCode));
        Assert.Equal("lost", lostRoute.OrderBy(r => r.At).Last().Status);
        Assert.True(lostRoute.Max(r => r.At) - lostRoute.Min(r => r.At) >= TimeSpan.FromDays(7));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode); // its route has ended: the fate stands
    }
}
