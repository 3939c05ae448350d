using MelonChain.CarrierSimulator.Simulator.CloudPrint;

namespace MelonChain.CarrierSimulator.Simulator.Jd;

/// <summary>
/// <c>jingdong.cloud.print.render</c> (云打印, the JD wire contract's stand-in for JD's <c>/cloud/print/render</c>): renders
/// an order's labels from JD's own template, <c>templateCode</c> <c>jd_76130</c> or <c>jd_100150</c>, one page per
/// package in the order asked: <c>{customerCode, deliveryId, templateCode, fileType: "pdf", packages: [{packageCode,
/// customData?}]}</c> (1 to 300). resultInfo <c>{resultCode: 100, fileType, pages, pdf}</c>, the PDF in Base64;
/// resultCode 101 for an unknown deliveryId or a package code not of it; missing fields are error 21.
/// </summary>
public static class JdCloudPrint
{
    public static IResult Handle(JdCall call)
    {
        var p = call.Param;
        var paper = p.Str("templateCode") switch { "jd_76130" => LabelPaper.Small, "jd_100150" => LabelPaper.Large, _ => null };
        var packages = p.Arr("packages");
        var missing = new[]
        {
            ("customerCode", p.Str("customerCode") is null), ("deliveryId", p.Str("deliveryId") is null), ("templateCode", paper is null),
            ("fileType", (p.Str("fileType") ?? "pdf") != "pdf"), ("packages", packages.Count is 0 or > 300),
            ("packages[].packageCode", packages.Any(k => k.Str("packageCode") is null)),
        }.FirstOrDefault(f => f.Item2).Item1;
        if (missing is not null) return JdEnvelope.Missing(missing);

        var deliveryId = p.Str("deliveryId")!;
        if (call.Book.ByWaybill(deliveryId) is not { Carrier: Carriers.Jd, Cancelled: false } order)
            return JdEnvelope.Answer(call.Method, new { resultCode = 101, resultMessage = "运单不存在" });
        var codes = Enumerable.Range(1, order.Parcels).Select(i => $"{deliveryId}-{i}-{order.Parcels}-").ToList();
        var labels = new List<WaybillLabel>();
        foreach (var package in packages)
        {
            var code = package.Str("packageCode")!;
            var seq = codes.IndexOf(code) + 1;
            if (seq == 0) return JdEnvelope.Answer(call.Method, new { resultCode = 101, resultMessage = $"包裹号不属于该运单 {code}" });
            var b = order.Booking;
            labels.Add(new WaybillLabel(Carriers.Jd, code, deliveryId, seq, order.Parcels, WaybillLabels.ProductName(order.Product),
                b.SenderCity, b.ReceiverCity, package.Texts("customData")));
        }
        var pdf = WaybillLabels.Render(labels, paper!);
        return JdEnvelope.Answer(call.Method, new
        {
            resultCode = JdEnvelope.Success, resultMessage = "成功", fileType = "pdf", pages = labels.Count, pdf = Convert.ToBase64String(pdf),
        });
    }
}
