namespace MelonChain.CarrierSimulator.Simulator;

/// <summary>
/// The cities the simulator knows, written as carriers write them ("北京市"). Clients send "Beijing", "北京" or "北京市",
/// and a JD address names its city at its start ("广东省江门市蓬江区…"), so every name is normalised here first.
/// </summary>
public static class Cities
{
    public const string Jiangmen = "江门市";
    public const string Guangzhou = "广州市";

    /// <summary>The 21 prefecture-level cities of 广东省: the simulator serves all of them.</summary>
    private static readonly HashSet<string> Guangdong =
    [
        "广州市", "深圳市", "珠海市", "汕头市", "佛山市", "韶关市", "湛江市", "肇庆市", "江门市", "茂名市", "惠州市",
        "梅州市", "汕尾市", "河源市", "阳江市", "清远市", "东莞市", "中山市", "潮州市", "揭阳市", "云浮市",
    ];

    private static readonly HashSet<string> Elsewhere = ["北京市", "上海市"];

    private static readonly Dictionary<string, string> Pinyin = new(StringComparer.OrdinalIgnoreCase)
    {
        ["beijing"] = "北京市", ["shanghai"] = "上海市", ["guangzhou"] = "广州市", ["shenzhen"] = "深圳市", ["jiangmen"] = "江门市",
        ["foshan"] = "佛山市", ["dongguan"] = "东莞市", ["zhuhai"] = "珠海市", ["zhongshan"] = "中山市",
    };

    /// <summary>SF's city codes (the area codes), as its filter service answers them.</summary>
    private static readonly Dictionary<string, string> SfCodes = new()
    {
        ["北京市"] = "010", ["上海市"] = "021", ["广州市"] = "020", ["深圳市"] = "755", ["江门市"] = "750", ["佛山市"] = "757",
        ["东莞市"] = "769", ["珠海市"] = "756", ["中山市"] = "760", ["惠州市"] = "752", ["肇庆市"] = "758", ["汕头市"] = "754",
    };

    private static IEnumerable<string> Known => Guangdong.Concat(Elsewhere);

    /// <summary>"Beijing", "北京" and "北京市" are all "北京市"; a city it does not know is kept as written.</summary>
    public static string Normalize(string? city)
    {
        var name = (city ?? "").Trim();
        if (Pinyin.TryGetValue(name, out var chinese)) return chinese;
        if (name.Length > 0 && !name.EndsWith('市') && Known.Contains(name + "市")) return name + "市";
        return name;
    }

    public static bool InGuangdong(string city) => Guangdong.Contains(Normalize(city));

    /// <summary>Beijing, Shanghai and every Guangdong city.</summary>
    public static bool Served(string city) => Known.Contains(Normalize(city));

    /// <summary>The city an address starts with ("广东省江门市…", "北京市朝阳区…", "江门蓬江…"), or null.</summary>
    public static string? AtStartOf(string? address)
    {
        var text = (address ?? "").Trim();
        if (text.StartsWith("广东省", StringComparison.Ordinal)) text = text["广东省".Length..];
        else if (text.StartsWith("广东", StringComparison.Ordinal)) text = text["广东".Length..];
        return Known.FirstOrDefault(c => text.StartsWith(c[..^1], StringComparison.Ordinal));
    }

    /// <summary>
    /// A contact's full address: the street as written when it already names its city ("广东省江门市…"), else city + county + street.
    /// </summary>
    public static string Address(string city, string? county, string? street) =>
        AtStartOf(street) is not null ? street!.Trim() : city + county + street;

    /// <summary>"江门市" → "江门", for hub names.</summary>
    public static string Short(string city) => city.EndsWith('市') && city.Length > 1 ? city[..^1] : city;

    public static string SfCode(string city) => SfCodes.GetValueOrDefault(Normalize(city), "");
}
