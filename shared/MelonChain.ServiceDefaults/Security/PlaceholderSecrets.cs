using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace MelonChain.ServiceDefaults.Security;

/// <summary>
/// The placeholders a deployment ships in place of a secret (deploy/k8s/base/secrets.yaml's <c>REPLACE_ME-…</c>, a
/// <c>changeme</c>, or nothing at all) recognised wherever a secret is read: keys, check words, link secrets, app
/// secrets and tokens, passwords, and the passwords inside connection strings. Outside Development a service refuses
/// to start with one, as with a development credential (<see cref="DevelopmentCredentials"/>): a secret that was
/// never replaced is known to everyone who read the repository.
/// </summary>
public static partial class PlaceholderSecrets
{
    /// <summary>The last part of a configuration key that names a secret (case-insensitive).</summary>
    [GeneratedRegex("(?i)(signingkey|secret|checkword|password|passwd|accesstoken|appkey|apikey|partnerid)$")]
    private static partial Regex SecretKey();

    [GeneratedRegex(@"(?i)^\s*$|replace[_-]?me|change[_-]?me")]
    private static partial Regex Placeholder();

    public static bool IsPlaceholder(string value) => Placeholder().IsMatch(value);

    /// <summary>Each secret in <paramref name="configuration"/> whose value is a placeholder, named by its key (never its value).</summary>
    public static IReadOnlyList<string> FoundIn(IConfiguration configuration)
    {
        var found = new List<string>();
        foreach (var (key, value) in configuration.AsEnumerable().Where(e => e.Value is not null).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var name = key.Split(':')[^1];
            if (SecretKey().IsMatch(name) && IsPlaceholder(value!))
                found.Add($"{key} is a placeholder ({(string.IsNullOrWhiteSpace(value) ? "empty" : "REPLACE_ME/changeme")}), not a secret");
            else if (key.StartsWith("ConnectionStrings:", StringComparison.OrdinalIgnoreCase) && PasswordIn(value!) is { } password && IsPlaceholder(password))
                found.Add($"{key} holds a placeholder password");
        }
        return found;
    }

    /// <summary>The password of a key=value connection string (PostgreSQL) or of a URI's user info (amqp://user:password@host); null when none is given.</summary>
    private static string? PasswordIn(string connectionString)
    {
        if (Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps")
        {
            var userInfo = Uri.UnescapeDataString(uri.UserInfo);
            var colon = userInfo.IndexOf(':');
            return colon < 0 ? null : userInfo[(colon + 1)..];
        }
        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
            return builder.TryGetValue("Password", out var password) ? password?.ToString() ?? "" : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
