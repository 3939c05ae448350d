using PdfSharp.Drawing;
using PdfSharp.Pdf;
using ZXing.OneD;

namespace MelonChain.CarrierSimulator.Simulator.CloudPrint;

/// <summary>A label's paper: SF's 76×130 mm and 100×150 mm templates (JD's the same two sizes).</summary>
public sealed record LabelPaper(double WidthMm, double HeightMm)
{
    public static readonly LabelPaper Small = new(76, 130);
    public static readonly LabelPaper Large = new(100, 150);
}

/// <summary>
/// One parcel's waybill label: the number printed and barcoded, the parcel's place in its order (子单 n/N, the master's
/// number on a child), the product, sender and receiver cities, and the custom area (customData) as the customer sent it.
/// </summary>
public sealed record WaybillLabel(
    string Carrier, string Number, string MasterNumber, int Seq, int Of, string Product, string SenderCity, string ReceiverCity,
    IReadOnlyList<string> CustomArea);

/// <summary>
/// The carriers' cloud print, rendered as the simulator's stand-in of their templates: one page per label, the number as
/// text and as a Code 128 barcode (ZXing's encoder; the bars drawn as vector rectangles so they scan at any print size),
/// the cities and the custom area, in the embedded CJK font.
/// </summary>
public static class WaybillLabels
{
    private static readonly Dictionary<string, string> ProductNames = new()
    {
        ["express"] = "顺丰特快", ["standard"] = "顺丰标快", ["cold"] = "顺丰冷运", ["land"] = "顺丰陆运", ["heavy"] = "顺丰重货",
        ["jd_express"] = "京东特快", ["jd_cold"] = "京东冷链 10–12 °C",
    };

    /// <summary>The product's name as the label prints it.</summary>
    public static string ProductName(string product) => ProductNames.GetValueOrDefault(product, product);

    public static byte[] Render(IReadOnlyList<WaybillLabel> labels, LabelPaper paper)
    {
        using var document = new PdfDocument();
        document.Info.Title = $"电子面单 {labels.FirstOrDefault()?.MasterNumber}";
        foreach (var label in labels)
        {
            var page = document.AddPage();
            page.Width = XUnit.FromMillimeter(paper.WidthMm);
            page.Height = XUnit.FromMillimeter(paper.HeightMm);
            using var gfx = XGraphics.FromPdfPage(page);
            Draw(gfx, label, paper);
        }
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    private static double Mm(double mm) => XUnit.FromMillimeter(mm).Point;

    private static void Draw(XGraphics gfx, WaybillLabel label, LabelPaper paper)
    {
        var options = new XPdfFontOptions(PdfFontEncoding.Unicode);
        var brand = new XFont(CjkFont.Family, 13, XFontStyleEx.Bold, options);
        var number = new XFont(CjkFont.Family, 12, XFontStyleEx.Bold, options);
        var city = new XFont(CjkFont.Family, 16, XFontStyleEx.Bold, options);
        var text = new XFont(CjkFont.Family, 8, XFontStyleEx.Regular, options);
        var pen = new XPen(XColors.Black, 0.8);
        double margin = Mm(3), width = Mm(paper.WidthMm) - 2 * margin, y = margin;

        gfx.DrawRectangle(pen, margin, margin, width, Mm(paper.HeightMm) - 2 * margin);
        var brandName = label.Carrier == Carriers.Sf ? "顺丰速运 SF EXPRESS" : "京东物流 JD LOGISTICS";
        gfx.DrawString(brandName, brand, XBrushes.Black, new XRect(margin, y + Mm(1), width, Mm(7)), XStringFormats.TopCenter);
        y += Mm(8);
        gfx.DrawString($"{label.Product} · 寄付月结", text, XBrushes.Black, new XRect(margin, y, width, Mm(4)), XStringFormats.TopCenter);
        y += Mm(5);
        gfx.DrawLine(pen, margin, y, margin + width, y);

        // The barcode spans the label less a quiet zone of 4 mm either side.
        y += Mm(2);
        DrawCode128(gfx, label.Number, new XRect(margin + Mm(4), y, width - Mm(8), Mm(16)));
        y += Mm(17);
        gfx.DrawString(label.Number, number, XBrushes.Black, new XRect(margin, y, width, Mm(6)), XStringFormats.TopCenter);
        y += Mm(6);
        var place = label.Number == label.MasterNumber ? $"母单 第 {label.Seq}/{label.Of} 件" : $"子单 第 {label.Seq}/{label.Of} 件 · 母单号 {label.MasterNumber}";
        gfx.DrawString(place, text, XBrushes.Black, new XRect(margin, y, width, Mm(4)), XStringFormats.TopCenter);
        y += Mm(6);
        gfx.DrawLine(pen, margin, y, margin + width, y);

        y += Mm(2);
        gfx.DrawString("寄", text, XBrushes.Black, new XPoint(margin + Mm(2), y + Mm(5)));
        gfx.DrawString(label.SenderCity, city, XBrushes.Black, new XPoint(margin + Mm(7), y + Mm(6)));
        y += Mm(9);
        gfx.DrawString("收", text, XBrushes.Black, new XPoint(margin + Mm(2), y + Mm(5)));
        gfx.DrawString(label.ReceiverCity, city, XBrushes.Black, new XPoint(margin + Mm(7), y + Mm(6)));
        y += Mm(10);
        gfx.DrawLine(pen, margin, y, margin + width, y);

        // The custom area (自定义区): what the customer's custom template prints, line by line.
        y += Mm(2);
        gfx.DrawString("自定义区", text, XBrushes.Black, new XPoint(margin + Mm(2), y + text.Height));
        y += text.Height * 1.4;
        var big = new XFont(CjkFont.Family, 11, XFontStyleEx.Bold, options);
        foreach (var line in label.CustomArea)
        {
            var font = label.CustomArea.Count <= 4 ? big : text;
            gfx.DrawString(line, font, XBrushes.Black, new XPoint(margin + Mm(2), y + font.Height));
            y += font.Height * 1.3;
        }
    }

    /// <summary>Code 128 (ZXing chooses code sets B and C, start, check and stop), a bar per run of dark modules.</summary>
    private static void DrawCode128(XGraphics gfx, string value, XRect box)
    {
        var modules = new Code128Writer().encode(value);
        var module = box.Width / modules.Length;
        for (var i = 0; i < modules.Length;)
        {
            if (!modules[i]) { i++; continue; }
            var start = i;
            while (i < modules.Length && modules[i]) i++;
            gfx.DrawRectangle(XBrushes.Black, box.X + start * module, box.Y, (i - start) * module, box.Height);
        }
    }
}
