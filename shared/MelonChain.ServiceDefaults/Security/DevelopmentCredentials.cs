using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace MelonChain.ServiceDefaults.Security;

/// <summary>
/// The development credentials (appsettings.Development.json, docker-compose, the tests), declared once so that a
/// service outside Development can recognise them and refuse to start: anyone who knows them could sign a token for
/// any role, or compute a valid carrier push digest (or sign a carrier call) and mark a shipment delivered (which settles it), or open any grower's own page.
/// </summary>
public static class DevelopmentCredentials
{
    public const string SigningKey = "melonchain-development-signing-key-not-for-production";
    public const string CheckWord = "melonchain-dev-check-word-0000000";
    public const string JdAppSecret = "melonchain-dev-jd-secret-0000000";
    public const string GrowerLinkSecret = "melonchain-dev-grower-link-secret-0000000";

    /// <summary>What in <paramref name="configuration"/> belongs to development only; empty when none is set.</summary>
    public static IReadOnlyList<string> FoundIn(IConfiguration configuration)
    {
        var found = new List<string>();
        if (configuration["Auth:SigningKey"] == SigningKey) found.Add("Auth:SigningKey is the development signing key");
        if (configuration["Carrier:Sf:CheckWord"] == CheckWord) found.Add("Carrier:Sf:CheckWord is the development check word");
        if (configuration["Carrier:Jd:AppSecret"] == JdAppSecret) found.Add("Carrier:Jd:AppSecret is the development app secret");
        if (configuration["GrowerPage:LinkSecret"] == GrowerLinkSecret) found.Add("GrowerPage:LinkSecret is the development grower link secret");
        if (configuration.GetValue("DevTokens:Enabled", false)) found.Add("DevTokens:Enabled is true (anyone could sign a token for any role)");
        return found;
    }

    /// <summary>
    /// Outside Development a service refuses to start with any development credential, or with a placeholder where a
    /// secret belongs (<see cref="PlaceholderSecrets"/>: <c>REPLACE_ME…</c>, <c>changeme</c>, empty).
    /// </summary>
    public static void RefuseOutsideDevelopment(IConfiguration configuration, IHostEnvironment environment)
    {
        if (environment.IsDevelopment()) return;
        var found = FoundIn(configuration).Concat(PlaceholderSecrets.FoundIn(configuration)).ToList();
        if (found.Count > 0)
            throw new InvalidOperationException(
                $"Refusing to start in {environment.EnvironmentName}: {string.Join("; ", found)}. Set real values through the environment, " +
                "or run with ASPNETCORE_ENVIRONMENT=Development.");
    }
}
