using System.Text;
using MelonChain.Workstation.Pages.Receiving;
using MelonChain.Workstation.Scale;
using Microsoft.JSInterop;

namespace MelonChain.Workstation.Tests;

/// <summary>电子秤 on the receiving screen: frames from the port (js/serial.js stubbed) and what the clerk may take.</summary>
public sealed class ScalePanelTests : WorkstationContext
{
    /// <summary>An XK3190-A9 frame for a body (sign, six digits, decimals) with its correct check characters.</summary>
    private static byte[] Frame(string body)
    {
        var (high, low) = IndicatorFrame.Check(Encoding.ASCII.GetBytes(body));
        return Encoding.ASCII.GetBytes($"\u0002{body}{high}{low}\u0003");
    }

    private static byte[] Frames(string body, int count) => Enumerable.Repeat(Frame(body), count).SelectMany(f => f).ToArray();

    private IRenderedComponent<Receiving> ConnectedScreen()
    {
        WebSerial = true;
        SignedInAs("clerk");
        var screen = Render<Receiving>();
        screen.WaitForElement("#growerSearch:not([disabled])");
        screen.Find("#scaleBaud").Change("1200");
        screen.Find("#connectScale").Click();
        screen.WaitForElement("#scaleWeight");
        Assert.Equal(1200, SerialModule.Invocations["connect"].Single().Arguments[1]);
        return screen;
    }

    private Task Port(IRenderedComponent<Receiving> screen, byte[] bytes)
    {
        var panel = (DotNetObjectReference<ScalePanel>)SerialModule.Invocations["connect"].Single().Arguments[0]!;
        return screen.InvokeAsync(() => panel.Value.OnBytes(bytes));
    }

    [Fact]
    public void Without_Web_Serial_the_connect_button_is_disabled_and_says_why_and_the_weight_is_typed()
    {
        SignedInAs("clerk");
        var screen = Render<Receiving>();
        screen.WaitForElement("#growerSearch:not([disabled])");

        Assert.True(screen.Find("#connectScale").HasAttribute("disabled"));
        Assert.Equal(Text.ScaleUnsupported, screen.Find("#scaleUnsupported").TextContent);
        screen.Find("#grossKg").Change("95.5");
        Assert.Equal("95.5", screen.Find("#grossKg").GetAttribute("value"));
        Assert.Empty(SerialModule.Invocations["connect"]);
    }

    [Fact]
    public async Task A_swinging_weight_is_shown_but_cannot_be_taken()
    {
        var screen = ConnectedScreen();

        // Four equal frames (one short of stable), then a different one: the melons still rolling.
        await Port(screen, Frames("+0012051", 4));
        await Port(screen, Frame("+0012061"));

        Assert.Equal("120.6 公斤", screen.Find("#scaleWeight").TextContent);
        Assert.Equal(Text.ScaleUnstable, screen.Find("#scaleStable").TextContent);
        Assert.True(screen.Find("#useWeight").HasAttribute("disabled"));
        Assert.Equal("", screen.Find("#grossKg").GetAttribute("value"));
    }

    [Fact]
    public async Task A_stable_weight_fills_the_gross_kg_when_taken_and_the_clerk_may_still_type_over_it()
    {
        var screen = ConnectedScreen();

        // Frames cut anywhere by the port's reads: five equal ones make it stable.
        var stream = Frames("+0012051", 5);
        await Port(screen, stream[..7]);
        await Port(screen, stream[7..30]);
        Assert.True(screen.Find("#useWeight").HasAttribute("disabled"));
        await Port(screen, stream[30..]);

        Assert.Equal(Text.ScaleStable, screen.Find("#scaleStable").TextContent);
        Assert.Equal("120.5 公斤", screen.Find("#scaleWeight").TextContent);
        screen.Find("#useWeight").Click();
        Assert.Equal("120.5", screen.Find("#grossKg").GetAttribute("value"));

        screen.Find("#grossKg").Change("120.4");
        Assert.Equal("120.4", screen.Find("#grossKg").GetAttribute("value"));
    }

    [Fact]
    public async Task Overload_is_shown_and_cannot_be_taken_and_a_stable_weight_moving_again_is_no_longer_offered()
    {
        var screen = ConnectedScreen();
        await Port(screen, Frames("+0012051", 5));
        Assert.False(screen.Find("#useWeight").HasAttribute("disabled"));

        await Port(screen, Frame("+OL----0"));

        Assert.Equal(Text.ScaleOverload, screen.Find("#scaleWeight").TextContent);
        Assert.Equal(Text.ScaleUnstable, screen.Find("#scaleStable").TextContent);
        Assert.True(screen.Find("#useWeight").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_negative_weight_is_shown_as_such_and_cannot_be_taken_even_when_stable()
    {
        var screen = ConnectedScreen();

        await Port(screen, Frames("-0000522", 6));

        Assert.Equal(Text.ScaleNegative(-0.52m), screen.Find("#scaleWeight").TextContent);
        Assert.True(screen.Find("#useWeight").HasAttribute("disabled"));
        screen.Find("#useWeight").Click();
        Assert.Equal("", screen.Find("#grossKg").GetAttribute("value"));
    }

    [Fact]
    public async Task A_frame_with_a_bad_check_is_shown_as_garbled_and_breaks_the_stable_count()
    {
        var screen = ConnectedScreen();
        var bad = Frame("+0012051");
        bad[9] = (byte)(bad[9] == (byte)'0' ? '1' : '0');

        await Port(screen, Frames("+0012051", 4));
        await Port(screen, bad);
        await Port(screen, Frame("+0012051"));

        Assert.Equal(Text.ScaleUnstable, screen.Find("#scaleStable").TextContent);
        Assert.True(screen.Find("#useWeight").HasAttribute("disabled"));
        await Port(screen, bad);
        Assert.Equal(Text.ScaleGarbled, screen.Find("#scaleWeight").TextContent);
    }
}
