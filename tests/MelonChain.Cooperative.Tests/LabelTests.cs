using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using UglyToad.PdfPig;

namespace MelonChain.Cooperative.Tests;

/// <summary>
/// Box labels: one 100×150 mm page per box in Chinese with an embedded CJK font, the words 承诺达标合格证, the batch
/// certificate's number and fields, and a QR that decodes to the box's public trace URL.
/// </summary>
public class LabelTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private static DateOnly Today => CooperativeFixture.Today;

    private async Task<(ClerkSession Clerk, Guid Order, JsonElement Packed)> PackedOrderAsync()
    {
        var c = await f.NewCooperativeAsync();
        await c.Harvest((await c.Grower()).Id, Today.AddDays(-1), ("grade1", 12m));
        var order = await c.Order(await c.Buyer(), ("grade1", 12m, 1800));
        return (c, order, await c.Post($"/api/v1/cooperative/orders/{order}/pack", new { }));
    }

    [Fact]
    public async Task Each_box_gets_a_label_page_in_chinese_with_the_certificate_words_and_number()
    {
        var (c, order, packed) = await PackedOrderAsync();

        var response = await c.Http.GetAsync($"/api/v1/cooperative/orders/{order}/labels.pdf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var codes = packed.GetProperty("boxes").EnumerateArray().Select(b => b.GetProperty("traceCode").GetString()!).ToList();
        Assert.Equal(codes.Count, pdf.NumberOfPages);   // 5 + 5 + 2 kg
        Assert.Equal(3, pdf.NumberOfPages);
        var first = pdf.GetPage(1);
        Assert.InRange(first.Width, 283.0, 284.0);   // 100 mm = 283.46 pt
        Assert.InRange(first.Height, 424.7, 425.7);  // 150 mm = 425.20 pt
        var text = first.Text;
        Assert.Contains("承诺达标合格证", text);
        Assert.Contains(packed.GetProperty("certificateNo").GetString()!, text);
        Assert.Contains(codes[0], text);
        Assert.Contains("一级", text);
        Assert.Contains("内部质量控制", text);
        Assert.Contains(Today.AddDays(-1).ToString("yyyy-MM-dd"), text);
        Assert.Contains(codes[2], pdf.GetPage(3).Text);
        Assert.Contains("2 kg", pdf.GetPage(3).Text);
        // The font travels with the document as a subset (the "ABCDEF+" tag): a printer without Chinese fonts prints the same label.
        Assert.All(first.Letters.Where(l => l.Value == "承"), l => Assert.Matches("^[A-Z]{6}\\+", l.FontName));
    }

    [Fact]
    public async Task The_label_qr_decodes_to_the_box_public_trace_url()
    {
        var (c, order, packed) = await PackedOrderAsync();
        var pdf = await c.Http.GetByteArrayAsync($"/api/v1/cooperative/orders/{order}/labels.pdf");

        var (_, pgm) = await LabelImage.RenderFirstPageAsync(pdf);

        var code = packed.GetProperty("boxes")[0].GetProperty("traceCode").GetString();
        Assert.Equal($"http://127.0.0.1:8080/trace/{code}", LabelImage.DecodeQr(pgm));
    }

    [Fact]
    public async Task Labels_of_an_order_never_packed_are_404_and_an_unknown_sheet_is_422()
    {
        var c = await f.NewCooperativeAsync();
        var order = await c.Order(await c.Buyer(), ("grade1", 10m, 800));
        Assert.Equal(HttpStatusCode.NotFound, (await c.Http.GetAsync($"/api/v1/cooperative/orders/{order}/labels.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await c.Http.GetAsync($"/api/v1/cooperative/orders/{order}/labels.pdf?sheet=a3")).StatusCode);
    }
}
