using System.Text;

namespace MelonChain.ServiceDefaults.Http;

/// <summary>A page of a list: <c>{items, next}</c>, where <c>next</c> is the cursor of the following page or null.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

/// <summary>
/// <c>?limit=</c> (default 50, max 500) and <c>?after=</c> (an opaque cursor from a previous page's <c>next</c>).
/// Every list is paged this way. Lists are ordered by a unique key; the cursor is that key of the last item, so pages
/// never skip or repeat. A list keyed by id compares ids as uuids (<see cref="AfterId"/>, never as text); one keyed by a
/// readable number compares that text.
/// </summary>
public readonly record struct Paging(int Limit, string? After)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>Marks a cursor as one a list gave, so any other text is refused rather than read as a position.</summary>
    private const string Mark = "mc1:";

    public static Paging From(int? limit, string? after)
    {
        var v = new Validation();
        v.Check(limit is null or (>= 1 and <= MaxLimit), "limit", $"must be between 1 and {MaxLimit}");
        string? key = null;
        if (!string.IsNullOrEmpty(after))
        {
            try { key = Encoding.UTF8.GetString(Convert.FromBase64String(after)); }
            catch (FormatException) { }
            if (key is null || !key.StartsWith(Mark, StringComparison.Ordinal)) v.Fail("after", "is not a cursor returned by this list");
            else key = key[Mark.Length..];
        }
        v.ThrowIfInvalid();
        return new Paging(limit ?? DefaultLimit, key);
    }

    /// <summary>The cursor of a list keyed by id; 422 for a cursor that is not one of this list's.</summary>
    public Guid? AfterId => After is null ? null
        : Guid.TryParse(After, out var id) ? id : throw Problem.Invalid("after", "is not a cursor returned by this list");

    public Page<T> ToPage<T>(IReadOnlyList<T> rows, Func<T, Guid> id) => ToPage(rows, r => id(r).ToString());

    /// <summary>Asks the database for one row more than the page so it knows whether a next page exists.</summary>
    public int Fetch => Limit + 1;

    public Page<T> ToPage<T>(IReadOnlyList<T> rows, Func<T, string> key)
    {
        if (rows.Count <= Limit) return new Page<T>(rows, null);
        var items = rows.Take(Limit).ToList();
        return new Page<T>(items, Convert.ToBase64String(Encoding.UTF8.GetBytes(Mark + key(items[^1]))));
    }
}
