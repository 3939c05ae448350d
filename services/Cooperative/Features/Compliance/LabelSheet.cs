using MelonChain.Messages;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;

namespace MelonChain.Cooperative.Features.Compliance;

/// <summary>
/// Box labels as PDF: one 100×150 mm label per box (or four to an A4 sheet), each with the trace QR (the public trace
/// URL, drawn as vector squares so it scans at any print size), the trace code in large type, grade, net kg, harvest
/// dates, the cooperative, the batch certificate's fields and the words 承诺达标合格证, in the embedded CJK font.
/// </summary>
public static class LabelSheet
{
    public sealed record Label(
        string TraceUrl, string TraceCode, int Seq, int Of, string Grade, decimal NetKg, IReadOnlyList<DateOnly> HarvestedOn,
        string Cooperative, Certificates.Certificate Certificate);

    public const double WidthMm = 100, HeightMm = 150;

    /// <summary>The commitment the certificate's signer makes, as the national template words it.</summary>
    public const string Commitment = "我承诺对产品质量安全以及合格证真实性负责：不使用禁用农药兽药、停用兽药和非法添加物，常规农药兽药残留不超标。";

    public static byte[] Render(IReadOnlyList<Label> labels, bool a4)
    {
        using var document = new PdfDocument();
        document.Info.Title = $"箱贴 box labels {labels.FirstOrDefault()?.Certificate.CertificateNo}";
        for (var i = 0; i < labels.Count; i += a4 ? 4 : 1)
        {
            var page = document.AddPage();
            if (a4) page.Size = PageSize.A4;
            else { page.Width = XUnit.FromMillimeter(WidthMm); page.Height = XUnit.FromMillimeter(HeightMm); }
            using var gfx = XGraphics.FromPdfPage(page);
            for (var k = 0; k < (a4 ? 4 : 1) && i + k < labels.Count; k++)
            {
                // A4 (210×297 mm) holds two by two labels with 5 mm margins.
                var origin = a4 ? new XPoint(Mm(5 + (k % 2) * WidthMm), Mm(-1.5 + (k / 2) * HeightMm)) : new XPoint(0, 0);
                Draw(gfx, labels[i + k], origin);
            }
        }
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    private static double Mm(double mm) => XUnit.FromMillimeter(mm).Point;

    private static void Draw(XGraphics gfx, Label label, XPoint at)
    {
        var options = new XPdfFontOptions(PdfFontEncoding.Unicode);
        var title = new XFont(CjkFont.Family, 15, XFontStyleEx.Bold, options);
        var code = new XFont(CjkFont.Family, 20, XFontStyleEx.Bold, options);
        var text = new XFont(CjkFont.Family, 8.5, XFontStyleEx.Regular, options);
        var small = new XFont(CjkFont.Family, 7, XFontStyleEx.Regular, options);
        double x = at.X + Mm(5), width = Mm(WidthMm - 10), y = at.Y + Mm(5);

        gfx.DrawRectangle(new XPen(XColors.Black, 0.8), at.X + Mm(2), at.Y + Mm(2), Mm(WidthMm - 4), Mm(HeightMm - 4));
        gfx.DrawString("承诺达标合格证", title, XBrushes.Black, new XRect(x, y, width, Mm(7)), XStringFormats.TopCenter);
        y += Mm(9);

        var qrSize = Mm(42);
        DrawQr(gfx, label.TraceUrl, new XRect(at.X + (Mm(WidthMm) - qrSize) / 2, y, qrSize, qrSize));
        y += qrSize + Mm(1);
        gfx.DrawString(label.TraceCode, code, XBrushes.Black, new XRect(x, y, width, Mm(9)), XStringFormats.TopCenter);
        y += Mm(9);
        gfx.DrawString("扫码溯源 scan to trace · 一箱一码", small, XBrushes.Black, new XRect(x, y, width, Mm(4)), XStringFormats.TopCenter);
        y += Mm(6);

        var c = label.Certificate;
        var lines = new (string Name, string Value)[]
        {
            ("品名", c.ProductName),
            ("等级 · 净重", $"{Grades.ChineseName(label.Grade)} {label.Grade} · {label.NetKg:0.###} kg"),
            ("采收日期", string.Join("、", label.HarvestedOn.Select(d => d.ToString("yyyy-MM-dd")))),
            ("合作社", label.Cooperative),
            ("生产者/收购者", c.Producer),
            ("产地", c.Origin),
            ("联系方式", c.Contact == c.Phone ? c.Contact : $"{c.Contact} {c.Phone}"),
            ("承诺依据", c.CommitmentBasis),
            ("开具日期", c.IssuedOn.ToString("yyyy-MM-dd")),
            ("合格证编号", c.CertificateNo),
            ("本批", $"{c.Boxes} 箱 {c.NetKg:0.###} kg · 第 {label.Seq}/{label.Of} 箱"),
        };
        foreach (var (name, value) in lines)
        {
            gfx.DrawString(name, text, XBrushes.Black, new XPoint(x, y + text.Height));
            foreach (var part in Wrap(gfx, value, text, width - Mm(24)))
            {
                gfx.DrawString(part, text, XBrushes.Black, new XPoint(x + Mm(24), y + text.Height));
                y += text.Height * 1.25;
            }
        }
        var footer = at.Y + Mm(HeightMm - 13);
        foreach (var part in Wrap(gfx, Commitment, small, width))
        {
            gfx.DrawString(part, small, XBrushes.Black, new XPoint(x, footer + small.Height));
            footer += small.Height * 1.2;
        }
    }

    /// <summary>Breaks Chinese text (no spaces to break at) by measured width, one character at a time.</summary>
    private static IEnumerable<string> Wrap(XGraphics gfx, string value, XFont font, double width)
    {
        var line = "";
        foreach (var ch in value)
        {
            if (line.Length > 0 && gfx.MeasureString(line + ch, font).Width > width) { yield return line; line = ""; }
            line += ch;
        }
        yield return line;
    }

    private static void DrawQr(XGraphics gfx, string url, XRect box)
    {
        using var data = QRCodeGenerator.GenerateQrCode(url, QRCodeGenerator.ECCLevel.M);
        var modules = data.ModuleMatrix;
        var cell = box.Width / modules.Count;
        for (var row = 0; row < modules.Count; row++)
        for (var col = 0; col < modules.Count; col++)
            if (modules[row][col])
                gfx.DrawRectangle(XBrushes.Black, box.X + col * cell, box.Y + row * cell, cell + 0.05, cell + 0.05);
    }
}
