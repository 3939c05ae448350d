using System.Security.Cryptography;

namespace MelonChain.Cooperative.Features.Sales;

/// <summary>The pure rules of packing: FIFO allocation from lots, boxes of one grade, and trace codes.</summary>
public static class Packing
{
    public sealed record LotSlice(Guid LotId, long Grams);

    public sealed record PackedBox(string Grade, long NetGrams, IReadOnlyList<LotSlice> Sources);

    /// <summary>Takes <paramref name="need"/> grams from lots already in FIFO order; null when they do not hold enough.</summary>
    public static IReadOnlyList<LotSlice>? Allocate(IEnumerable<LotSlice> availableFifo, long need)
    {
        var taken = new List<LotSlice>();
        foreach (var lot in availableFifo)
        {
            if (need == 0) break;
            var grams = Math.Min(lot.Grams, need);
            if (grams <= 0) continue;
            taken.Add(lot with { Grams = grams });
            need -= grams;
        }
        return need == 0 ? taken : null;
    }

    /// <summary>
    /// Fills boxes of <paramref name="boxNetGrams"/> from the allocated slices in order; the last box of the line
    /// holds the remainder. Each box records which lots (and how many grams of each) make up its net weight.
    /// </summary>
    public static IReadOnlyList<PackedBox> FillBoxes(string grade, long boxNetGrams, IReadOnlyList<LotSlice> allocated)
    {
        var boxes = new List<PackedBox>();
        var total = allocated.Sum(s => s.Grams);
        var current = 0;
        var usedOfCurrent = 0L;
        while (total > 0)
        {
            var net = Math.Min(boxNetGrams, total);
            var sources = new List<LotSlice>();
            for (var left = net; left > 0;)
            {
                var slice = allocated[current];
                var grams = Math.Min(slice.Grams - usedOfCurrent, left);
                sources.Add(slice with { Grams = grams });
                left -= grams;
                usedOfCurrent += grams;
                if (usedOfCurrent == slice.Grams) { current++; usedOfCurrent = 0; }
            }
            boxes.Add(new PackedBox(grade, net, sources));
            total -= net;
        }
        return boxes;
    }

    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>一箱一码: 10 characters of Crockford base32 (50 random bits) — short, no I/L/O/U to misread.</summary>
    public static string NewTraceCode()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        var value = BitConverter.ToUInt64(bytes);
        return string.Create(10, value, (chars, v) =>
        {
            for (var i = 0; i < chars.Length; i++) { chars[i] = Crockford[(int)(v & 31)]; v >>= 5; }
        });
    }
}
