extern alias dispatch;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using DbUp;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Security;
using MelonChain.Testing;

namespace MelonChain.Dispatch.Tests;

using DispatchHost = ServiceHost<dispatch::Program>;

/// <summary>
/// S12, the installations that already let two cooperatives save one monthly card: migration 0008 leaves the card with
/// the cooperative that saved it first and records the other, whose admin must save its own.
/// </summary>
public class CarrierAccountMigrationTests
{
    [Fact]
    public async Task A_card_two_cooperatives_hold_stays_with_the_one_that_saved_it_first_and_the_other_is_recorded_as_displaced()
    {
        await using var database = TestDatabase.Create("dispatch_0008");
        await using var vhost = await TestVirtualHost.CreateAsync("dispatch0008");
        // The schema as it was before 0008.
        EnsureDatabase.For.PostgresqlDatabase(database.ConnectionString);
        foreach (var (assembly, upTo) in new[] { (typeof(Db).Assembly, "9999"), (typeof(dispatch::Program).Assembly, "0008") })
            Assert.True(DeployChanges.To.PostgresqlDatabase(database.ConnectionString)
                .WithScriptsEmbeddedInAssembly(assembly, name => name.Contains(".Migrations.") && name.EndsWith(".sql")
                    && string.CompareOrdinal(name[(name.IndexOf(".Migrations.") + 12)..], upTo) < 0)
                .WithTransactionPerScript().Build().PerformUpgrade().Successful);
        // Each save its own transaction, in this order: cooperative D saved card Y before C did.
        await using (var connection = database.Open())
            foreach (var (coop, carrier, account) in new[]
                     {
                         ("mig-a", "sf", "7550000001"), ("mig-b", "sf", "7550000001"), ("mig-b", "jd", "020K0000002"),
                         ("mig-d", "sf", "7550000009"), ("mig-c", "sf", "7550000009"), ("mig-e", "sf", "7550000005"),
                     })
                await connection.ExecuteAsync(
                    "insert into carrier_accounts (cooperative_id, carrier, account, discount_bps, default_for) values (@coop, @carrier, @account, 7500, '{Beijing}')",
                    new { coop, carrier, account });

        await using var dispatch = new DispatchHost(database.ConnectionString, vhost.ConnectionString);
        await dispatch.StartAsync();

        await using (var connection = database.Open())
        {
            var kept = (await connection.QueryAsync<(string, string, string)>(
                "select cooperative_id, carrier, account from carrier_accounts order by cooperative_id, carrier")).ToList();
            Assert.Equal([("mig-a", "sf", "7550000001"), ("mig-b", "jd", "020K0000002"), ("mig-d", "sf", "7550000009"), ("mig-e", "sf", "7550000005")], kept);
            var displaced = (await connection.QueryAsync<(string, string, string, string)>(
                "select cooperative_id, carrier, account, kept_by from displaced_carrier_accounts order by cooperative_id")).ToList();
            Assert.Equal([("mig-b", "sf", "7550000001", "mig-a"), ("mig-c", "sf", "7550000009", "mig-d")], displaced);
        }
        // The displaced cooperative's admin sees no SF account, and may now save its own.
        var admin = dispatch.As(Roles.Admin, "admin-b", cooperative: "mig-b");
        var accounts = await admin.GetFromJsonAsync<JsonElement>("/api/v1/dispatch/carrier-accounts");
        Assert.Equal(["jd"], accounts.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("carrier").GetString()));
        await Onboarding.SaveCarrierAccountsAsync(admin, accounts: Onboarding.CarrierAccounts("7550000002", jdAccount: "020K0000002"));
    }
}
