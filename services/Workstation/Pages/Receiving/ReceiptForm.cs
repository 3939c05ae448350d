using System.Globalization;
using MelonChain.Workstation.Api;
using static MelonChain.Workstation.Api.CooperativeApi;

namespace MelonChain.Workstation.Pages.Receiving;

/// <summary>
/// One delivery as the clerk types it. <see cref="Validate"/> says in Chinese what RecordReceipt would refuse (gross kg
/// above 0, at most 2,000 kg, whole grams; 0 to 500 crates), so the clerk fixes it before a round trip; the server
/// still checks all of it and more (harvest date within 7 days, the contract's end).
/// </summary>
public sealed class ReceiptForm
{
    /// <summary>RecordReceipt's default <c>Receiving:MaxGrossKg</c>.</summary>
    public const decimal MaxGrossKg = 2000m;
    public const int MaxCrates = 500;

    public Grower? Grower { get; set; }
    public DateOnly? HarvestedOn { get; set; }
    public string GrossKg { get; set; } = "";
    public int Crates { get; set; }
    public bool CertificatePresented { get; set; }
    public string? CertificateNo { get; set; }
    public string? Note { get; set; }

    /// <summary>
    /// Made when the clerk first saves this capture and kept for every retry of it, so a save whose answer was lost is
    /// replayed by the server, not recorded twice; a new capture (<see cref="ReceiptForm"/> after a save) gets a new one.
    /// </summary>
    public string? IdempotencyKey { get; private set; }

    /// <summary>The contract a contract grower delivers under (their current one); none for a member grower.</summary>
    public Guid? ContractId => Grower is { Kind: "contract" } g ? g.ContractId : null;

    /// <summary>The field's messages, empty when the form can be sent (field names as the API's JSON).</summary>
    public Dictionary<string, List<string>> Validate()
    {
        var errors = new Dictionary<string, List<string>>();
        void Fail(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            list.Add(message);
        }

        if (Grower is null) Fail("growerId", Text.GrowerRequired);
        if (HarvestedOn is null) Fail("harvestedOn", Text.HarvestedOnRequired);
        if (string.IsNullOrWhiteSpace(GrossKg)) Fail("grossKg", Text.GrossKgRequired);
        else if (ParseKg(GrossKg) is not { } kg) Fail("grossKg", Text.GrossKgNotNumber);
        else if (kg <= 0) Fail("grossKg", Text.GrossKgPositive);
        else if (kg > MaxGrossKg) Fail("grossKg", Text.GrossKgAtMost(MaxGrossKg));
        else if (decimal.Round(kg, 3) != kg) Fail("grossKg", Text.GrossKgGrams);
        if (Crates is < 0 or > MaxCrates) Fail("crates", Text.CratesRange);
        if (!CertificatePresented && !string.IsNullOrWhiteSpace(CertificateNo)) Fail("growerCertificate.number", Text.CertificateNoWithoutCertificate);
        return errors;
    }

    /// <summary>The request to send and the capture's key; call only when <see cref="Validate"/> found nothing.</summary>
    public (ReceiptRequest Request, string IdempotencyKey) ToRequest()
    {
        IdempotencyKey ??= Guid.NewGuid().ToString();
        var request = new ReceiptRequest(Grower!.Id, HarvestedOn!.Value, ParseKg(GrossKg)!.Value, Crates, ContractId,
            string.IsNullOrWhiteSpace(Note) ? null : Note.Trim(),
            new CooperativeApi.GrowerCertificate(CertificatePresented, string.IsNullOrWhiteSpace(CertificateNo) ? null : CertificateNo.Trim()));
        return (request, IdempotencyKey);
    }

    /// <summary>Digits with a point or a Chinese full stop typed on a phone keyboard ("120.5", "120。5"); no thousands separators.</summary>
    public static decimal? ParseKg(string text) =>
        decimal.TryParse(text.Trim().Replace('。', '.').Replace('．', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var kg) ? kg : null;
}
