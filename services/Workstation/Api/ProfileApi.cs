namespace MelonChain.Workstation.Api;

/// <summary>
/// 合作社: the cooperative's profile (<c>/api/v1/cooperative/profile</c>, the admin's; mirrors
/// services/Cooperative/Features/Profile) and its carrier accounts (Dispatch, <see cref="DispatchApi"/>).
/// </summary>
public sealed class ProfileApi(HttpClient http)
{
    private const string Url = "/api/v1/cooperative/profile";

    public sealed record Address(string? Province, string? City, string? County, string? Street);

    public sealed record CertificateTexts(string? Producer, string? Origin, string? Contact, string? Basis);

    public sealed record Profile(string? Name, string? ShortName, string? Village, Address? Address, string? ContactName, string? Phone,
        string? ReceiptPrefix, int CommissionBps, long BoxFeeFen, int MaxShrinkBps, int MaxLotAgeDays, CertificateTexts? Certificate, int Version = 0);

    public Task<Profile> GetAsync(CancellationToken ct = default) => http.GetAsync<Profile>(Url, ct);

    public Task<Profile> SaveAsync(Profile profile, CancellationToken ct = default) =>
        http.SendJsonAsync<Profile>(HttpMethod.Put, Url, profile with { Version = 0 }, ct: ct);
}
