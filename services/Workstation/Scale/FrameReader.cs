namespace MelonChain.Workstation.Scale;

/// <summary>
/// Cuts the serial stream into frames. A read from the port ends anywhere (half a frame, three frames and a bit), and
/// the first bytes after opening the port are usually the tail of a frame: bytes before an STX are skipped, a frame
/// is read once its 12 bytes are in, and one that does not end in ETX is reported and reading starts again at the
/// next STX inside it, so one lost byte costs one frame, not the rest of the stream.
/// </summary>
public sealed class FrameReader
{
    private readonly List<byte> _pending = new(IndicatorFrame.Length * 2);

    /// <summary>Adds the bytes of one read and returns the frames they completed, in order.</summary>
    public IReadOnlyList<Reading> Add(ReadOnlySpan<byte> bytes)
    {
        _pending.AddRange(bytes);
        var readings = new List<Reading>();
        while (true)
        {
            var start = _pending.IndexOf(IndicatorFrame.Stx);
            if (start < 0)
            {
                _pending.Clear();
                return readings;
            }
            if (start > 0) _pending.RemoveRange(0, start);
            if (_pending.Count < IndicatorFrame.Length) return readings;
            var frame = _pending.GetRange(0, IndicatorFrame.Length).ToArray();
            if (frame[^1] == IndicatorFrame.Etx)
            {
                readings.Add(IndicatorFrame.Parse(frame));
                _pending.RemoveRange(0, IndicatorFrame.Length);
            }
            else
            {
                readings.Add(new Reading(FrameStatus.Malformed));
                _pending.RemoveAt(0); // resynchronise on the next STX
            }
        }
    }
}
