using System.Globalization;
using MelonChain.Cooperative.Features.Compliance;
using MelonChain.Messages;
using MelonChain.ServiceDefaults;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using ScottPlot;

namespace MelonChain.Cooperative.Features.Settlement;

/// <summary>
/// The season report as PDF: daily intake per grade, the pool price per grade and each grower's payout, each as a
/// ScottPlot chart (PNG) above the table of its figures. Chart texts are ASCII only (grade codes, MM-dd, member numbers)
/// because Skia may have no CJK font; the Chinese goes in through PDFsharp and the embedded CJK font.
/// </summary>
public static class SeasonReportPdf
{
    public sealed record DayIntake(DateOnly Day, string Grade, decimal Kg);
    public sealed record PoolPrice(string Grade, decimal SoldKg, long NetFen, long PricePerKgFen);
    public sealed record GrowerPayout(string MemberNo, string Name, decimal SoldKg, long PayoutFen, long TopUpFen);
    public sealed record Report(string CooperativeName, DateOnly From, DateOnly To, IReadOnlyList<DayIntake> Intake,
        IReadOnlyList<PoolPrice> PoolPrices, IReadOnlyList<GrowerPayout> Payouts);

    private const double Margin = 18, Width = 210 - 2 * Margin, Bottom = 297 - Margin, RowMm = 5.5;
    private const int ChartPx = 900, MaxChartGrowers = 30;

    // The one font every deployment has (the image installs fonts-wqy-zenhei for the PDFs); naming it keeps charts
    // identical on machines with and without DejaVu. ScottPlot ignores a name it cannot find, and Font.Set also makes
    // it ScottPlot's process-wide default (harmless: this is the only chart code and it always names the same font).
    private const string ChartFont = "WenQuanYi Zen Hei";

    private static readonly Dictionary<string, Color> GradeColors = new()
    {
        [Grades.Premium] = new Color(27, 120, 55), [Grades.Grade1] = new Color(90, 174, 97),
        [Grades.Grade2] = new Color(217, 180, 60), [Grades.Offgrade] = new Color(150, 150, 150),
    };

