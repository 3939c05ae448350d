using MelonChain.Workstation.Api;
using MelonChain.Workstation.Components;

namespace MelonChain.Workstation.Tests;

public sealed class MoneyAndKeyTests
{
    [Theory]
    [InlineData("12.5", 1250L)]
    [InlineData(" 500 ", 50000L)]
    [InlineData("0.01", 1L)]
    [InlineData("12。50", 1250L)] // a Chinese keyboard's full stop
    [InlineData("12.345", null)]  // no part of a fen
    [InlineData("-5", null)]
    [InlineData("1,000", null)]
    [InlineData("", null)]
    public void Yuan_typed_are_read_as_whole_fen_or_not_at_all(string typed, long? fen) => Assert.Equal(fen, Fen.ParseYuan(typed));

    [Theory]
    [InlineData(123456L, "¥1,234.56")]
    [InlineData(-50000L, "-¥500.00")]
    [InlineData(0L, "¥0.00")]
    public void Fen_are_shown_as_yuan(long fen, string shown) => Assert.Equal(shown, Fen.Yuan(fen));

    [Theory]
    [InlineData("10.0000000000000000", "10")] // a sum the API divided by 1000.0
    [InlineData("1234.5", "1,234.5")]
    [InlineData("0.125", "0.125")]
    public void Kilograms_are_shown_to_the_gram_without_trailing_zeros(string kg, string shown) =>
        Assert.Equal(shown, Kilograms.Show(decimal.Parse(kg, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void One_action_keeps_its_key_until_done_and_another_action_gets_another()
    {
        var key = new OnceKey();
        var settleJune = (new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 7));

        var first = key.For(settleJune);
        Assert.Equal(first, key.For(settleJune));
        var other = key.For((new DateOnly(2026, 6, 8), new DateOnly(2026, 6, 14)));
        Assert.NotEqual(first, other);
        key.Done();
        Assert.NotEqual(other, key.For((new DateOnly(2026, 6, 8), new DateOnly(2026, 6, 14))));
    }
}
