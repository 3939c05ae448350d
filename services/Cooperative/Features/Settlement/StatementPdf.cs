using System.Globalization;
using MelonChain.Cooperative.Features.Compliance;
using MelonChain.Messages;
using MelonChain.ServiceDefaults;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace MelonChain.Cooperative.Features.Settlement;

/// <summary>
/// A grower's settlement statement as PDF: receipts, the pool share per grade, each deduction, the advance netted and
/// what is paid, in the embedded CJK font. Pure: it draws the figures it is given and computes none of them, so the
/// paper always says what the ledger says. Every amount is drawn as one string so that text extraction finds it whole.
/// </summary>
public static class StatementPdf
{
    public sealed record Line(string Grade, decimal Kg, long PoolPricePerKgFen, long PayoutFen, long TopUpFen);
    public sealed record Deduction(string Name, string Basis, long AmountFen);   // Basis is one of per_kg_sold, per_box, revenue_bps, per_statement
    public sealed record CarriedOver(Guid OrderId, DateOnly DeliveredOn);
    public sealed record Document(
        string CooperativeName, DateOnly From, DateOnly To, string MemberNo, string GrowerName,
        int Receipts, decimal GrossKg, decimal GradedKg, IReadOnlyList<Line> Lines, IReadOnlyList<Deduction> Deductions,
        long PoolSharesFen, long DeductionsFen, long PayoutFen, long TopUpFen, long AdvanceNettedFen, long AdvanceCarriedFen,
        long ToPayFen, long BalanceFen, IReadOnlyList<CarriedOver> CarriedOverOrders, DateTimeOffset SettledAt,
        IReadOnlyList<Adjustment>? Adjustments = null);

    /// <summary>A credit (negative), compensation or freight billed for an order settled earlier, naming the order and the claim or waybill.</summary>
    public sealed record Adjustment(Guid OrderId, Guid ClaimId, string Kind, string Grade, long AmountFen, string? WaybillNo = null);

    private const double Margin = 18, Width = 210 - 2 * Margin, RowMm = 6.5;

    // Right edges (mm from the left margin) of the grade table's columns; the first column is left-aligned at 0.
    private static readonly double[] ColumnEnds = [58, 92, 130, Width];

