using System.Text.RegularExpressions;
using MelonChain.Testing;

namespace MelonChain.Dispatch.Tests;

/// <summary>
/// Adding a carrier needs an adapter and configuration only, so no carrier's wire vocabulary may leak out of its adapter
/// folder: every field name, service code and method of SF's and JD's protocols is searched for in Dispatch's code.
/// </summary>
public class CarrierSeamTests
{
    private static readonly string[] SfNames =
    [
        "msgData", "msgDigest", "partnerID", "requestID", "serviceCode", "apiResultCode", "apiResultData", "apiErrorMsg", "expressTypeId",
        "waybillNoInfoList", "waybillType", "contactInfoList", "contactType", "cargoDetails", "monthlyCard", "payMethod", "parcelQty",
        "sendStartTm", "isDocall", "mailno", "mailNo", "opCode", "acceptTime", "acceptAddress", "WaybillRoute", "return_code",
        "trackingType", "trackingNumber", "dealType", "filterResult", "EXP_RECE_", "routeResps", "deliverTmDto",
        "feeList", "feeTypeCode", "feeAmt", "versionNo", "waybillFeeList", "trackingNum",
    ];

    private static readonly string[] JdNames =
    [
        "360buy_param_json", "routerjson", "app_key", "access_token", "jingdong.", "_responce", "resultInfo", "deliveryId",
        "packageCodes", "opeTitle", "opeTime", "customerCode", "vendorCode", "goodsType", "promiseTimeType", "salePlat",
        "pickUpStartTime", "receiveName", "senderName", "actualfee",
    ];

    private static IEnumerable<(string File, string Text)> DispatchSources(string exceptAdapter) =>
        Directory.EnumerateFiles(Path.Combine(Repository.Root, "services", "Dispatch"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => !f.Contains(Path.Combine("Features", "Carrier", exceptAdapter) + Path.DirectorySeparatorChar))
            .Select(f => (Path.GetRelativePath(Repository.Root, f), File.ReadAllText(f)));

    private static List<string> Leaks(string[] names, string adapter) =>
        (from source in DispatchSources(adapter)
         from name in names
         where Regex.IsMatch(source.Text, $@"(?<![A-Za-z_]){Regex.Escape(name)}", RegexOptions.None)
         select $"{source.File}: {name}").ToList();

    [Fact]
    public void No_SF_field_name_or_service_code_appears_outside_the_SF_adapter() => Assert.Empty(Leaks(SfNames, "Sf"));

    [Fact]
    public void No_JD_field_name_or_method_appears_outside_the_JD_adapter() => Assert.Empty(Leaks(JdNames, "Jd"));

    [Fact]
    public void The_search_finds_a_name_where_one_is_written()
    {
        // The check can fail: the SF adapter itself is full of SF's names, the JD adapter of JD's.
        Assert.NotEmpty(Leaks(SfNames, "Jd"));
        Assert.NotEmpty(Leaks(JdNames, "Sf"));
    }
}
