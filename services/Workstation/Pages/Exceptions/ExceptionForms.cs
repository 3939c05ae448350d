using System.Globalization;
using MelonChain.Workstation.Api;

namespace MelonChain.Workstation.Pages.Exceptions;

/// <summary>
/// What the clerk types on 异常/理赔, checked as the services check it (ReturnBoxes, FileClaim, DecideClaim,
/// FileCarrierClaim) so the clerk learns it before a round trip; the server decides.
/// </summary>
public static class ExceptionForms
{
    public sealed record Returns(IReadOnlyList<string> TraceCodes, string Disposition, string? Reason);

    /// <summary>Returned boxes scanned back in: at least one; writing off needs a reason.</summary>
    public static (Returns? Request, IReadOnlyList<string> Errors) CheckReturns(IReadOnlyCollection<string> picked, string disposition, string reason)
    {
        var errors = new List<string>();
        if (picked.Count == 0) errors.Add(Text.PickReturnedBoxes);
        if (disposition == "write_off" && string.IsNullOrWhiteSpace(reason)) errors.Add(Text.WriteOffReasonRequired);
        return errors.Count > 0 ? (null, errors) : (new Returns(picked.Order().ToList(), disposition, Blank(reason)), errors);
    }

    public sealed record Filing(string Kind, IReadOnlyList<string> TraceCodes, decimal Kg, long CreditFen, string? Note);

    /// <summary>A claim on delivered boxes: at least one, kg above zero to the gram and no more than they hold, a credit asked.</summary>
    public static (Filing? Request, IReadOnlyList<string> Errors) CheckFiling(string kind, IReadOnlyCollection<SalesApi.Box> picked, string kg, string creditYuan,
        string note)
    {
        var errors = new List<string>();
        if (picked.Count == 0) errors.Add(Text.PickDeliveredBoxes);
        var typedKg = decimal.TryParse(kg?.Trim().Replace('。', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var k)
                      && k > 0 && decimal.Round(k, 3) == k ? k : (decimal?)null;
        if (typedKg is null) errors.Add(Text.ClaimKgInvalid);
        else if (picked.Count > 0 && typedKg > picked.Sum(b => b.NetKg)) errors.Add(Text.ClaimKgAtMost(picked.Sum(b => b.NetKg)));
        var credit = Fen.ParseYuan(creditYuan);
        if (credit is null or <= 0) errors.Add(Text.CreditInvalid);
        return errors.Count > 0 ? (null, errors) : (new Filing(kind, picked.Select(b => b.TraceCode).ToList(), typedKg!.Value, credit!.Value, Blank(note)), errors);
    }

    /// <param name="CreditFen">The credit when accepted; null when rejected.</param>
    public sealed record Decision(string Outcome, long? CreditFen, bool CarrierLiable, string? Reason);

    /// <summary>Accept with a credit above zero and no more than asked; reject with a reason.</summary>
    public static (Decision? Request, IReadOnlyList<string> Errors) CheckDecision(string decision, string creditYuan, long askedFen, bool carrierLiable,
        string reason)
    {
        var errors = new List<string>();
        long? credit = null;
        if (decision == "accepted")
        {
            credit = Fen.ParseYuan(creditYuan);
            if (credit is not (> 0) || credit > askedFen) errors.Add(Text.CreditAtMost(askedFen));
        }
        else if (string.IsNullOrWhiteSpace(reason)) errors.Add(Text.RejectReasonRequired);
        return errors.Count > 0 ? (null, errors) : (new Decision(decision, credit, carrierLiable, Blank(reason)), errors);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
