using MelonChain.Workstation.Api;
using MelonChain.Workstation.Pages.Receiving;

namespace MelonChain.Workstation.Tests;

public sealed class GrowerSearchTests
{
    private static readonly CooperativeApi.Grower[] Register =
    [
        new(Guid.NewGuid(), "SX-010", "张伟", "", "上乡村", "member", null),
        new(Guid.NewGuid(), "SX-001", "李秀英", "", "上乡村", "member", null),
        new(Guid.NewGuid(), "SX-0105", "李伟", "", "下乡村", "member", null),
        new(Guid.NewGuid(), "EP-017", "王建国", "", "恩平", "contract", Guid.NewGuid()),
    ];

    [Theory]
    [InlineData("sx-01", "SX-010,SX-0105")] // from the start of the number, case ignored, in number order
    [InlineData("SX-0105", "SX-0105")]
    [InlineData("李", "SX-001,SX-0105")] // any part of a name
    [InlineData("李秀英", "SX-001")]
    [InlineData("017", "")] // not the middle of a number
    [InlineData("  ", "")]
    public void A_member_is_found_by_the_start_of_their_number_or_part_of_their_name(string typed, string found) =>
        Assert.Equal(found, string.Join(',', GrowerSearch.Find(Register, typed).Select(g => g.MemberNo)));
}
