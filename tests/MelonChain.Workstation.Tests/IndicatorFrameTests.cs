using System.Text;
using MelonChain.Workstation.Scale;

namespace MelonChain.Workstation.Tests;

/// <summary>
/// XK3190-A9 continuous-output frames as they arrive on the serial line. The check characters here are written out
/// by hand (XOR of sign, six digits and decimal digit; high nibble, low nibble), not computed by the code under test.
/// </summary>
public sealed class IndicatorFrameTests
{
    private const char Stx = '\u0002', Etx = '\u0003';

    private static byte[] Bytes(string frame) => Encoding.ASCII.GetBytes(frame);

    private static string Frame(string body, string check) => $"{Stx}{body}{check}{Etx}";

    public static TheoryData<string, FrameStatus, decimal> Frames => new()
    {
        { Frame("+0012051", "1C"), FrameStatus.Weight, 120.5m },      // 001205 with 1 decimal
        { Frame("+0120500", "1D"), FrameStatus.Weight, 12050m },      // 012050 with no decimals
        { Frame("+0000053", "1D"), FrameStatus.Weight, 0.005m },      // 3 decimals: grams
        { Frame("+0000000", "1B"), FrameStatus.Weight, 0m },          // an empty platform
        { Frame("-0005022", "18"), FrameStatus.Weight, -5.02m },      // below zero: the tare taken off
        { Frame("+00O0L00", "18"), FrameStatus.NotAWeight, 0m },      // overload: letters where digits go, check right
        { Frame("+0020009", "10"), FrameStatus.NotAWeight, 0m },      // 9 decimal places is no reading
        { Frame("+0012051", "1D"), FrameStatus.BadCheck, 0m },        // one bit changed in the check
        { Frame("+0012151", "1C"), FrameStatus.BadCheck, 0m },        // one digit changed on the way
        { Frame("+0012051", "1c"), FrameStatus.BadCheck, 0m },        // check letters are upper case
        { $"{Stx}+0012051 1C", FrameStatus.Malformed, 0m },           // no ETX
        { $"{Stx}+001205{Etx}", FrameStatus.Malformed, 0m },          // short
        { "+0012051 1C" + Etx, FrameStatus.Malformed, 0m },           // no STX
    };

    [Theory]
    [MemberData(nameof(Frames))]
    public void A_frame_is_read_as_the_indicator_meant_it(string frame, FrameStatus status, decimal kg)
    {
        var reading = IndicatorFrame.Parse(Bytes(frame));
        Assert.Equal(status, reading.Status);
        if (status == FrameStatus.Weight) Assert.Equal(kg, reading.Kg);
    }

    [Theory]
    [InlineData("+0012051", "1C")]
    [InlineData("-0000502", "1A")]
    [InlineData("+0200000", "19")]
    public void The_check_is_the_XOR_of_the_body_as_two_nibble_characters(string body, string check)
    {
        var (high, low) = IndicatorFrame.Check(Bytes(body));
        Assert.Equal(check, $"{high}{low}");
    }

    [Fact]
    public void A_nibble_above_nine_is_written_as_a_letter()
    {
        // '+' ^ '0'*5 ^ '5' ^ '3' = 0x2B ^ 0x30 ^ 0x35 ^ 0x33 = 0x1D: low nibble 13 is 'D'.
        Assert.Equal(('1', 'D'), IndicatorFrame.Check(Bytes("+0000053")));
    }

    [Fact]
    public void Frames_split_across_reads_and_a_tail_before_the_first_frame_are_put_back_together()
    {
        var reader = new FrameReader();
        var stream = Bytes("051" + "1C" + Etx + Frame("+0012051", "1C") + Frame("+0012061", "1F") + Frame("+0012000", "18"));
        var chunks = new[] { stream[..6], stream[6..10], stream[10..23], stream[23..30], stream[30..] };

        var readings = chunks.SelectMany(c => reader.Add(c)).ToList();

        Assert.Equal([120.5m, 120.6m, 1200m], readings.Select(r => r.Kg));
        Assert.All(readings, r => Assert.True(r.IsWeight));
    }

    [Fact]
    public void A_frame_that_lost_a_byte_costs_only_itself()
    {
        var reader = new FrameReader();
        var cut = Frame("+0012051", "1C").Remove(5, 1); // a digit lost on the line: 11 bytes
        var readings = reader.Add(Bytes(cut + Frame("+0012051", "1C") + Frame("-0005022", "18")));

        Assert.Equal(FrameStatus.Malformed, readings[0].Status);
        Assert.Equal([120.5m, -5.02m], readings.Where(r => r.IsWeight).Select(r => r.Kg));
    }

    [Fact]
    public void A_weight_is_taken_only_once_the_same_value_came_in_enough_frames_in_a_row()
    {
        var stable = new StableWeight(frames: 3);
        decimal? Add(decimal kg) => stable.Add(new Reading(FrameStatus.Weight, kg));

        Assert.Null(Add(118.0m));
        Assert.Null(Add(121.5m));     // melons still rolling
        Assert.Null(Add(120.5m));
        Assert.Null(Add(120.5m));
        Assert.Equal(120.5m, Add(120.5m));
        Assert.Equal(120.5m, Add(120.5m)); // stays stable while it holds
        Assert.Null(Add(120.6m));          // moved: wait again
    }

    [Theory]
    [InlineData(FrameStatus.BadCheck)]
    [InlineData(FrameStatus.NotAWeight)]
    [InlineData(FrameStatus.Malformed)]
    public void Any_frame_that_is_not_a_weight_starts_the_count_again(FrameStatus status)
    {
        var stable = new StableWeight(frames: 3);
        stable.Add(new Reading(FrameStatus.Weight, 80m));
        stable.Add(new Reading(FrameStatus.Weight, 80m));

        Assert.Null(stable.Add(new Reading(status)));
        Assert.Null(stable.Add(new Reading(FrameStatus.Weight, 80m)));
        Assert.Null(stable.Add(new Reading(FrameStatus.Weight, 80m)));
        Assert.Equal(80m, stable.Add(new Reading(FrameStatus.Weight, 80m)));
    }
}
