using MelonChain.CarrierSimulator.Simulator.CloudPrint;

namespace MelonChain.CarrierSimulator.Simulator.Sf;

/// <summary>
/// <c>COM_RECE_CLOUD_PRINT_WAYBILLS</c> (云打印面单 2.0): <c>templateCode</c> <c>fm_76130_standard_{partnerId}</c> (76×130 mm)
/// or <c>fm_150_standard_{partnerId}</c> (100×150 mm), <c>version</c> 2.0, <c>fileType</c> pdf, <c>sync</c> true, and 1 to
/// <see cref="MaxDocuments"/> <c>documents</c> <c>{masterWaybillNo, branchWaybillNo?, customData?}</c>; a
/// <c>customTemplateCode</c> prints <c>customData</c> in the custom area. Answers <c>obj.files</c>, one file per document:
/// <c>{url, token, waybillNo, seqNo, areaNo, pageNo}</c>, fetched from the url with header <c>X-Auth-token</c>. Anything
/// missing or invalid (more than 20 documents too) is A1001 naming it; an unknown waybill is 8018.
/// </summary>
public static class SfCloudPrint
{
    public const int MaxDocuments = 20;

    public static IResult Handle(SfCall call, SfPrintDesk desk)
    {
        var m = call.Msg;
        var template = m.Str("templateCode");
        var paper = template == $"fm_76130_standard_{desk.PartnerId}" ? LabelPaper.Small
            : template == $"fm_150_standard_{desk.PartnerId}" ? LabelPaper.Large : null;
        var documents = m.Arr("documents");
        var invalid = new List<string>();
        if (paper is null) invalid.Add($"templateCode (fm_76130_standard_{desk.PartnerId} or fm_150_standard_{desk.PartnerId})");
        if (m.Str("version") != "2.0") invalid.Add("version (2.0)");
        if ((m.Str("fileType") ?? "pdf") != "pdf") invalid.Add("fileType (pdf)");
        if (m.Bool("sync") == false) invalid.Add("sync (true: the simulator renders synchronously)");
        if (documents.Count == 0) invalid.Add("documents");
        if (documents.Count > MaxDocuments) invalid.Add($"documents: at most {MaxDocuments} per call, {documents.Count} sent (单次最多 {MaxDocuments} 单)");
        if (documents.Any(d => d.Str("masterWaybillNo") is null)) invalid.Add("documents[].masterWaybillNo");
        if (invalid.Count > 0) return SfEnvelope.Gateway(SfEnvelope.MissingParameters, "missing or invalid: " + string.Join(", ", invalid));

        var custom = m.Str("customTemplateCode") is not null;
        var files = new List<object>();
        foreach (var d in documents)
        {
            var master = d.Str("masterWaybillNo")!;
            var number = d.Str("branchWaybillNo") ?? master;
            if (call.Book.ByWaybill(number) is not { Carrier: Carriers.Sf } order || !order.Waybills.Contains(master) || order.Cancelled)
                return SfEnvelope.CloudPrint(null, SfEnvelope.OrderNotFound, $"运单不存在 {number}");
            var waybills = order.Waybills;
            var seq = waybills.ToList().IndexOf(number) + 1;
            var b = order.Booking;
            var label = new WaybillLabel(Carriers.Sf, number, waybills[0], seq, waybills.Count, WaybillLabels.ProductName(order.Product),
                b.SenderCity, b.ReceiverCity, custom ? d.Texts("customData") : []);
            var (id, token) = desk.Files.Add([label], paper!);
            files.Add(new { url = $"{desk.BaseUrl}cloud-print/files/{id}.pdf", token, waybillNo = number, seqNo = seq, areaNo = 1, pageNo = 1 });
        }
        return SfEnvelope.CloudPrint(new { clientCode = desk.PartnerId, templateCode = template, fileType = "pdf", files });
    }
}
