using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Security.Tests;

/// <summary>S7: no secret in the repository beyond the development defaults; the development token endpoint is off unless configured.</summary>
public class SecretsTests
{
    /// <summary>The development defaults, named as such, that the repository may hold.</summary>
    private static readonly string[] DevelopmentDefaults =
        ["melonchain-development-signing-key-not-for-production", "melonchain-dev-check-word-0000000", "melonchain-dev-jd-secret-0000000",
         "melonchain-dev-grower-link-secret-0000000", "guest", "postgres", "melonchain"];

    private static readonly (string What, Regex Pattern)[] Secrets =
    [
        ("a private key", new Regex("-----BEGIN [A-Z ]*PRIVATE KEY-----")),
        ("an AWS access key", new Regex(@"\bAKIA[0-9A-Z]{16}\b")),
        ("a GitHub token", new Regex(@"\bgh[pousr]_[A-Za-z0-9]{30,}\b")),
    ];

    /// <summary>A credential given a literal value, in what ships (services, shared code, deployment); tests hold deliberately wrong ones.</summary>
    private static readonly Regex Credential = new(
        @"(?i)[""']?(signingkey|checkword|password|passwd|secret|apikey|api_key|clientsecret)[""']?\s*[:=]\s*[""'](?<value>[^""']{6,})[""']");

    [Fact]
    public async Task The_repository_holds_no_secret_beyond_the_development_defaults()
    {
        var files = (await Cli.Run("git", ["-C", Repository.Root, "ls-files"])).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.StartsWith("tests/MelonChain.Security.Tests/") && !Regex.IsMatch(p, @"\.(png|jpg|ico|woff2?)$"));
        var findings = new List<string>();
        foreach (var file in files)
        {
            var path = Path.Combine(Repository.Root, file);
            if (!File.Exists(path)) continue;
            var text = await File.ReadAllTextAsync(path);
            foreach (var (what, pattern) in Secrets)
                findings.AddRange(pattern.Matches(text).Select(m => $"{file}: {what}"));
            if (!file.StartsWith("tests/"))
                findings.AddRange(Credential.Matches(text).Where(m => !DevelopmentDefaults.Contains(m.Groups["value"].Value))
                    .Select(m => $"{file}: a credential with a value that is not a development default: {m.Value}"));
        }
        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }

    [Fact]
    public async Task No_base_appsettings_holds_a_development_secret()
    {
        string[] developmentSecrets = [DevelopmentCredentials.SigningKey, DevelopmentCredentials.CheckWord, DevelopmentCredentials.JdAppSecret, DevelopmentCredentials.GrowerLinkSecret];
        var found = new List<string>();
        foreach (var settings in Directory.GetFiles(Path.Combine(Repository.Root, "services"), "appsettings.json", SearchOption.AllDirectories))
        {
            var text = await File.ReadAllTextAsync(settings);
            found.AddRange(developmentSecrets.Where(text.Contains).Select(secret => $"{settings}: {secret}"));
        }
        Assert.True(found.Count == 0, "development secrets belong in appsettings.Development.json only:\n" + string.Join("\n", found));
    }

    /// <summary>S9: whatever a deployment forgets, a Production process with a development credential does not run.</summary>
    [Theory]
    [InlineData("Gateway", "Auth:SigningKey", DevelopmentCredentials.SigningKey, "development signing key")]
    [InlineData("Gateway", "DevTokens:Enabled", "true", "DevTokens:Enabled")]
    [InlineData("Cooperative", "Auth:SigningKey", DevelopmentCredentials.SigningKey, "development signing key")]
    [InlineData("Dispatch", "Carrier:Sf:CheckWord", DevelopmentCredentials.CheckWord, "development check word")]
    [InlineData("Dispatch", "Carrier:Jd:AppSecret", DevelopmentCredentials.JdAppSecret, "development app secret")]
    [InlineData("Cooperative", "GrowerPage:LinkSecret", DevelopmentCredentials.GrowerLinkSecret, "development grower link secret")]
    public async Task In_Production_a_service_refuses_to_start_with_a_development_credential(string service, string key, string value, string named)
    {
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production", ["Auth:SigningKey"] = new string('k', 48),
            ["Carrier:Sf:PartnerId"] = "P", ["Carrier:Sf:CheckWord"] = new string('c', 32),
        };
        settings[key] = value;
        await using var process = new ServiceProcess(service, settings);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => process.StartAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("Refusing to start in Production", refused.Message);
        Assert.Contains(named, refused.Message);
        Assert.False(process.IsRunning);
    }

    [Fact]
    public async Task Outside_development_no_service_ships_a_signing_key_and_the_gateway_issues_no_tokens()
    {
        foreach (var settings in Directory.GetFiles(Path.Combine(Repository.Root, "services"), "appsettings.json", SearchOption.AllDirectories))
        {
            var json = JsonDocument.Parse(await File.ReadAllTextAsync(settings), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }).RootElement;
            Assert.False(json.TryGetProperty("Auth", out var auth) && auth.TryGetProperty("SigningKey", out _), $"{settings} ships a signing key");
        }

        // The Gateway in Production, with a key given only through its environment (as a deployment would).
        await using var gateway = new ServiceProcess("Gateway", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production", ["Auth:SigningKey"] = new string('k', 48),
        });
        await gateway.StartAsync();
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };

        var response = await client.PostAsJsonAsync("/api/v1/dev/tokens", new { role = "admin", subject = "mallory", cooperativeId = "shangxiang" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
