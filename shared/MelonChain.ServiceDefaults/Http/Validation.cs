namespace MelonChain.ServiceDefaults.Http;

/// <summary>
/// Collects field errors for one request and throws a single 422 ProblemDetails naming them all.
/// Field names are the JSON paths the client sent (camelCase).
/// </summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new();

    public bool IsValid => _errors.Count == 0;

    public Validation Fail(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public Validation Check(bool ok, string field, string message) => ok ? this : Fail(field, message);

    /// <summary>Text a person typed: required unless said otherwise, bounded, no control characters or markup.</summary>
    public Validation Text(string? value, string field, int maxLength = 200, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
            return required ? Fail(field, "is required") : this;
        if (value.Length > maxLength) Fail(field, $"must be at most {maxLength} characters");
        if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))) Fail(field, "must not contain control characters");
        if (value.IndexOfAny(['<', '>']) >= 0) Fail(field, "must not contain markup (< or >)");
        return this;
    }

    /// <summary>A code such as a member number: letters, digits, '-', '_' and '.'.</summary>
    public Validation Code(string? value, string field, int maxLength = 40)
    {
        if (string.IsNullOrWhiteSpace(value)) return Fail(field, "is required");
        if (value.Length > maxLength) Fail(field, $"must be at most {maxLength} characters");
        if (!value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) Fail(field, "may hold only letters, digits, '-', '_' and '.'");
        return this;
    }

    /// <summary>A mainland phone number: 7 to 15 digits, optionally with '+', '-' or spaces.</summary>
    public Validation Phone(string? value, string field, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value)) return required ? Fail(field, "is required") : this;
        var digits = value.Count(char.IsAsciiDigit);
        var ok = value.Length <= 20 && digits is >= 7 and <= 15 && value.All(c => char.IsAsciiDigit(c) || c is '+' or '-' or ' ');
        return Check(ok, field, "must be a phone number (7 to 15 digits)");
    }

    /// <summary>A weight in kg: positive, at most <paramref name="maxKg"/>, at most 3 decimals (whole grams).</summary>
    /// <summary>Whether <see cref="Kg"/> would accept the value: a caller checking many can name a field only when it fails.</summary>
    public static bool IsKg(decimal value, decimal maxKg, bool allowZero = false) =>
        (value > 0 || (allowZero && value == 0)) && value <= maxKg && decimal.Round(value, 3) == value;

    public Validation Kg(decimal value, string field, decimal maxKg, bool allowZero = false)
    {
        if (value < 0 || (!allowZero && value == 0)) return Fail(field, allowZero ? "must not be negative" : "must be greater than 0");
        if (value > maxKg) return Fail(field, $"must be at most {maxKg} kg");
        return Check(decimal.Round(value, 3) == value, field, "must have at most 3 decimals (whole grams)");
    }

    public Validation Range(long value, string field, long min, long max) =>
        Check(value >= min && value <= max, field, $"must be between {min} and {max}");

    public Validation OneOf(string? value, string field, IReadOnlyCollection<string> allowed) =>
        Check(value is not null && allowed.Contains(value), field, $"must be one of: {string.Join(", ", allowed)}");

    /// <summary>The dates this system accepts anywhere: a business day of this century (so no date arithmetic can overflow).</summary>
    public static readonly DateOnly EarliestDate = new(2000, 1, 1), LatestDate = new(2099, 12, 31);

    public Validation Date(DateOnly? value, string field) =>
        Check(value is null || (value >= EarliestDate && value <= LatestDate), field, $"must be between {EarliestDate:yyyy-MM-dd} and {LatestDate:yyyy-MM-dd}");

    /// <summary>A period of whole days: both ends in range, <paramref name="from"/> ≤ <paramref name="to"/>, at most <paramref name="maxDays"/> long.</summary>
    public Validation Period(DateOnly? from, DateOnly? to, int maxDays = 366)
    {
        Date(from, "from").Date(to, "to");
        return Check(from is null || to is null || (from <= to && to.Value.DayNumber - from.Value.DayNumber <= maxDays),
            "to", $"must be on or after from, within {maxDays} days");
    }

    /// <summary>
    /// A report's period of whole days: <paramref name="to"/> defaults to <paramref name="today"/>, <paramref name="from"/>
    /// to the <paramref name="defaultDays"/> days ending on it; both checked as <see cref="Period"/> does, or 422.
    /// </summary>
    public static (DateOnly First, DateOnly Last) ReportPeriod(DateOnly? from, DateOnly? to, DateOnly today, int defaultDays)
    {
        new Validation().Date(from, "from").Date(to, "to").ThrowIfInvalid();
        var last = to ?? today;
        var first = from ?? last.AddDays(1 - defaultDays);
        new Validation().Period(first, last).ThrowIfInvalid();
        return (first, last);
    }

    public void ThrowIfInvalid()
    {
        if (!IsValid)
            throw Problem.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }
}
