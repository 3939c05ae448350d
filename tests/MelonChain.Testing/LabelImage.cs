using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace MelonChain.Testing;

/// <summary>A label PDF's page as poppler renders it (<c>pdftoppm</c>), and the QR or Code 128 barcode read back from those pixels.</summary>
public static class LabelImage
{
    /// <summary>Renders page 1 to PNG (for a browser) and to 8-bit grey PGM (read here without an image library).</summary>
    public static Task<(string Png, string Pgm)> RenderFirstPageAsync(byte[] pdf, int dpi = 200) => RenderPageAsync(pdf, 1, dpi);

    /// <summary>Renders one page (from 1) to PNG and to 8-bit grey PGM.</summary>
    public static async Task<(string Png, string Pgm)> RenderPageAsync(byte[] pdf, int page, int dpi = 200)
    {
        var dir = Directory.CreateTempSubdirectory("melon-label").FullName;
        var file = Path.Combine(dir, "labels.pdf");
        await File.WriteAllBytesAsync(file, pdf);
        var at = page.ToString();
        await Cli.Run("pdftoppm", ["-r", dpi.ToString(), "-png", "-f", at, "-l", at, "-singlefile", file, Path.Combine(dir, "page")]);
        await Cli.Run("pdftoppm", ["-r", dpi.ToString(), "-gray", "-f", at, "-l", at, "-singlefile", file, Path.Combine(dir, "page")]);
        return (Path.Combine(dir, "page.png"), Path.Combine(dir, "page.pgm"));
    }

    /// <summary>The text of the QR in a binary PGM (P5) image, or null when none is found.</summary>
    public static string? DecodeQr(string pgmPath) => new QRCodeReader().decode(Bitmap(pgmPath))?.Text;

    /// <summary>The text of the Code 128 barcode in a binary PGM (P5) image (ZXing's 1D reader, trying harder), or null.</summary>
    public static string? DecodeCode128(string pgmPath) =>
        new ZXing.OneD.Code128Reader().decode(Bitmap(pgmPath), new Dictionary<DecodeHintType, object> { [DecodeHintType.TRY_HARDER] = true })?.Text;

    private static BinaryBitmap Bitmap(string pgmPath)
    {
        var bytes = File.ReadAllBytes(pgmPath);
        var fields = new List<string>();
        var at = 0;
        while (fields.Count < 4)
        {
            while (char.IsWhiteSpace((char)bytes[at])) at++;
            var start = at;
            while (!char.IsWhiteSpace((char)bytes[at])) at++;
            fields.Add(System.Text.Encoding.ASCII.GetString(bytes, start, at - start));
        }
        if (fields[0] != "P5" || fields[3] != "255") throw new InvalidDataException($"{pgmPath} is not an 8-bit binary PGM");
        var (width, height) = (int.Parse(fields[1]), int.Parse(fields[2]));
        var gray = bytes[(at + 1)..(at + 1 + width * height)];
        return new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(gray, width, height, RGBLuminanceSource.BitmapFormat.Gray8)));
    }
}
