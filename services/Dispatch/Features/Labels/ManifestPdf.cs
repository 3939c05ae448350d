using MelonChain.Messages;
using MelonChain.ServiceDefaults;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace MelonChain.Dispatch.Features.Labels;

/// <summary>
/// The pickup manifest (揽收交接单) as PDF, A4: who handed over what to whom and when — the cooperative, the carrier and
/// courier, the collection time, the counts and kilograms per carrier order, every box with its trace code and
/// waybill, and places for the courier's and the clerk's signatures. Pure: it draws what it is given, each value as
/// one string so text extraction finds it whole.
/// </summary>
public static class ManifestPdf
{
    public sealed record Box(int Seq, string TraceCode, string Grade, long NetGrams, string WaybillNo, int Part);

    public sealed record CarrierOrder(int Part, string CarrierOrderId, string MasterWaybillNo, int Boxes, long NetGrams);

    public sealed record Document(
        string Cooperative, string SenderAddress, string Carrier, string Product, string CourierId, DateTimeOffset CollectedAt,
        string DestinationCity, string Consignee, Guid PickupId, Guid OrderId, IReadOnlyList<CarrierOrder> CarrierOrders, IReadOnlyList<Box> Boxes);

    private const double Margin = 15, RowMm = 5.2;

    // Left edges (mm from the margin) of the box table's columns: 序号, 溯源码, 运单号, 件, 等级, 净重.
    private static readonly double[] Columns = [0, 14, 58, 112, 126, 146];

    public static byte[] Render(Document d)
    {
        using var document = new PdfDocument();
        document.Info.Title = $"揽收交接单 {d.PickupId}";
        var options = new XPdfFontOptions(PdfFontEncoding.Unicode);
        var title = new XFont(CjkFont.Family, 16, XFontStyleEx.Bold, options);
        var bold = new XFont(CjkFont.Family, 9, XFontStyleEx.Bold, options);
        var text = new XFont(CjkFont.Family, 9, XFontStyleEx.Regular, options);
        var page = NewPage(document);
        var gfx = XGraphics.FromPdfPage(page);
        var y = Margin;
        try
        {
            gfx.DrawString("揽收交接单 Pickup manifest", title, XBrushes.Black, new XPoint(Mm(Margin), Mm(y + 6)));
            y += 12;
            foreach (var line in new[]
            {
                $"合作社：{d.Cooperative}　{d.SenderAddress}",
                $"承运商：{CarrierName(d.Carrier)}　产品：{d.Product}　快递员：{d.CourierId}",
                $"揽收时间：{ChinaTime.ToChina(d.CollectedAt):yyyy-MM-dd HH:mm}（北京时间）　目的地：{d.DestinationCity}　收件人：{d.Consignee}",
                $"揽收单：{d.PickupId}　订单：{d.OrderId}",
                $"合计：{d.Boxes.Count} 箱　{Weight.Printed(Weight.ToKg(d.Boxes.Sum(b => b.NetGrams)))} kg　{d.CarrierOrders.Count} 个承运商订单",
            })
            {
                gfx.DrawString(line, text, XBrushes.Black, new XPoint(Mm(Margin), Mm(y + 4)));
                y += RowMm;
            }
            y += 2;
            gfx.DrawString("承运商订单", bold, XBrushes.Black, new XPoint(Mm(Margin), Mm(y + 4)));
            y += RowMm;
            foreach (var o in d.CarrierOrders)
            {
                gfx.DrawString($"第 {o.Part} 单　{o.CarrierOrderId}　母单号 {o.MasterWaybillNo}　{o.Boxes} 箱　{Weight.Printed(Weight.ToKg(o.NetGrams))} kg",
                    text, XBrushes.Black, new XPoint(Mm(Margin), Mm(y + 4)));
                y += RowMm;
            }
            y += 3;
            Header(gfx, bold, ref y);
            foreach (var b in d.Boxes)
            {
                if (y > 297 - Margin - 10)
                {
                    gfx.Dispose();
                    page = NewPage(document);
                    gfx = XGraphics.FromPdfPage(page);
                    y = Margin;
                    Header(gfx, bold, ref y);
                }
                string[] cells = [b.Seq.ToString(), b.TraceCode, b.WaybillNo, b.Part.ToString(), Grades.ChineseName(b.Grade), $"{Weight.Printed(Weight.ToKg(b.NetGrams))} kg"];
                for (var i = 0; i < cells.Length; i++)
                    gfx.DrawString(cells[i], text, XBrushes.Black, new XPoint(Mm(Margin + Columns[i]), Mm(y + 4)));
                y += RowMm;
            }
            if (y > 297 - Margin - 40)
            {
                gfx.Dispose();
                page = NewPage(document);
                gfx = XGraphics.FromPdfPage(page);
                y = Margin;
            }
            y += 8;
            gfx.DrawString($"以上 {d.Boxes.Count} 箱已当面点交，箱数、溯源码与运单号相符。", text, XBrushes.Black, new XPoint(Mm(Margin), Mm(y + 4)));
            y += 14;
            var pen = new XPen(XColors.Black, 0.6);
            gfx.DrawString("快递员签字：", text, XBrushes.Black, new XPoint(Mm(Margin), Mm(y + 4)));
            gfx.DrawLine(pen, Mm(Margin + 22), Mm(y + 5), Mm(Margin + 80), Mm(y + 5));
            gfx.DrawString("合作社经办人签字：", text, XBrushes.Black, new XPoint(Mm(Margin + 95), Mm(y + 4)));
            gfx.DrawLine(pen, Mm(Margin + 127), Mm(y + 5), Mm(210 - Margin), Mm(y + 5));
            y += 12;
            gfx.DrawString("日期：", text, XBrushes.Black, new XPoint(Mm(Margin), Mm(y + 4)));
            gfx.DrawLine(pen, Mm(Margin + 12), Mm(y + 5), Mm(Margin + 80), Mm(y + 5));
            gfx.DrawString("日期：", text, XBrushes.Black, new XPoint(Mm(Margin + 95), Mm(y + 4)));
            gfx.DrawLine(pen, Mm(Margin + 107), Mm(y + 5), Mm(210 - Margin), Mm(y + 5));
        }
        finally { gfx.Dispose(); }
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    public static string CarrierName(string carrier) => carrier switch
    {
        Carriers.Sf => "顺丰速运",
        Carriers.Jd => "京东物流",
        _ => carrier,
    };

    private static void Header(XGraphics gfx, XFont bold, ref double y)
    {
        string[] names = ["序号", "溯源码", "运单号", "承运商订单", "等级", "净重"];
        for (var i = 0; i < names.Length; i++)
            gfx.DrawString(names[i], bold, XBrushes.Black, new XPoint(Mm(Margin + Columns[i]), Mm(y + 4)));
        y += RowMm;
        gfx.DrawLine(new XPen(XColors.Black, 0.4), Mm(Margin), Mm(y), Mm(210 - Margin), Mm(y));
    }

    private static PdfPage NewPage(PdfDocument document)
    {
        var page = document.AddPage();
        page.Size = PageSize.A4;
        return page;
    }

    private static double Mm(double mm) => XUnit.FromMillimeter(mm).Point;
}
