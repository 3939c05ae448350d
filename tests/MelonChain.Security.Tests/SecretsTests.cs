using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Security.Tests;

/// <summary>S7: no secret in the repository beyond the development defaults; the development token endpoint is off unless configured.</summary>
public class SecretsTests
{
    private static readonly (string What, Regex Pattern)[] Secrets =
    [
        ("a private key", new Regex("-----BEGIN [A-Z ]*PRIVATE KEY-----")),
        ("an AWS access key", new Regex(@"\bAKIA[0-9A-Z]{16}\b")),
        ("a GitHub token", new Regex(@"\bgh[pousr]_[A-Za-z0-9]{30,}\b")),
    ];

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
            // What ships (services, shared code, deployment), read by CommittedSecrets; tests hold deliberately wrong ones.
            if (!file.StartsWith("tests/"))
                findings.AddRange(CommittedSecrets.Find(file, text));
        }
        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }

    /// <summary>
    /// S7's reader on committed-looking files: a literal credential is found however YAML or JSON writes it (plain,
    /// single- or double-quoted, a literal or folded block, a Kubernetes env entry, the password inside a connection
    /// string); placeholders, development defaults and run-time references are not findings.
    /// </summary>
    [Theory]
    [InlineData("deploy/k8s/base/secrets.yaml", "stringData:\n  Carrier__Sf__CheckWord: q8Vd2nR7xL0pZ4mK9tW3\n", true)]
    [InlineData("deploy/k8s/base/secrets.yaml", "stringData:\n  password: 'q8Vd2nR7xL0pZ4mK'\n", true)]
    [InlineData("deploy/k8s/base/secrets.yaml", "stringData:\n  password: \"q8Vd2nR7xL0pZ4mK\"\n", true)]
    [InlineData("deploy/k8s/base/secrets.yaml", "stringData:\n  Auth__SigningKey: |\n    q8Vd2nR7xL0pZ4mK9tW3yB6cF1hJ5sG\n", true)]
    [InlineData("deploy/k8s/base/secrets.yaml", "stringData:\n  GrowerPage__LinkSecret: >-\n    q8Vd2nR7xL0pZ4mK9tW3yB6cF1hJ5sG\n", true)]
    [InlineData("deploy/k8s/base/gateway.yaml", "env:\n  - name: Auth__SigningKey\n    value: q8Vd2nR7xL0pZ4mK9tW3yB6cF1hJ5sG\n", true)]
    [InlineData("deploy/k8s/base/tracking.yaml", "env:\n  - name: ConnectionStrings__Db\n    value: Host=melon-pg-rw;Username=tracking;Password=q8Vd2nR7xL0p\n", true)]
    [InlineData("docker-compose.yml", "x-env: &env\n  ConnectionStrings__RabbitMq: amqp://melon:q8Vd2nR7xL0p@rabbitmq:5672/\n", true)]
    [InlineData("services/Gateway/appsettings.json", "{ \"Auth\": { \"SigningKey\": \"q8Vd2nR7xL0pZ4mK9tW3yB6cF1hJ5sG\" } }", true)]
    [InlineData("services/Tracking/appsettings.json", "{ \"ConnectionStrings\": { \"Db\": \"Host=db;Password=q8Vd2nR7xL0p\" } }", true)]
    [InlineData("deploy/k8s/base/secrets.yaml", "stringData:\n  password: REPLACE_ME-tracking-password\n  Auth__SigningKey: \"\"\n", false)]
    [InlineData("docker-compose.yml", "x-env: &env\n  Auth__SigningKey: melonchain-development-signing-key-not-for-production\n", false)]
    [InlineData("deploy/k8s/base/tracking.yaml", "env:\n  - name: ConnectionStrings__Db\n    value: Host=melon-pg-rw;Password=$(DB_PASSWORD)\n  - name: DB_PASSWORD\n    valueFrom: { secretKeyRef: { name: melon-db, key: password } }\n", false)]
    [InlineData("deploy/k8s/base/postgres.yaml", "spec:\n  tls:\n    secretName: melon-tls\n  passwordSecret:\n    name: melon-db-cooperative\n", false)]
    public void A_literal_credential_is_found_whatever_its_quoting(string path, string text, bool found) =>
        Assert.True(CommittedSecrets.Find(path, text).Count > 0 == found, $"{path}:\n{text}\nfound: {string.Join("; ", CommittedSecrets.Find(path, text))}");

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

    /// <summary>
    /// S15: a secret the deployment never replaced (deploy/k8s/base/secrets.yaml's <c>REPLACE_ME-…</c>, a
    /// <c>changeme</c>, or an empty value) is refused at start in Production as a development credential is, wherever
    /// it sits: a key of its own, or the password inside a connection string.
    /// </summary>
    [Theory]
    [InlineData("Gateway", "Auth:SigningKey", "REPLACE_ME-at-least-32-characters-of-random-key")]
    [InlineData("Cooperative", "GrowerPage:LinkSecret", "REPLACE_ME-at-least-32-characters-of-random-secret")]
    [InlineData("Cooperative", "Auth:SigningKey", "changeme")]
    [InlineData("Dispatch", "Carrier:Sf:CheckWord", "")]
    [InlineData("Dispatch", "Carrier:Sf:PartnerId", "REPLACE_ME-partner-id")]
    [InlineData("Dispatch", "Carrier:Jd:AppSecret", "REPLACE_ME-jd-app-secret")]
    [InlineData("Dispatch", "Carrier:Jd:AccessToken", "  ")]
    [InlineData("Tracking", "ConnectionStrings:Db", "Host=melon-pg-rw;Database=melon_tracking;Username=tracking;Password=REPLACE_ME-tracking-password")]
    [InlineData("ContractGrowing", "ConnectionStrings:RabbitMq", "amqp://melon:changeme@melon-rabbitmq:5672/")]
    public async Task In_Production_a_service_refuses_to_start_with_a_placeholder_secret(string service, string key, string value)
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
        Assert.Contains($"{key} ", refused.Message);
        Assert.Contains("placeholder", refused.Message);
        Assert.False(process.IsRunning);
    }

    /// <summary>What the start-up check calls a placeholder, and what it leaves alone (real-looking values, no password at all).</summary>
    [Theory]
    [InlineData("REPLACE_ME-check-word", true)]
    [InlineData("replace-me", true)]
    [InlineData("changeme", true)]
    [InlineData("CHANGE_ME-later", true)]
    [InlineData("", true)]
    [InlineData(" ", true)]
    [InlineData("q8Vd2nR7xL0pZ4mK9tW3yB6cF1hJ5sG", false)]
    public void A_placeholder_is_told_from_a_secret(string value, bool placeholder) =>
        Assert.Equal(placeholder, PlaceholderSecrets.IsPlaceholder(value));

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
