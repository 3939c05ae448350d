using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace MelonChain.Testing;

/// <summary>
/// What people do through the Gateway of a running <see cref="MelonSystem"/>: a clerk receives, grades, sells and
/// packs; a courier accepts and collects (booking with the carrier). Retried POSTs carry an Idempotency-Key, as the
/// clerks' and couriers' apps send them.
/// </summary>
public sealed class Scenario
{
    public const string CourierId = "C-A";

    private readonly MelonSystem _system;
    private readonly string _cooperative;
    private int _members;

    public HttpClient Clerk { get; }
    public HttpClient Courier { get; }

    private Scenario(MelonSystem system, string cooperative, HttpClient clerk, HttpClient courier)
    {
        _system = system;
        _cooperative = cooperative;
        Clerk = clerk;
        Courier = courier;
    }

    /// <summary>
    /// A clerk and a courier of <paramref name="cooperative"/> (a test that settles periods takes a cooperative of its own),
    /// once its admin has saved its profile and carrier account and Dispatch keeps its sender.
    /// </summary>
    public static async Task<Scenario> StartAsync(MelonSystem system, string cooperative = MelonSystem.Cooperative, bool onboard = true)
    {
        if (onboard) await OnboardAsync(system, cooperative);
        return new(system, cooperative, await system.AsAsync("clerk", "clerk-1", cooperative), await system.AsAsync("courier", "courier-a", cooperative, courierId: CourierId));
    }

    /// <summary>The cooperative's admin saves its profile and carrier account; returns once Dispatch has the profile.</summary>
    public static async Task OnboardAsync(MelonSystem system, string cooperative, object? profile = null, object? accounts = null)
    {
        var admin = await system.AsAsync("admin", "admin-1", cooperative);
        await Onboarding.SaveProfileAsync(admin, cooperative, profile: profile);
        await Onboarding.SaveCarrierAccountsAsync(admin, accounts: accounts ?? Onboarding.CarrierAccountsOf(cooperative));
        var version = await system.ScalarAsync<int>("Cooperative", "select version from cooperative_profiles where cooperative_id = @cooperative", new { cooperative });
        await Eventually.Until(() => system.ScalarAsync<int?>("Dispatch", "select version from cooperative_senders where cooperative_id = @cooperative", new { cooperative }),
            v => v == version, TimeSpan.FromSeconds(60), "Dispatch to keep the cooperative's profile");
    }

