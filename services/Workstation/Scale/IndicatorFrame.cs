namespace MelonChain.Workstation.Scale;

/// <summary>What one frame from the indicator said.</summary>
public enum FrameStatus
{
    /// <summary>A weight: <see cref="Reading.Kg"/> holds it.</summary>
    Weight,

    /// <summary>Not 12 bytes from STX to ETX: a frame cut by a lost byte or noise on the line.</summary>
    Malformed,

    /// <summary>The check characters do not match the frame: a byte changed on the way.</summary>
    BadCheck,

    /// <summary>The frame is whole and checks, but holds no number: the indicator shows overload or an error.</summary>
    NotAWeight,
}

/// <summary>A frame read: its status and, for <see cref="FrameStatus.Weight"/>, the weight in kg (negative below zero).</summary>
public readonly record struct Reading(FrameStatus Status, decimal Kg = 0m)
{
    public bool IsWeight => Status == FrameStatus.Weight;
}

/// <summary>
/// The continuous output of a weighing indicator such as the XK3190-A9 (1200 or 9600 baud, 8N1), one frame after
/// another, 12 bytes each:
/// STX (0x02) · sign ('+' or '-') · six weight digits · decimal places (one digit) · two check characters · ETX (0x03).
/// "+0012051" is +001205 with 1 decimal: 120.5 kg. The check is the XOR of the 8 bytes from the sign to the decimal
/// digit, written as its high and low nibble, each '0'+n up to 9 and 'A'+n-10 above (so 0x1C is "1C").
/// </summary>
public static class IndicatorFrame
{
    public const byte Stx = 0x02;
    public const byte Etx = 0x03;
    public const int Length = 12;

    /// <summary>The most decimal places a frame may name: grams on a kg indicator (the API keeps whole grams).</summary>
    public const int MaxDecimals = 3;

    /// <summary>Reads one frame (exactly <see cref="Length"/> bytes, STX first, ETX last).</summary>
    public static Reading Parse(ReadOnlySpan<byte> frame)
    {
        if (frame.Length != Length || frame[0] != Stx || frame[^1] != Etx) return new Reading(FrameStatus.Malformed);
        var body = frame[1..9];
        if (!CheckMatches(body, frame[9], frame[10])) return new Reading(FrameStatus.BadCheck);
        var sign = body[0];
        var digits = body[1..7];
        var decimals = body[7] - '0';
        if (sign is not ((byte)'+' or (byte)'-') || decimals is < 0 or > MaxDecimals) return new Reading(FrameStatus.NotAWeight);
        long units = 0;
        foreach (var d in digits)
        {
            if (d is < (byte)'0' or > (byte)'9') return new Reading(FrameStatus.NotAWeight);
            units = units * 10 + (d - '0');
        }
        var kg = new decimal(units) / Pow10(decimals);
        return new Reading(FrameStatus.Weight, sign == '-' ? -kg : kg);
    }

    /// <summary>The two check characters for a frame body (sign, six digits, decimal digit).</summary>
    public static (char High, char Low) Check(ReadOnlySpan<byte> body)
    {
        byte x = 0;
        foreach (var b in body) x ^= b;
        return (Nibble(x >> 4), Nibble(x & 0xF));
    }

    private static bool CheckMatches(ReadOnlySpan<byte> body, byte high, byte low)
    {
        var (h, l) = Check(body);
        return high == h && low == l;
    }

    private static char Nibble(int n) => (char)(n <= 9 ? '0' + n : 'A' + n - 10);

    private static decimal Pow10(int n) => n switch { 0 => 1m, 1 => 10m, 2 => 100m, _ => 1000m };
}