    public static byte[] Render(Report r)
    {
        using var document = new PdfDocument();
        document.Info.Title = $"合作社季度报告 season report {r.From:yyyy-MM-dd}–{r.To:yyyy-MM-dd}";
        var f = new Fonts();
        using (var p = new Pager(document))
        {
            p.Centered("合作社季度报告 season report", f.Title, Mm(10));
            p.Centered($"{r.CooperativeName} · {r.From:yyyy-MM-dd} 至 {r.To:yyyy-MM-dd}", f.Text, Mm(8));
            Intake(p, f, r.Intake);
            Prices(p, f, r.PoolPrices);
            Payouts(p, f, r.Payouts);
        }
        // Page numbers last, when the count is known.
        for (var i = 0; i < document.PageCount; i++)
        {
            using var gfx = XGraphics.FromPdfPage(document.Pages[i], XGraphicsPdfPageOptions.Append);
            gfx.DrawString($"第 {i + 1}/{document.PageCount} 页", f.Small, XBrushes.DimGray,
                new XRect(Mm(Margin), Mm(Bottom + 4), Mm(Width), Mm(5)), XStringFormats.TopCenter);
        }
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    private static void Intake(Pager p, Fonts f, IReadOnlyList<DayIntake> intake)
    {
        var days = intake.Select(i => i.Day).Distinct().Order().ToList();
        // The known grades in their fixed order, then any other code the data carries.
        var grades = Grades.All.Where(g => intake.Any(i => i.Grade == g)).Concat(intake.Select(i => i.Grade).Distinct().Except(Grades.All)).ToList();
        var kg = intake.GroupBy(i => (i.Day, i.Grade)).ToDictionary(g => g.Key, g => g.Sum(i => i.Kg));

        using var plot = NewPlot("Daily intake by grade", "kg");
        if (days.Count > 0)
        {
            var bars = new List<Bar>();
            foreach (var day in days)
            {
                double top = 0;
                foreach (var g in grades)
                {
                    var v = (double)kg.GetValueOrDefault((day, g));
                    if (v <= 0) continue;
                    // Position by calendar day so days without intake show as gaps.
                    bars.Add(new Bar { Position = day.DayNumber - days[0].DayNumber, ValueBase = top, Value = top + v, FillColor = ColorOf(g, grades) });
                    top += v;
                }
            }
            plot.Add.Bars(bars);
            foreach (var g in grades) plot.Legend.ManualItems.Add(new LegendItem { LabelText = g, FillColor = ColorOf(g, grades) });
            plot.Legend.IsVisible = true;
            plot.Legend.Alignment = Alignment.UpperLeft;
            var step = (days.Count + 13) / 14;   // at most ~14 date labels fit under 900 px
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(days.Where((_, i) => i % step == 0)
                .Select(d => new Tick(d.DayNumber - days[0].DayNumber, d.ToString("MM-dd", CultureInfo.InvariantCulture))).ToArray());
            plot.Axes.Margins(bottom: 0);
        }
        p.Section("一、每日收货（按等级，kg）", f, plot, 420, days.Count + 2);

        string[] head = ["日期", .. grades.Select(Grades.ChineseName), "合计"];
        var rows = days.Select(d => (string[])[d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            .. grades.Select(g => Kg(kg.GetValueOrDefault((d, g)))), Kg(grades.Sum(g => kg.GetValueOrDefault((d, g))))]);
        string[] total = ["合计", .. grades.Select(g => Kg(intake.Where(i => i.Grade == g).Sum(i => i.Kg))), Kg(intake.Sum(i => i.Kg))];
        p.Table(f, head, Enumerable.Repeat(Width / head.Length, head.Length).ToArray(), rows, total);
    }

    private static void Prices(Pager p, Fonts f, IReadOnlyList<PoolPrice> prices)
    {
        using var plot = NewPlot("Pool price per grade", "yuan/kg");
        if (prices.Count > 0)
        {
            var grades = prices.Select(x => x.Grade).ToList();
            plot.Add.Bars(prices.Select((x, i) => new Bar
            {
                Position = i, Value = x.PricePerKgFen / 100.0, Label = Yuan(x.PricePerKgFen), FillColor = ColorOf(x.Grade, grades),
            }).ToList());
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(grades.Select((g, i) => new Tick(i, g)).ToArray());
            plot.Axes.Margins(bottom: 0, top: 0.15);   // room above the bars for their value labels
        }
        p.Section("二、池价（元/kg）", f, plot, 340, prices.Count + 2);
        var rows = prices.Select(x => (string[])[Grades.ChineseName(x.Grade), Kg(x.SoldKg), Yuan(x.NetFen), Yuan(x.PricePerKgFen)]);
        string[] total = ["合计", Kg(prices.Sum(x => x.SoldKg)), Yuan(prices.Sum(x => x.NetFen)), ""];
        p.Table(f, ["等级", "销售 kg", "净额 元", "池价 元/kg"], [44, 44, 44, 42], rows, total);
    }

    private static void Payouts(Pager p, Fonts f, IReadOnlyList<GrowerPayout> payouts)
    {
        var sorted = payouts.OrderByDescending(x => x.PayoutFen + x.TopUpFen).ThenBy(x => x.MemberNo, StringComparer.Ordinal).ToList();
        var top = sorted.Take(MaxChartGrowers).ToList();
        using var plot = NewPlot(sorted.Count > MaxChartGrowers ? $"Payout per grower (top {MaxChartGrowers} of {sorted.Count})" : "Payout per grower", null);
        plot.XLabel("yuan");
        if (top.Count > 0)
        {
            // Largest at the top: position 0 is the bottom of a horizontal bar chart.
            var bars = top.SelectMany((x, i) => new[]
            {
                new Bar { Position = top.Count - 1 - i, Value = x.PayoutFen / 100.0, FillColor = new Color(90, 174, 97) },
                new Bar { Position = top.Count - 1 - i, ValueBase = x.PayoutFen / 100.0, Value = (x.PayoutFen + x.TopUpFen) / 100.0, FillColor = new Color(217, 130, 50) },
            }).ToList();
            plot.Add.Bars(bars).Horizontal = true;
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "payout", FillColor = new Color(90, 174, 97) });
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "top-up", FillColor = new Color(217, 130, 50) });
            plot.Legend.IsVisible = true;
            plot.Legend.Alignment = Alignment.LowerRight;
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(top.Select((x, i) => new Tick(top.Count - 1 - i, x.MemberNo)).ToArray());
            plot.Axes.Margins(left: 0);
        }
        p.Section("三、成员分配（分配 + 保底补差，元）", f, plot, 140 + 20 * Math.Max(top.Count, 8), sorted.Count + 2);
        var rows = sorted.Select(x => (string[])[x.MemberNo, x.Name, Kg(x.SoldKg), Yuan(x.PayoutFen), Yuan(x.TopUpFen)]);
        string[] total = ["合计", $"{sorted.Count} 人", Kg(sorted.Sum(x => x.SoldKg)), Yuan(sorted.Sum(x => x.PayoutFen)), Yuan(sorted.Sum(x => x.TopUpFen))];
        p.Table(f, ["成员编号", "姓名", "销售 kg", "分配 元", "保底补差 元"], [28, 40, 34, 36, 36], rows, total, textColumns: 2);
    }

    private static Plot NewPlot(string title, string? yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(ChartFont);
        plot.Title(title);
        if (yLabel is not null) plot.YLabel(yLabel);
        return plot;
    }

    private static Color ColorOf(string grade, List<string> grades) =>
        GradeColors.TryGetValue(grade, out var c) ? c : new ScottPlot.Palettes.Category10().GetColor(grades.IndexOf(grade));

    private static string Yuan(long fen) => Money.Yuan(fen);

    private static string Kg(decimal kg) => Weight.Printed(kg);

    private static double Mm(double mm) => XUnit.FromMillimeter(mm).Point;

    private sealed class Fonts
    {
        private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
        public readonly XFont Title = new(CjkFont.Family, 17, XFontStyleEx.Bold, Unicode);
        public readonly XFont Heading = new(CjkFont.Family, 12, XFontStyleEx.Bold, Unicode);
        public readonly XFont Bold = new(CjkFont.Family, 9, XFontStyleEx.Bold, Unicode);
        public readonly XFont Text = new(CjkFont.Family, 9, XFontStyleEx.Regular, Unicode);
        public readonly XFont Small = new(CjkFont.Family, 8, XFontStyleEx.Regular, Unicode);
    }

    /// <summary>A top-down cursor over A4 pages that starts a new page when the next block would not fit.</summary>
    private sealed class Pager(PdfDocument document) : IDisposable
    {
        private XGraphics? _gfx;
        private double _y;

        private XGraphics Gfx => _gfx ??= NewPage();

        private XGraphics NewPage()
        {
            _gfx?.Dispose();
            var page = document.AddPage();
            page.Size = PageSize.A4;
            _y = Mm(Margin);
            return _gfx = XGraphics.FromPdfPage(page);
        }

        private void Need(double height) { if (_gfx is null || _y + height > Mm(Bottom)) NewPage(); }

        public void Centered(string s, XFont font, double height)
        {
            Need(height);
            Gfx.DrawString(s, font, XBrushes.Black, new XRect(Mm(Margin), _y, Mm(Width), height), XStringFormats.TopCenter);
            _y += height;
        }

        /// <summary>A heading and its chart kept together on one page, the chart scaled to the text width.</summary>
        public void Section(string heading, Fonts f, Plot plot, int heightPx, int tableRows)
        {
            // An empty section still gets its chart, so the report's layout does not depend on the data.
            if (!plot.GetPlottables().Any())
            {
                // Grey on white: an empty chart carries no colour, so only plotted data is coloured.
                var note = plot.Add.Annotation("no data", Alignment.MiddleCenter);
                note.LabelBackgroundColor = Colors.White;
                note.LabelBorderColor = Colors.Gray;
                note.LabelShadowColor = Colors.Transparent;
                note.LabelFontColor = Colors.DimGray;
            }
            var png = plot.GetImageBytes(ChartPx, heightPx, ImageFormat.Png);
            var height = Mm(Width * heightPx / ChartPx);
            Need(Mm(14) + height + Mm(Math.Min(tableRows, 6) * RowMm + 2));   // a short table stays with its chart, a long one starts under it
            _y += Mm(4);
            Gfx.DrawString(heading, f.Heading, XBrushes.Black, new XRect(Mm(Margin), _y, Mm(Width), Mm(7)), XStringFormats.TopLeft);
            _y += Mm(8);
            using (var image = XImage.FromStream(new MemoryStream(png)))
                Gfx.DrawImage(image, Mm(Margin), _y, Mm(Width), height);
            _y += height + Mm(2);
        }

        /// <summary>Rows paginate, the header repeating on every page; text columns left-aligned, figures right.</summary>
        public void Table(Fonts f, string[] head, double[] widthsMm, IEnumerable<string[]> rows, string[] total, int textColumns = 1)
        {
            void Row(string[] cells, XFont font)
            {
                var x = Mm(Margin);
                for (var i = 0; i < cells.Length; i++)
                {
                    var box = new XRect(x + Mm(1), _y, Mm(widthsMm[i] - 2), Mm(RowMm));
                    Gfx.DrawString(cells[i], font, XBrushes.Black, box, i < textColumns ? XStringFormats.TopLeft : XStringFormats.TopRight);
                    x += Mm(widthsMm[i]);
                }
                _y += Mm(RowMm);
            }
            void Rule() => Gfx.DrawLine(new XPen(XColors.Gray, 0.5), Mm(Margin), _y - Mm(1), Mm(Margin + Width), _y - Mm(1));

            Need(Mm(3 * RowMm));
            Row(head, f.Bold);
            Rule();
            foreach (var row in rows)
            {
                if (_y + Mm(RowMm) > Mm(Bottom)) { NewPage(); Row(head, f.Bold); Rule(); }
                Row(row, f.Text);
            }
            Need(Mm(RowMm + 1));
            _y += Mm(1);
            Rule();
            Row(total, f.Bold);
        }

        public void Dispose() => _gfx?.Dispose();
    }
}
