using PdfSharp.Fonts;

namespace MelonChain.ServiceDefaults.Documents;

/// <summary>
/// The CJK font every Chinese document embeds (box labels, statements, the simulator's waybills, pickup manifests):
/// WenQuanYi Zen Hei from Debian's <c>fonts-wqy-zenhei</c> (the dev script installs it), or the file
/// <c>Documents:CjkFont</c> names. PDFsharp embeds a subset of the glyphs a document uses. PDFsharp's resolver is one
/// per process, so it lives here, shared by every service (several are hosted in one test process).
/// The Debian file is a TrueType collection; its first face is cut out as a standalone font.
/// </summary>
public sealed class CjkFont : IFontResolver
{
    public const string Family = "MelonCJK";

    public static readonly string[] Candidates =
    [
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/arphic/uming.ttc",
    ];

    private static readonly Lock Gate = new();
    private static bool _registered;
    private readonly byte[] _face;

    private CjkFont(byte[] face) => _face = face;

    /// <summary>Installs the resolver once per process; a missing font fails loudly rather than printing empty boxes.</summary>
    public static void Register(string? configuredPath)
    {
        lock (Gate)
        {
            if (_registered) return;
            var path = configuredPath is { Length: > 0 } ? configuredPath : Candidates.FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException($"No CJK font found (install fonts-wqy-zenhei, or set Documents:CjkFont); looked at {string.Join(", ", Candidates)}.");
            GlobalFontSettings.FontResolver = new CjkFont(FirstFace(File.ReadAllBytes(path)));
            _registered = true;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) => new(Family, bold, false);

    public byte[]? GetFont(string faceName) => _face;

    /// <summary>A TrueType collection's first face as a font file of its own (its tables copied, offsets rebased).</summary>
    public static byte[] FirstFace(byte[] file)
    {
        if (file.Length < 16 || file[0] != 't' || file[1] != 't' || file[2] != 'c' || file[3] != 'f') return file;
        var dir = (int)U32(file, 12);
        int tables = (file[dir + 4] << 8) | file[dir + 5];
        var headerLength = 12 + tables * 16;
        var records = Enumerable.Range(0, tables).Select(i => dir + 12 + i * 16)
            .Select(r => (Record: r, Offset: (int)U32(file, r + 8), Length: (int)U32(file, r + 12))).ToList();
        var size = headerLength + records.Sum(r => (r.Length + 3) & ~3);
        var font = new byte[size];
        Array.Copy(file, dir, font, 0, headerLength);
        var at = headerLength;
        for (var i = 0; i < records.Count; i++)
        {
            var (_, offset, length) = records[i];
            Array.Copy(file, offset, font, at, length);
            var record = 12 + i * 16;
            font[record + 8] = (byte)(at >> 24); font[record + 9] = (byte)(at >> 16); font[record + 10] = (byte)(at >> 8); font[record + 11] = (byte)at;
            at += (length + 3) & ~3;
        }
        return font;
    }

    private static uint U32(byte[] b, int at) => (uint)(b[at] << 24 | b[at + 1] << 16 | b[at + 2] << 8 | b[at + 3]);
}
