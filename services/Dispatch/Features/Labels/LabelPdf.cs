using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace MelonChain.Dispatch.Features.Labels;

/// <summary>Joins PDFs page by page (the carriers' label files into one per carrier order, those into one per shipment).</summary>
public static class LabelPdf
{
    public static (byte[] Pdf, int Pages) Merge(IEnumerable<byte[]> files, string title)
    {
        using var merged = new PdfDocument();
        merged.Info.Title = title;
        foreach (var file in files)
        {
            using var source = PdfReader.Open(new MemoryStream(file), PdfDocumentOpenMode.Import);
            foreach (var page in source.Pages) merged.AddPage(page);
        }
        var pages = merged.PageCount;
        using var stream = new MemoryStream();
        merged.Save(stream, false);
        return (stream.ToArray(), pages);
    }
}
