using System.Text;
using System.Text.Json;

namespace MelonChain.Workstation.Auth;

/// <summary>
/// Who is signed in, as the token says (the claims the services check: <c>role</c>, <c>coop</c>, <c>sub</c>, <c>exp</c>).
/// The app reads them only to show the right screens and buttons; the services check every call themselves.
/// </summary>
public sealed record Caller(string Token, string Role, string Subject, string CooperativeId, DateTimeOffset ExpiresAt)
{
    public const string Clerk = "clerk";
    public const string Admin = "admin";

    /// <summary>收货: the Cooperative's receipts admit the clerk, and the admin everywhere in their cooperative.</summary>
    public bool MayRecordReceipts => Role is Clerk or Admin;

    public bool HasExpired(DateTimeOffset now) => now >= ExpiresAt;

    /// <summary>Reads a JWT's claims without checking its signature (the server does); null for anything else.</summary>
    public static Caller? FromToken(string? token)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 3 }) return null;
        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
            using var claims = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            var root = claims.RootElement;
            string? Claim(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            if (Claim("role") is not { } role || Claim("sub") is not { } subject || Claim("coop") is not { } coop
                || !root.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var seconds))
                return null;
            return new Caller(token!, role, subject, coop, DateTimeOffset.FromUnixTimeSeconds(seconds));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