    public static string ChinaToday => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).ToString("yyyy-MM-dd");

    public async Task<JsonElement> PostAsync(HttpClient client, string path, object body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}\n{_system.RecentOutput()}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>
    /// An Enping grower with a contract signed in ContractGrowing (grower, plot, contract, sign, as the contract officer
    /// does); returns the contract id once the Cooperative has learnt it from ContractSigned.
    /// </summary>
    public async Task<Guid> SignedContractAsync()
    {
        var officer = await _system.AsAsync("officer", "officer-1");
        var grower = await PostAsync(officer, "/api/v1/growing/growers", new { name = "梁叔", phone = "13622223333", town = "恩平市大田镇", village = "朗北村" });
        var plot = await PostAsync(officer, "/api/v1/growing/plots", new { growerId = grower.GetProperty("id").GetGuid(), areaM2 = 6700m, location = "朗北村东侧坡地" });
        var contract = await PostAsync(officer, "/api/v1/growing/contracts", new
        {
            growerId = grower.GetProperty("id").GetGuid(), plotId = plot.GetProperty("id").GetGuid(), season = "2026-autumn", variety = "杜阮凉瓜",
            seedlings = 1500, expectedKg = 1000m, minPriceFenPerKg = new { premium = 900, grade1 = 700, grade2 = 500, offgrade = 200 },
        });
        var contractId = contract.GetProperty("id").GetGuid();
        await PostAsync(officer, $"/api/v1/growing/contracts/{contractId}/sign", new { });
        await Eventually.Until(() => _system.ScalarAsync<long>("Cooperative", "select count(*) from contract_terms where contract_id = @contractId", new { contractId }),
            n => n == 1, TimeSpan.FromSeconds(60), "the signed contract known to the Cooperative");
        return contractId;
    }

    /// <summary>
    /// A member grower, or an Enping contract grower (of a signed contract) whose receipts ContractGrowing counts as
    /// deliveries: named by the contract only, since ContractGrowing registered the grower.
    /// </summary>
    public async Task<Guid> GrowerAsync(Guid? contractId = null)
    {
        var memberNo = $"{(contractId is null ? "SX" : "EP")}-{Interlocked.Increment(ref _members):D3}-{Guid.NewGuid().ToString("N")[..4]}";
        var grower = await PostAsync(Clerk, "/api/v1/cooperative/growers", contractId is null
            ? new { memberNo, name = "黄伯", phone = "13800138000", village = "上巷村", kind = "member" }
            : (object)new { memberNo, kind = "contract", contractId });
        return grower.GetProperty("id").GetGuid();
    }

    public static object Receipt(Guid growerId, decimal grossKg) => new { growerId, harvestedOn = ChinaToday, grossKg, crates = 5 };

    /// <summary>One receipt POST as the clerk's app sends it; the caller decides what a failure means.</summary>
    public async Task<(HttpStatusCode Status, string? ContentType, string Body)> TryReceiptAsync(HttpClient client, string key, object body)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cooperative/receipts") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await client.SendAsync(request);
            return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException e) { return (0, null, e.Message); }
        catch (TaskCanceledException e) { return (0, null, e.Message); }
    }

    /// <summary>Harvest graded into premium stock, a buyer in Beijing, an order of <paramref name="boxes"/> 5 kg boxes, packed.</summary>
    public async Task<(Guid OrderId, List<string> TraceCodes)> PackedOrderAsync(int boxes)
    {
        var grower = await GrowerAsync();
        var kg = boxes * 5m;
        var receipt = await PostAsync(Clerk, "/api/v1/cooperative/receipts", Receipt(grower, decimal.Round(kg * 1.01m, 3)));
        await PostAsync(Clerk, $"/api/v1/cooperative/receipts/{receipt.GetProperty("id").GetGuid()}/grading",
            new { lines = new[] { new { grade = "premium", kg } } });
        var buyer = await PostAsync(Clerk, "/api/v1/cooperative/buyers",
            new { name = "京味餐厅", city = "北京", address = "朝阳区建国路88号", contactName = "王经理", phone = "13911112222" });
        var order = await PostAsync(Clerk, "/api/v1/cooperative/orders", new
        {
            buyerId = buyer.GetProperty("id").GetGuid(),
            destination = new { city = "北京", address = "朝阳区建国路88号", contactName = "王经理", phone = "13911112222" },
            lines = new[] { new { grade = "premium", kg, priceFenPerKg = 1600 } },
        });
        var orderId = order.GetProperty("id").GetGuid();
        var packed = await PostAsync(Clerk, $"/api/v1/cooperative/orders/{orderId}/pack", new { });
        return (orderId, packed.GetProperty("boxes").EnumerateArray().Select(b => b.GetProperty("traceCode").GetString()!).ToList());
    }

    /// <summary>Waits for Dispatch to open the order's pickup (ShipmentRequested consumed) and accepts it.</summary>
    public async Task<Guid> AcceptPickupAsync(Guid orderId)
    {
        var pickupId = await Eventually.Until(
            () => _system.ScalarAsync<Guid?>("Dispatch", "select id from pickups where order_id = @orderId", new { orderId }),
            id => id is not null, TimeSpan.FromSeconds(60), "the pickup to open");
        await PostAsync(Courier, $"/api/v1/dispatch/pickups/{pickupId}/accept", new { });
        return pickupId!.Value;
    }

    /// <summary>A dispatcher books the pickup with <paramref name="carrier"/> instead of the one it opened with (before collection).</summary>
    public async Task ChooseCarrierAsync(Guid pickupId, string carrier)
    {
        var dispatcher = await _system.AsAsync("dispatcher", "dispatcher-1", _cooperative);
        using var response = await dispatcher.PutAsJsonAsync($"/api/v1/dispatch/pickups/{pickupId}/carrier", new { carrier });
        Assert.True(response.IsSuccessStatusCode, $"PUT carrier: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Collects with the courier app's retries: the same Idempotency-Key until the carrier is reachable.</summary>
    public async Task<JsonElement> CollectAsync(Guid pickupId, IEnumerable<string> traceCodes, string? key = null, int attempts = 60)
    {
        key ??= Guid.NewGuid().ToString();
        for (var i = 0; ; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/dispatch/pickups/{pickupId}/collect")
            {
                Content = JsonContent.Create(new { traceCodes }),
            };
            request.Headers.Add("Idempotency-Key", key);
            HttpResponseMessage? response = null;
            try { response = await Courier.SendAsync(request); }
            catch (HttpRequestException) when (i < attempts) { }
            if (response is not null)
            {
                using (response)
                {
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.IsSuccessStatusCode) return JsonDocument.Parse(text).RootElement.Clone();
                    var retryable = response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.Conflict;
                    Assert.True(retryable && i < attempts, $"collect: {(int)response.StatusCode} {text}\n{_system.RecentOutput()}");
                }
            }
            await Task.Delay(500);
        }
    }
}
