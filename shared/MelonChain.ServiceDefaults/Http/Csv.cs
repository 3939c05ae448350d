using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace MelonChain.ServiceDefaults.Http;

/// <summary>CSV as RFC 4180 writes it: a field with a comma, quote or line break is quoted, its quotes doubled.</summary>
public sealed class Csv
{
    public const string ContentType = "text/csv; charset=utf-8";
    private readonly StringBuilder _text = new();
    private readonly Stream? _body;

    public Csv() { }

    private Csv(Stream body) => _body = body;

    /// <summary>
    /// An answer written as its rows are made: <paramref name="writeRows"/> adds rows and calls <see cref="FlushAsync"/>
    /// as it goes, so no more than a buffer of rows is held, however many there are.
    /// </summary>
    public static IResult Streamed(Func<Csv, Task> writeRows, CancellationToken ct) => Results.Stream(async body =>
    {
        var csv = new Csv(body);
        await writeRows(csv);
        await csv.FlushAsync(0, ct);
    }, ContentType);

    /// <summary>Writes the rows made so far to the answer, once they are at least <paramref name="atLeastChars"/> long.</summary>
    public async ValueTask FlushAsync(int atLeastChars, CancellationToken ct)
    {
        if (_body is null) throw new InvalidOperationException("Only a streamed CSV is flushed.");
        if (_text.Length < atLeastChars || _text.Length == 0) return;
        var bytes = Encoding.UTF8.GetBytes(_text.ToString());
        _text.Clear();
        await _body.WriteAsync(bytes, ct);
    }

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
