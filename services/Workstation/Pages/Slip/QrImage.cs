using QRCoder;

namespace MelonChain.Workstation.Pages.Slip;

/// <summary>
/// The grower's link as a QR code, made in the app (QRCoder, plain managed code: it runs in WebAssembly and offline)
/// as a PNG data URI the slip shows in an &lt;img&gt; (the page's Content-Security-Policy allows <c>data:</c> images).
/// </summary>
public static class QrImage
{
    /// <summary>Pixels per module: a 25 mm QR on the slip stays sharp on a 203 dpi receipt printer.</summary>
    public const int PixelsPerModule = 6;

    public static string DataUri(string text)
    {
        using var generator = new QRCodeGenerator();
        // Level M: a slip that gets damp or folded in a grower's pocket still reads.
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(PixelsPerModule);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }
}
