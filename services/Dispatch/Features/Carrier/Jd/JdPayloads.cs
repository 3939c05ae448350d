namespace MelonChain.Dispatch.Features.Carrier.Jd;

// The JD-style platform's own payloads, field for field (camelCase on the wire). Only the JD adapter uses them.

public sealed record JdCreateOrder(
    string SalePlat, string CustomerCode, string OrderId, string SenderName, string SenderAddress, string SenderTel, string? SenderCompany,
    string ReceiveName, string ReceiveAddress, string Province, string City, string? County, string ReceiveTel, int PackageCount,
    decimal Weight, string Description, int GoodsType, int PromiseTimeType, string PickUpStartTime, string? Remark);

/// <summary>What create and order.get answer in resultInfo: resultCode 100 (or 106 for an orderId already taken).</summary>
public sealed record JdOrderInfo(int ResultCode, string? ResultMessage, string? OrderId, string? DeliveryId, IReadOnlyList<string>? PackageCodes);

public sealed record JdGetOrder(string CustomerCode, string OrderId);

public sealed record JdTraceQuery(string CustomerCode, string WaybillCode);

public sealed record JdTrace(string WaybillCode, string OpeTitle, string? OpeRemark, string? OpeName, string OpeTime);

public sealed record JdTraces(int ResultCode, IReadOnlyList<JdTrace>? Data);

public sealed record JdIntercept(string VendorCode, string DeliveryId, string InterceptReason);

public sealed record JdInterceptResult(int StateCode, string? StateMessage);


/// <summary>actualfee's answer: the order's freight in yuan (two decimals) and JD's version of it, when collected.</summary>
public sealed record JdActualFee(int ResultCode, string? ResultMessage, string? DeliveryId, decimal? ActualFee, int? Version);
public sealed record JdPrintPackage(string PackageCode, IReadOnlyDictionary<string, string> CustomData);

/// <summary>Cloud print: one order's packages from JD's template (jd_76130, jd_100150).</summary>
public sealed record JdPrintRender(string CustomerCode, string DeliveryId, string TemplateCode, string FileType, IReadOnlyList<JdPrintPackage> Packages);

public sealed record JdPrintResult(int ResultCode, string? ResultMessage, int? Pages, string? Pdf);
