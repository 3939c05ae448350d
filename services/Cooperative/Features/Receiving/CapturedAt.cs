using System.Globalization;
using MelonChain.Messages;
using MelonChain.ServiceDefaults.Http;

namespace MelonChain.Cooperative.Features.Receiving;

/// <summary>
/// <c>capturedAt</c> on a receipt or a grading: the moment the workstation took it, sent later from its offline queue.
/// An ISO 8601 timestamp with its offset ("2026-06-12T09:30:00+08:00" or "…Z"; without one the instant is unknown),
/// no later than now (a device's clock may run up to 5 minutes ahead), and on a China day within the harvest-age window
/// (the last <c>Receiving:MaxHarvestAgeDays</c> days, 7 by default): older than that the melons could not be received
/// anyway. When given it is the receipt's received time and the grading's graded time, so the day's list, the
/// receipt number's day and the harvest-age rule are those of the capture, not of the sync.
/// </summary>
public static class CapturedAt
{
    public const string Field = "capturedAt";

    /// <summary>How far ahead of the server a device's clock may run.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private static readonly string[] Formats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    /// <summary>The instant, or null when not given; a bad value is reported on <paramref name="v"/> (and null returned).</summary>
    public static DateTimeOffset? Check(string? value, Validation v, DateTimeOffset now, int maxAgeDays)
    {
        if (value is null) return null;
        var trimmed = value.Trim();
        var hasOffset = trimmed.EndsWith('Z') || (trimmed.Length > 6 && trimmed[^6] is '+' or '-' && trimmed[^3] == ':');
        if (!hasOffset || !DateTimeOffset.TryParseExact(trimmed, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            v.Fail(Field, "must be an ISO 8601 timestamp with its offset, e.g. 2026-06-12T09:30:00+08:00");
            return null;
        }
        var ok = true;
        if (at > now + ClockSkew) { v.Fail(Field, "must not be later than now"); ok = false; }
        if (ChinaTime.DateOf(at) < ChinaTime.DateOf(now).AddDays(-maxAgeDays)) { v.Fail(Field, $"must be within the last {maxAgeDays} days"); ok = false; }
        // PostgreSQL keeps instants (timestamptz takes UTC only from Npgsql); the offset was only how the device wrote it.
        return ok ? at.ToUniversalTime() : null;
    }
}