    public static byte[] Render(Document d)
    {
        using var document = new PdfDocument();
        document.Info.Title = $"成员结算单 {d.MemberNo} {d.From:yyyy-MM-dd}–{d.To:yyyy-MM-dd}";
        var fonts = new Fonts();
        using (var p = new Pager(document, fonts.Small))
        {
            Header(p, fonts, d);
            GradeTable(p, fonts, d.Lines);
            Summary(p, fonts, d);
            Footer(p, fonts, d);
        }
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    /// <summary>Fen as yuan with two decimals and thousands commas, invariant so a server culture never changes it.</summary>
    private static string Yuan(long fen) => Money.Yuan(fen);

    private static string Kg(decimal kg) => Weight.Printed(kg);

    private static double Mm(double mm) => XUnit.FromMillimeter(mm).Point;

    private static string BasisName(string basis) => basis switch
    {
        "per_kg_sold" => "按销售公斤", "per_box" => "按箱", "revenue_bps" => "按销售额比例", "per_statement" => "每期固定", _ => basis,
    };

    private static void Header(Pager p, Fonts f, Document d)
    {
        p.Centered("成员结算单", f.Title, Mm(10));
        p.Centered(d.CooperativeName, f.Text, Mm(RowMm));
        p.Centered($"结算期 {d.From:yyyy-MM-dd} 至 {d.To:yyyy-MM-dd}", f.Text, Mm(RowMm));
        p.Rule(1);
        p.Y += Mm(2);
        p.Text($"成员编号 {d.MemberNo}", f.Bold, 0);
        p.Text($"姓名 {d.GrowerName}", f.Bold, 70);
        p.Y += Mm(RowMm);
        p.Text($"收货单 {d.Receipts.ToString(CultureInfo.InvariantCulture)} 张", f.Text, 0);
        p.Text($"收货 {Kg(d.GrossKg)} kg", f.Text, 70);
        p.Text($"挑选后 {Kg(d.GradedKg)} kg", f.Text, 120);
        p.Y += Mm(RowMm + 3);
    }

    private static void GradeTable(Pager p, Fonts f, IReadOnlyList<Line> lines)
    {
        string[] head = ["等级", "销售 kg", "池价 元/kg", "分配 元", "保底补差 元"];
        p.Row(head, f.Bold);
        p.Rule(0.6);
        foreach (var l in lines)
        {
            // A long statement may run past the page: repeat the header so every page's columns are named.
            if (p.Need(Mm(RowMm))) { p.Row(head, f.Bold); p.Rule(0.6); }
            p.Row([Grades.ChineseName(l.Grade), Kg(l.Kg), Yuan(l.PoolPricePerKgFen), Yuan(l.PayoutFen), Yuan(l.TopUpFen)], f.Text);
        }
        if (lines.Count == 0) p.Centered("本期无销售", f.Small, Mm(RowMm));
        p.Rule(0.6);
        p.Y += Mm(3);
    }

    private static void Summary(Pager p, Fonts f, Document d)
    {
        p.Amount("池分配合计", null, d.PoolSharesFen, f.Text);
        foreach (var x in d.Deductions)
            p.Amount($"扣款：{x.Name}", BasisName(x.Basis), -x.AmountFen, f.Text);
        var adjustments = d.Adjustments ?? [];
        foreach (var a in adjustments)
        {
            p.Need(Mm(RowMm * 2));
            p.Amount(a.Kind switch
                {
                    "credit" => $"调整：客诉理赔 {Grades.ChineseName(a.Grade)}",
                    "freight" => $"调整：运费按账单 {Grades.ChineseName(a.Grade)}",
                    _ => $"调整：承运商赔付 {Grades.ChineseName(a.Grade)}",
                },
                a.Kind == "freight" ? $"订单 {a.OrderId.ToString()[..8]} 运单 {a.WaybillNo}"
                    : $"订单 {a.OrderId.ToString()[..8]} 理赔 {a.ClaimId.ToString()[..8]}",
                a.AmountFen, f.Text);
        }
        p.Amount("应付", adjustments.Count == 0 ? "池分配合计 - 扣款" : "池分配合计 - 扣款 + 调整", d.PayoutFen, f.Bold);
        p.Amount("保底补差", null, d.TopUpFen, f.Text);
        p.Amount("预付款冲抵", null, -d.AdvanceNettedFen, f.Text);
        p.Need(Mm(RowMm + 2));
        p.Rule(0.8);
        p.Amount("本期实付", null, d.ToPayFen, f.Big);
        // Only an advance larger than this period's payout carries over; otherwise the line would be a confusing 0.00.
        if (d.AdvanceCarriedFen > 0) p.Amount("预付款结转", "下期继续冲抵", d.AdvanceCarriedFen, f.Text);
        p.Amount("成员账户余额", null, d.BalanceFen, f.Text);
        p.Y += Mm(3);
        if (d.CarriedOverOrders.Count == 0) return;
        p.Need(Mm(RowMm * 2));
        p.Text("本期补结的往期订单", f.Bold, 0);
        p.Y += Mm(RowMm);
        foreach (var o in d.CarriedOverOrders)
        {
            p.Need(Mm(RowMm));
            p.Text($"补结：订单 {o.OrderId} 交付于 {o.DeliveredOn:yyyy-MM-dd}", f.Small, 0);
            p.Y += Mm(5);
        }
    }

    private static void Footer(Pager p, Fonts f, Document d)
    {
        p.Need(Mm(14));
        p.Y = Math.Max(p.Y + Mm(4), Mm(297 - Margin - 10));
        p.Rule(0.4);
        p.Text($"结算时间 {ChinaTime.ToChina(d.SettledAt):yyyy-MM-dd HH:mm}（北京时间）", f.Small, 0);
        p.Text("金额单位：元", f.Small, Width - 30);
    }

    private sealed class Fonts
    {
        private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
        public readonly XFont Title = new(CjkFont.Family, 18, XFontStyleEx.Bold, Unicode);
        public readonly XFont Big = new(CjkFont.Family, 11.5, XFontStyleEx.Bold, Unicode);
        public readonly XFont Bold = new(CjkFont.Family, 10, XFontStyleEx.Bold, Unicode);
        public readonly XFont Text = new(CjkFont.Family, 10, XFontStyleEx.Regular, Unicode);
        public readonly XFont Small = new(CjkFont.Family, 8.5, XFontStyleEx.Regular, Unicode);
    }

    /// <summary>A top-down cursor over A4 pages that starts a new page when the next block would not fit.</summary>
    private sealed class Pager : IDisposable
    {
        private readonly PdfDocument _document;
        private readonly XFont _note;
        private XGraphics? _gfx;
        public double Y;

        public Pager(PdfDocument document, XFont note) { _document = document; _note = note; NewPage(); }

        private XGraphics Gfx => _gfx ?? throw new ObjectDisposedException(nameof(Pager));

        private void NewPage()
        {
            _gfx?.Dispose();
            var page = _document.AddPage();
            page.Size = PageSize.A4;
            _gfx = XGraphics.FromPdfPage(page);
            Y = Mm(Margin);
        }

        /// <summary>True when a page break was needed (the caller may repeat a header).</summary>
        public bool Need(double height)
        {
            if (Y + height <= Mm(297 - Margin)) return false;
            NewPage();
            return true;
        }

        public void Text(string s, XFont font, double atMm) =>
            Gfx.DrawString(s, font, XBrushes.Black, new XRect(Mm(Margin + atMm), Y, Mm(Width - atMm), Mm(RowMm)), XStringFormats.TopLeft);

        public void Centered(string s, XFont font, double height)
        {
            Gfx.DrawString(s, font, XBrushes.Black, new XRect(Mm(Margin), Y, Mm(Width), height), XStringFormats.TopCenter);
            Y += height;
        }

        public void Rule(double width)
        {
            Gfx.DrawLine(new XPen(XColors.Black, width), Mm(Margin), Y, Mm(Margin + Width), Y);
            Y += Mm(1.5);
        }

        /// <summary>The grade table's row: the first cell left-aligned, the figures right-aligned to their column ends.</summary>
        public void Row(string[] cells, XFont font)
        {
            Text(cells[0], font, 0);
            for (var i = 1; i < cells.Length; i++)
            {
                var end = Mm(Margin + ColumnEnds[i - 1]);
                Gfx.DrawString(cells[i], font, XBrushes.Black, new XRect(end - Mm(40), Y, Mm(40), Mm(RowMm)), XStringFormats.TopRight);
            }
            Y += Mm(RowMm);
        }

        public void Amount(string label, string? note, long fen, XFont font)
        {
            Need(Mm(RowMm));
            Text(label, font, 0);
            if (note is not null)
                Gfx.DrawString(note, _note, XBrushes.DimGray,
                    new XRect(Mm(Margin + 62), Y + Mm(0.6), Mm(60), Mm(RowMm)), XStringFormats.TopLeft);
            Gfx.DrawString(Yuan(fen), font, XBrushes.Black, new XRect(Mm(Margin + Width - 60), Y, Mm(60), Mm(RowMm)), XStringFormats.TopRight);
            Y += Mm(RowMm);
        }

        public void Dispose() => _gfx?.Dispose();
    }
}
