using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;

namespace MelonChain.Testing;

/// <summary>
/// What a cooperative's admin saves before anything else (its profile, its carrier account), as request bodies.
/// Every cooperative a test uses is onboarded through the API like this; nothing falls back to another's values.
/// </summary>
public static class Onboarding
{
    /// <summary>The tests' default cooperative keeps the demo's prefix; any other gets one of its own, derived from its id.</summary>
    public static string PrefixOf(string cooperative) => cooperative == MelonSystem.Cooperative ? "SX"
        : "T" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(cooperative)))[..5];

    public static object Profile(string cooperative, string? prefix = null, int commissionBps = 500, long boxFeeFen = 300,
        int maxShrinkBps = 300, int maxLotAgeDays = 4, string? producer = null) => new
    {
        name = $"{cooperative} 农民专业合作社",
        shortName = cooperative,
        village = "上巷村",
        address = new { province = "广东省", city = "江门市", county = "蓬江区", street = $"杜阮镇{cooperative}" },
        contactName = "陈主任",
        phone = "0750-3000000",
        receiptPrefix = prefix ?? PrefixOf(cooperative),
        commissionBps,
        boxFeeFen,
        maxShrinkBps,
        maxLotAgeDays,
        certificate = new
        {
            producer = producer ?? $"{cooperative} 农民专业合作社",
            origin = "广东省江门市蓬江区杜阮镇",
            contact = "0750-3000000",
            basis = "内部质量控制",
        },
    };

    public const string MonthlyCard = "7551234567";

    /// <summary>The cooperative's JD customer code: an account a dispatcher may book with, the default for no city.</summary>
    public const string JdCustomerCode = "020K7551234";

    /// <summary>
    /// A monthly card belongs to one cooperative (a second one saving it is 409): the tests' default cooperative keeps the
    /// demo's card, any other gets one of its own, derived from its id.
    /// </summary>
    public static string MonthlyCardOf(string cooperative) => cooperative == MelonSystem.Cooperative ? MonthlyCard : "755" + DigitsOf(cooperative, 7);

    /// <summary>The cooperative's own JD customer code, as <see cref="MonthlyCardOf"/>.</summary>
    public static string JdCustomerCodeOf(string cooperative) => cooperative == MelonSystem.Cooperative ? JdCustomerCode : "020K" + DigitsOf(cooperative, 7);

    private static string DigitsOf(string cooperative, int count) =>
        (BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(cooperative))) % (ulong)Math.Pow(10, count)).ToString().PadLeft(count, '0');

    public static object CarrierAccounts(string account = MonthlyCard, int discountBps = 7500, string jdAccount = JdCustomerCode) => new
    {
        accounts = new[]
        {
            new { carrier = "sf", account, discountBps, defaultFor = new[] { "Beijing", "Shanghai" } },
            new { carrier = "jd", account = jdAccount, discountBps = 8000, defaultFor = Array.Empty<string>() },
        },
    };

    /// <summary>The cooperative's own accounts: its SF monthly card (the default for Beijing and Shanghai) and its JD customer code.</summary>
    public static object CarrierAccountsOf(string cooperative, int discountBps = 7500) =>
        CarrierAccounts(MonthlyCardOf(cooperative), discountBps, JdCustomerCodeOf(cooperative));

    /// <summary>Saves the profile through <paramref name="admin"/> (a Cooperative client of that cooperative's admin).</summary>
    public static Task SaveProfileAsync(HttpClient admin, string cooperative, string path = "/api/v1/cooperative/profile", object? profile = null) =>
        PutAsync(admin, path, profile ?? Profile(cooperative));

    /// <summary>Saves the carrier account through <paramref name="admin"/> (a Dispatch client of that cooperative's admin).</summary>
    public static Task SaveCarrierAccountsAsync(HttpClient admin, string path = "/api/v1/dispatch/carrier-accounts", object? accounts = null) =>
        PutAsync(admin, path, accounts ?? CarrierAccounts());

    private static async Task PutAsync(HttpClient admin, string path, object body)
    {
        using var response = await admin.PutAsJsonAsync(path, body);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
