using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace MelonChain.CarrierSimulator.Simulator.CloudPrint;

/// <summary>
/// The rendered files of SF's cloud print: each answered as a URL and a token; <c>GET /cloud-print/files/{id}.pdf</c>
/// with header <c>X-Auth-token</c> fetches it (401 without the right token, 404 for an unknown file). A file is
/// rendered when fetched and kept for <see cref="KeptFor"/>.
/// </summary>
public sealed class PrintFiles(TimeProvider clock)
{
    public const string TokenHeader = "X-Auth-token";

    public static readonly TimeSpan KeptFor = TimeSpan.FromHours(24);

    private sealed record File(string Token, IReadOnlyList<WaybillLabel> Labels, LabelPaper Paper, DateTimeOffset Until);

    private readonly ConcurrentDictionary<string, File> _files = new();

    /// <summary>Stores a file of <paramref name="labels"/>; answers its id and token.</summary>
    public (string Id, string Token) Add(IReadOnlyList<WaybillLabel> labels, LabelPaper paper)
    {
        var now = clock.GetUtcNow();
        foreach (var old in _files.Where(f => f.Value.Until < now)) _files.TryRemove(old.Key, out _);
        var (id, token) = (Guid.NewGuid().ToString("N"), "AUTH_tkv12_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant());
        _files[id] = new File(token, labels, paper, now + KeptFor);
        return (id, token);
    }

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/cloud-print/files/{id}.pdf", (string id, HttpRequest http, PrintFiles files) =>
        {
            if (!files._files.TryGetValue(id, out var file)) return Results.NotFound();
            if (http.Headers[TokenHeader].ToString() != file.Token) return Results.StatusCode(StatusCodes.Status401Unauthorized);
            return Results.File(WaybillLabels.Render(file.Labels, file.Paper), "application/pdf");
        }).WithTags("SF open platform");
}
