namespace MelonChain.Dispatch.Features.Carrier;

/// <summary>
/// The paper the carriers' waybill labels are printed on — 76×130 mm (the courier's portable printer, the default) or
/// 100×150 mm (<c>Dispatch:WaybillLabels:Paper</c>) — and what every label's custom area (自定义区) carries: the words
/// 承诺达标合格证 and the box's trace code, so a box needs one label, not two.
/// </summary>
public static class WaybillLabelPaper
{
    public const string Small = "76x130";
    public const string Large = "100x150";

    public const string Certificate = "承诺达标合格证";

    public static string From(IConfiguration config) =>
        config["Dispatch:WaybillLabels:Paper"] switch
        {
            null or "" or Small => Small,
            Large => Large,
            var other => throw new InvalidOperationException($"Dispatch:WaybillLabels:Paper is '{other}'; it is {Small} or {Large}."),
        };

    /// <summary>The custom area's fields, in print order.</summary>
    public static IReadOnlyDictionary<string, string> CustomArea(string traceCode) => new Dictionary<string, string>
    {
        ["certificate"] = Certificate,
        ["traceCode"] = $"溯源码 {traceCode}",
        ["note"] = "扫码溯源 · 一箱一码",
    };
}
