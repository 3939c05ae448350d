using System.Text.Json.Serialization;

namespace MelonChain.Dispatch.Features.Carrier.Sf;

// The carrier's own payloads, field for field (SF open platform). Only the adapter and the simulator use them.

public sealed record SfResponse(string ApiResultCode, string? ApiErrorMsg, string? ApiResponseID, string? ApiResultData);

public sealed record SfResult<T>(bool Success, string? ErrorCode, string? ErrorMsg, T? MsgData);

public sealed record SfCargo(string Name, int Count, decimal Weight);

/// <summary>contactType 1 = sender, 2 = receiver; SF's clients send the phone as <c>tel</c>, <c>mobile</c> or both.</summary>
public sealed record SfContact(int ContactType, string Contact, string? Tel, string Province, string City, string? County, string Address, string? Company = null,
    string? Mobile = null);

public sealed record SfCreateOrder(
    string OrderId, string Language, IReadOnlyList<SfCargo> CargoDetails, IReadOnlyList<SfContact> ContactInfoList,
    string MonthlyCard, int PayMethod, int ExpressTypeId, int ParcelQty, decimal TotalWeight, int IsDocall,
    string? SendStartTm, string? Remark);

/// <summary>waybillType 1 = master, 2 = child.</summary>
public sealed record SfWaybillNo(int WaybillType, string WaybillNo);

public sealed record SfOrderResult(string OrderId, IReadOnlyList<SfWaybillNo> WaybillNoInfoList, int? FilterResult, string? Remark);

public sealed record SfSearchOrder(string OrderId, string Language);

/// <summary>dealType 1 = confirm, 2 = cancel.</summary>
public sealed record SfUpdateOrder(string OrderId, int DealType, string Language);

/// <summary>trackingType 1 = by waybill number, 2 = by the customer's order id (the routes of that order's waybills).</summary>
public sealed record SfSearchRoutes(int TrackingType, IReadOnlyList<string> TrackingNumber, int MethodType, string Language);

public sealed record SfRoute(string AcceptTime, string AcceptAddress, string Remark, string OpCode);

public sealed record SfRouteResp(string MailNo, IReadOnlyList<SfRoute> Routes);

public sealed record SfRoutesResult(IReadOnlyList<SfRouteResp> RouteResps);

public sealed record SfAddress(string Province, string City, string? Address);

public sealed record SfDeliverTimeQuery(int BusinessType, decimal Weight, string ConsignedTime, SfAddress SrcAddress, SfAddress DestAddress);

public sealed record SfDeliverTime(int BusinessType, string BusinessTypeDesc, string DeliverTime, decimal Fee);

public sealed record SfDeliverTimeResult(IReadOnlyList<SfDeliverTime> DeliverTmDto);

/// <summary>A route push: <c>{"Body":{"WaybillRoute":[...]}}</c>.</summary>
public sealed record SfPush([property: JsonPropertyName("Body")] SfPushBody Body);

public sealed record SfPushBody([property: JsonPropertyName("WaybillRoute")] IReadOnlyList<SfPushRoute> WaybillRoute);

public sealed record SfPushRoute(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("mailno")] string Mailno,
    [property: JsonPropertyName("orderid")] string? Orderid,
    [property: JsonPropertyName("acceptTime")] string AcceptTime,
    [property: JsonPropertyName("acceptAddress")] string AcceptAddress,
    [property: JsonPropertyName("remark")] string Remark,
    [property: JsonPropertyName("opCode")] string OpCode);

public sealed record SfPushAck(
    [property: JsonPropertyName("return_code")] string ReturnCode,
    [property: JsonPropertyName("return_msg")] string ReturnMsg);

/// <summary>EXP_RECE_QUERY_SFWAYBILL: trackingType 1 = by waybill number, 2 = by the customer's order id.</summary>
public sealed record SfBilledFreightQuery(int TrackingType, string TrackingNum);
/// <summary>A label to print: the order's master, a child as <c>branchWaybillNo</c>, and the custom area's fields.</summary>
public sealed record SfPrintDocument(string MasterWaybillNo, string? BranchWaybillNo, IReadOnlyDictionary<string, string> CustomData);

/// <summary>COM_RECE_CLOUD_PRINT_WAYBILLS: at most 20 documents.</summary>
public sealed record SfCloudPrint(string TemplateCode, string CustomTemplateCode, string Version, string FileType, bool Sync,
    IReadOnlyList<SfPrintDocument> Documents);

public sealed record SfPrintFile(string Url, string Token, string WaybillNo, int SeqNo, int AreaNo, int PageNo);

public sealed record SfPrintObj(IReadOnlyList<SfPrintFile>? Files);

/// <summary>The cloud print's answer inside apiResultData (its own shape, not the express services' msgData).</summary>
public sealed record SfPrintResult(bool Success, string? ErrorCode, string? ErrorMessage, SfPrintObj? Obj);
