namespace MelonChain.Testing;

/// <summary>
/// Whether a PDF page shows a drawn chart: poppler renders the page in colour (<c>pdftoppm</c>, PPM), and the share of
/// saturated pixels is counted. Text, rules and axes are black or grey; only plotted data (coloured bars) is saturated,
/// so an empty plot area counts next to nothing.
/// </summary>
public static class ChartImage
{
    public static async Task<double> SaturatedShareAsync(byte[] pdf, int page = 1, int dpi = 50)
    {
        var dir = Directory.CreateTempSubdirectory("melon-chart").FullName;
        var file = Path.Combine(dir, "report.pdf");
        await File.WriteAllBytesAsync(file, pdf);
        await Cli.Run("pdftoppm", ["-r", dpi.ToString(), "-f", page.ToString(), "-l", page.ToString(), "-singlefile", file, Path.Combine(dir, "page")]);
        var bytes = await File.ReadAllBytesAsync(Path.Combine(dir, "page.ppm"));
        // P6 header: magic, width, height, max value, each followed by white space.
        var (fields, at) = (new List<string>(), 0);
        while (fields.Count < 4)
        {
            while (char.IsWhiteSpace((char)bytes[at])) at++;
            var start = at;
            while (!char.IsWhiteSpace((char)bytes[at])) at++;
            fields.Add(System.Text.Encoding.ASCII.GetString(bytes, start, at - start));
        }
        at++;
        if (fields[0] != "P6" || fields[3] != "255") throw new InvalidOperationException($"not an 8-bit PPM: {string.Join(' ', fields)}");
        var pixels = int.Parse(fields[1]) * int.Parse(fields[2]);
        var saturated = 0;
        for (var i = 0; i < pixels; i++, at += 3)
        {
            int r = bytes[at], g = bytes[at + 1], b = bytes[at + 2];
            if (Math.Max(r, Math.Max(g, b)) - Math.Min(r, Math.Min(g, b)) > 60) saturated++;
        }
        return (double)saturated / pixels;
    }
}
