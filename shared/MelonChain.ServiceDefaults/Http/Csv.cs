using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace MelonChain.ServiceDefaults.Http;

/// <summary>CSV as RFC 4180 writes it: a field with a comma, quote or line break is quoted, its quotes doubled.</summary>
public sealed class Csv
{
    public const string ContentType = "text/csv; charset=utf-8";
    private readonly StringBuilder _text = new();

    /// <summary>The caller asked for CSV (<c>Accept: text/csv</c>).</summary>
    public static bool Wanted(HttpRequest request) => request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase);

    public Csv Row(params object?[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) _text.Append(',');
            var text = fields[i] switch
            {
                null => "",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString() ?? "",
            };
            if (text.AsSpan().IndexOfAny(",\"\r\n") >= 0) _text.Append('"').Append(text.Replace("\"", "\"\"")).Append('"');
            else _text.Append(text);
        }
        _text.Append("\r\n");
        return this;
    }

    public IResult ToResult() => Results.Text(_text.ToString(), ContentType);

    public override string ToString() => _text.ToString();
}
