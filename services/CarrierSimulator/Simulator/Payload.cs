using System.Globalization;
using System.Text.Json;

namespace MelonChain.CarrierSimulator.Simulator;

/// <summary>
/// A carrier payload (SF's msgData, JD's 360buy_param_json) read as tolerantly as the real platform reads it: names in any case, numbers written <c>1</c>, <c>1.0</c>
/// or <c>"1"</c> (SF's SDK samples write every number as a Java double), fields it does not use ignored.
/// A whole-number field holding a real fraction (<c>1.5</c>) reads as missing.
/// </summary>
public sealed record Payload(JsonElement Json)
{
    /// <summary>
    /// Some of SF's own SDK sample files wrap msgData in a JSON array of one object (the serviceability filter sample
    /// does): that array is read as its one object. Throws <see cref="JsonException"/> for anything else but an object.
    /// </summary>
    public static Payload Parse(string text)
    {
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() == 1) root = root[0];
        if (root.ValueKind != JsonValueKind.Object) throw new JsonException("a JSON object (or an array of one) was expected");
        return new Payload(root.Clone());
    }

    private JsonElement? Get(string name)
    {
        if (Json.ValueKind != JsonValueKind.Object) return null;
        foreach (var p in Json.EnumerateObject())
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind != JsonValueKind.Null) return p.Value;
        return null;
    }

    public string? Str(string name) => Get(name) switch
    {
        { ValueKind: JsonValueKind.String } v when !string.IsNullOrWhiteSpace(v.GetString()) => v.GetString()!.Trim(),
        { ValueKind: JsonValueKind.Number } v => v.GetRawText(),
        _ => null,
    };

    public decimal? Dec(string name) => Get(name) switch
    {
        { ValueKind: JsonValueKind.Number } v when v.TryGetDecimal(out var d) => d,
        { ValueKind: JsonValueKind.String } v when decimal.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    /// <summary><c>true</c>/<c>false</c>, as JSON or as a string.</summary>
    public bool? Bool(string name) => Get(name) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.String } v when bool.TryParse(v.GetString(), out var b) => b,
        _ => null,
    };

    /// <summary>An object's members as text, in the order sent (a custom area's fields).</summary>
    public IReadOnlyList<string> Texts(string name) =>
        Get(name) is { ValueKind: JsonValueKind.Object } v
            ? v.EnumerateObject().Select(p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())
                .Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t!).ToList()
            : [];

    public int? Int(string name) => Dec(name) is { } d && d == decimal.Truncate(d) && d is >= int.MinValue and <= int.MaxValue ? (int)d : null;

    public Payload? Obj(string name) => Get(name) is { ValueKind: JsonValueKind.Object } v ? new Payload(v) : null;

    public IReadOnlyList<Payload> Arr(string name) =>
        Get(name) is { ValueKind: JsonValueKind.Array } v ? v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).Select(e => new Payload(e)).ToList() : [];

    /// <summary>A list of strings sent as a JSON array or as one comma-separated string (both occur in SF's samples).</summary>
    public IReadOnlyList<string> Strings(string name) => Get(name) switch
    {
        { ValueKind: JsonValueKind.Array } v => v.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())
            .Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()).ToList(),
        { ValueKind: JsonValueKind.String } v => v.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        _ => [],
    };
}
