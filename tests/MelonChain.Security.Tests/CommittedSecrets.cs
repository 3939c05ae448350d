using System.Data.Common;
using System.Text.Json;
using System.Text.RegularExpressions;
using MelonChain.ServiceDefaults.Security;
using YamlDotNet.RepresentationModel;

namespace MelonChain.Security.Tests;

/// <summary>
/// S7's reader: a credential given a literal value in a committed file. YAML and JSON are read as YAML and JSON, so a
/// value is seen whatever its quoting (plain, 'single', "double", | literal or > folded blocks), as a key's value
/// (<c>Auth__SigningKey: …</c>, <c>"SigningKey": …</c>), as a Kubernetes env entry (<c>name: …</c> with <c>value: …</c>)
/// or as the password inside a connection string (<c>Password=…</c>, <c>amqp://user:…@</c>). Other text (code, scripts)
/// is searched for a credential assigned a quoted literal. Allowed: the development defaults, placeholders
/// (<c>REPLACE_ME…</c>, <c>changeme</c>, empty — refused at start outside Development) and references resolved at
/// run time (<c>$(DB_PASSWORD)</c>, <c>${…}</c>).
/// </summary>
public static partial class CommittedSecrets
{
    /// <summary>The development defaults, named as such, that the repository may hold.</summary>
    public static readonly string[] DevelopmentDefaults =
        [DevelopmentCredentials.SigningKey, DevelopmentCredentials.CheckWord, DevelopmentCredentials.JdAppSecret,
         DevelopmentCredentials.GrowerLinkSecret, "melonchain-dev-jd-token", "guest", "postgres", "melonchain"];

    /// <summary>A key (its last part, after <c>:</c>, <c>__</c> or <c>.</c>) that names a credential.</summary>
    [GeneratedRegex("(?i)(signingkey|checkword|password|passwd|secret|apikey|api_key|accesstoken)$")]
    private static partial Regex CredentialKey();

    /// <summary>Outside YAML and JSON: a credential assigned a quoted literal.</summary>
    [GeneratedRegex(@"(?i)[""']?(signingkey|checkword|password|passwd|secret|apikey|api_key|clientsecret)[""']?\s*[:=]\s*[""'](?<value>[^""']{6,})[""']")]
    private static partial Regex QuotedCredential();

    [GeneratedRegex(@"\$[({][^)}]+[)}]")]
    private static partial Regex Reference();

    /// <summary>Each credential with a literal value in <paramref name="text"/>, the content of <paramref name="path"/>.</summary>
    public static IReadOnlyList<string> Find(string path, string text)
    {
        var found = new List<string>();
        if (Regex.IsMatch(path, @"\.ya?ml$", RegexOptions.IgnoreCase)) Yaml(path, text, found);
        else if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) Json(path, text, found);
        else
            found.AddRange(QuotedCredential().Matches(text).Where(m => !Allowed(m.Groups["value"].Value))
                .Select(m => $"{path}: a credential with a value that is not a development default: {m.Value}"));
        return found;
    }

    private static bool Allowed(string value) =>
        DevelopmentDefaults.Contains(value.Trim()) || PlaceholderSecrets.IsPlaceholder(value) || Reference().IsMatch(value);

    private static bool NamesCredential(string key) => CredentialKey().IsMatch(Regex.Split(key, "__|:|\\.")[^1]);

    /// <summary>One key and its literal value: the value itself when the key names a credential, else the password inside it if it is a connection string.</summary>
    private static void Check(string path, string key, string value, List<string> found)
    {
        if (NamesCredential(key))
        {
            if (!Allowed(value)) found.Add($"{path}: {key} has a literal value that is not a development default");
        }
        else if (PasswordIn(value) is { } password && !Allowed(password))
            found.Add($"{path}: {key} is a connection string with a literal password");
    }

    private static string? PasswordIn(string value)
    {
        var match = Regex.Match(value, @"^(amqps?)://(?<user>[^:@/\s]*):(?<password>[^@\s]*)@");
        if (match.Success) return Uri.UnescapeDataString(match.Groups["password"].Value);
        if (!value.Contains('=') || !Regex.IsMatch(value, @"(?i)(^|;)\s*password\s*=")) return null;
        try { return new DbConnectionStringBuilder { ConnectionString = value }.TryGetValue("Password", out var p) ? p?.ToString() ?? "" : null; }
        catch (ArgumentException) { return Regex.Match(value, @"(?i)password\s*=\s*(?<p>[^;]*)").Groups["p"].Value; }
    }

    private static void Yaml(string path, string text, List<string> found)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        foreach (var document in stream.Documents) Walk(document.RootNode);

        void Walk(YamlNode node)
        {
            switch (node)
            {
                case YamlMappingNode map:
                    // A Kubernetes env entry: the credential is named by "name", its literal in "value".
                    if (map.Children.TryGetValue(new YamlScalarNode("name"), out var name) && name is YamlScalarNode { Value: { } envName }
                        && map.Children.TryGetValue(new YamlScalarNode("value"), out var envValue) && envValue is YamlScalarNode { Value: { } literal })
                        Check(path, envName, literal, found);
                    foreach (var (key, value) in map.Children)
                    {
                        if (key is YamlScalarNode { Value: { } k } && value is YamlScalarNode { Value: { } v } && k != "value") Check(path, k, v, found);
                        Walk(value);
                    }
                    break;
                case YamlSequenceNode sequence:
                    foreach (var item in sequence) Walk(item);
                    break;
            }
        }
    }

    private static void Json(string path, string text, List<string> found)
    {
        using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        Walk(document.RootElement, "");

        void Walk(JsonElement element, string key)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject()) Walk(property.Value, property.Name);
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray()) Walk(item, key);
                    break;
                case JsonValueKind.String:
                    Check(path, key, element.GetString()!, found);
                    break;
            }
        }
    }
}
