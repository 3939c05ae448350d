using MelonChain.Cooperative.Features.Sales;
using static MelonChain.Cooperative.Features.Sales.Packing;

namespace MelonChain.Cooperative.Tests;

public class PackingTests
{
    [Fact]
    public void Allocation_takes_the_oldest_lots_first_and_says_when_stock_is_short()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), c = Guid.NewGuid();
        var fifo = new[] { new LotSlice(a, 3_000), new LotSlice(b, 4_000), new LotSlice(c, 10_000) };

        Assert.Equal([new LotSlice(a, 3_000), new LotSlice(b, 4_000), new LotSlice(c, 500)], Allocate(fifo, 7_500));
        Assert.Null(Allocate(fifo, 17_001));
    }

    [Fact]
    public void Boxes_are_full_but_the_last_and_each_box_knows_its_lots()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid();
        var boxes = FillBoxes("grade1", 5_000, [new LotSlice(a, 7_200), new LotSlice(b, 5_300)]);

        Assert.Equal([5_000L, 5_000L, 2_500L], boxes.Select(x => x.NetGrams));
        Assert.All(boxes, x => Assert.Equal(x.NetGrams, x.Sources.Sum(s => s.Grams)));
        Assert.Equal([new LotSlice(a, 2_200), new LotSlice(b, 2_800)], boxes[1].Sources);
        Assert.Equal(7_200, boxes.SelectMany(x => x.Sources).Where(s => s.LotId == a).Sum(s => s.Grams));
    }

    [Fact]
    public void Trace_codes_are_ten_unambiguous_characters_and_do_not_repeat()
    {
        var codes = Enumerable.Range(0, 20_000).Select(_ => NewTraceCode()).ToList();
        Assert.All(codes, c => Assert.Matches("^[0-9A-HJKMNP-TV-Z]{10}$", c));
        Assert.Equal(codes.Count, codes.Distinct().Count());
    }
}
