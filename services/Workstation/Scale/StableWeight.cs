namespace MelonChain.Workstation.Scale;

/// <summary>
/// Takes a weight only when the scale has settled: the same value in <see cref="Frames"/> frames in a row. Melons
/// rolling in a crate swing the reading for a second or two; at 9600 baud the XK3190-A9 sends about 10 frames a
/// second (fewer at 1200), so 5 equal frames are half a second to a second of stillness. Any frame that is not a weight
/// (overload, a bad check, a cut frame) starts the count again.
/// </summary>
public sealed class StableWeight(int frames = StableWeight.DefaultFrames)
{
    public const int DefaultFrames = 5;

    private decimal? _last;
    private int _count;

    public int Frames { get; } = frames >= 2 ? frames : throw new ArgumentOutOfRangeException(nameof(frames), "at least 2 frames");

    /// <summary>The settled weight, or null while the scale moves.</summary>
    public decimal? Stable => _count >= Frames ? _last : null;

    /// <summary>Adds a frame's reading and returns <see cref="Stable"/>.</summary>
    public decimal? Add(Reading reading)
    {
        if (!reading.IsWeight)
        {
            (_last, _count) = (null, 0);
            return null;
        }
        _count = reading.Kg == _last ? _count + 1 : 1;
        _last = reading.Kg;
        return Stable;
    }
}
