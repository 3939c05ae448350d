using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Hosting;
using MelonChain.Tracking.Features.Shipments;

namespace MelonChain.Tracking.Features.Public;

/// <summary>
/// Tracking by waybill number plus the last 4 digits of the consignee's phone, as SF does: no login, no personal
/// data (no names, phones, addresses or carrier remarks, which can name the person who signed); how many boxes arrived,
/// went back or were lost (<c>boxOutcomes</c>).
/// </summary>
public static class PublicTracking
{
    public sealed record Step(string Status, DateTimeOffset At, string Location);

    public sealed record Response(
        string WaybillNo, string Status, string? DestinationCity, DateTimeOffset? PromisedBy, DateTimeOffset? DeliveredAt,
        bool? OnTime, bool Late, int Boxes, IReadOnlyList<Step> Timeline, IReadOnlyDictionary<string, int> BoxOutcomes);

    public static void Map(RouteGroupBuilder publicApi) =>
        publicApi.MapGet("/track/{waybillNo}", Track).WithName("PublicTrack");

    private static async Task<Ok<Response>> Track(string waybillNo, string? phoneLast4, Db db, TimeProvider clock, CancellationToken ct)
    {
        new Validation()
            .Check(waybillNo.Length is > 0 and <= 20 && waybillNo.All(char.IsAsciiLetterOrDigit), "waybillNo", "is not a waybill number")
            .Check(phoneLast4 is { Length: 4 } && phoneLast4.All(char.IsAsciiDigit), "phoneLast4", "must be the last 4 digits of the consignee's phone")
            .ThrowIfInvalid();
        var found = await Shipments.Shipments.LoadAsync(db, waybillNo, clock, ct);
        if (found is not { } f || f.PhoneLast4 != phoneLast4) throw Problem.NotFound("shipment");
        var s = f.Detail.Shipment;
        return TypedResults.Ok(new Response(waybillNo, s.Status, s.DestinationCity, s.PromisedBy, s.DeliveredAt, s.OnTime, s.Late,
            f.Detail.Boxes.Count, f.Detail.Timeline.Select(t => new Step(t.Status, t.At, t.Location)).ToList(),
            f.Detail.Boxes.GroupBy(b => b.Outcome).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count())));
    }
}
