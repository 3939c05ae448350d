using MelonChain.Dispatch.Features.Carrier;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;

namespace MelonChain.Dispatch.Features.Routes;

/// <summary>
/// <c>POST /carriers/sf/routes</c>: the carrier's route push. No token (the carrier has none) but the body must
/// carry the carrier's digest and a timestamp within minutes of now; a forged or stale push is 401 and stores nothing. Replays and duplicates are harmless.
/// The answer is the carrier's acknowledgement, without which it pushes again.
/// </summary>
public static class ReceiveRoutePush
{
    public static void Map(RouteGroupBuilder carriers) =>
        carriers.MapPost("/sf/routes", Handle).AllowAnonymous().WithName("ReceiveSfRoutePush").Problems(401, "bad-carrier-digest", "stale-carrier-push");

    private static async Task<Ok<object>> Handle(HttpRequest http, ICarrier carrier, Db db, TimeProvider clock, CancellationToken ct)
    {
        using var reader = new StreamReader(http.Body);
        var body = await reader.ReadToEndAsync(ct);
        var headers = http.Headers.ToDictionary(h => h.Key, h => (string?)h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var push = carrier.ParsePush(body, headers);
        if (!push.Authentic)
            throw new ProblemException(401, "bad-carrier-digest", "Unauthenticated", "The push's digest does not match the carrier account.");
        if (push.Stale)
            throw new ProblemException(401, "stale-carrier-push", "Unauthenticated", "The push's timestamp is too far from now; a replayed push is refused.");
        await RouteIngest.ApplyAsync(db, push.Routes, clock, ct);
        return TypedResults.Ok(carrier.PushAcknowledgement);
    }
}
