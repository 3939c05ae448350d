using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using MelonChain.ServiceDefaults.Security;

namespace MelonChain.Cooperative.Features.Members;

/// <summary>
/// 农户专属链接: the token of a grower's own page. It is HMAC-SHA256 of the member id and the link version under a
/// server-side secret (<c>GrowerPage:LinkSecret</c>), cut to 128 bits and written base64url (22 characters): the same
/// link is recomputed for every slip until the clerk rotates it, and without the secret no id or number gives it away.
/// Only its SHA-256 is kept (growers.link_digest), to find the member a token names.
/// </summary>
public sealed class GrowerLinks
{
    public const int TokenBytes = 16;
    private readonly byte[] _secret;

    public string PublicBaseUrl { get; }

    public GrowerLinks(string? secret, string? publicBaseUrl)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < 32)
            throw new InvalidOperationException("GrowerPage:LinkSecret must be set (at least 32 characters): it makes the growers' private links.");
        _secret = Encoding.UTF8.GetBytes(secret);
        PublicBaseUrl = (publicBaseUrl ?? "http://127.0.0.1:8080").TrimEnd('/');
    }

    /// <summary>Read once at start, so a Cooperative without a secret refuses to start instead of failing a slip later.</summary>
    public static GrowerLinks From(IConfiguration configuration) =>
        new(configuration["GrowerPage:LinkSecret"], configuration["GrowerPage:PublicBaseUrl"]);

    public string Token(Guid memberId, int version)
    {
        var mac = HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes($"grower-page|{memberId:N}|{version}"));
        return Base64Url.EncodeToString(mac.AsSpan(0, TokenBytes));
    }

    public string Url(string token) => $"{PublicBaseUrl}/grower/{token}";

    /// <summary>What is stored of a token: its SHA-256.</summary>
    public static byte[] Digest(string token) => SHA256.HashData(Encoding.ASCII.GetBytes(token));

    /// <summary>A string that could be a token (22 base64url characters); anything else is not looked up.</summary>
    public static bool LooksLikeToken(string token) =>
        token.Length == 22 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The token names this member at this version under the current secret (constant time).</summary>
    public bool Names(string token, Guid memberId, int version) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(token), Encoding.ASCII.GetBytes(Token(memberId, version)));
}
