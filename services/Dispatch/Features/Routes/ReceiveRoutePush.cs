using MelonChain.Dispatch.Features.Carrier;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;

namespace MelonChain.Dispatch.Features.Routes;

/// <summary>
/// <c>POST /carriers/{carrier}/routes</c>: a carrier's route push. No token (the carrier has none) but the body must
/// carry the carrier's signature and a timestamp within minutes of now (each adapter checks its own); a forged or stale
/// push is 401 and stores nothing. A carrier that is not configured, or does not push, is 404. Replays and duplicates
/// are harmless. The answer is the carrier's acknowledgement, without which it pushes again.
/// </summary>
public static class ReceiveRoutePush
{
    public static void Map(RouteGroupBuilder carriers) =>
        carriers.MapPost("/{carrier}/routes", Handle).AllowAnonymous().WithName("ReceiveRoutePush")
            .Problems(401, "bad-carrier-digest", "stale-carrier-push").Problems(404, "not-found");

    private static async Task<Ok<object>> Handle(string carrier, HttpRequest http, CarrierRegistry carriers, Db db, TimeProvider clock, CancellationToken ct)
    {
        if (carriers.Find(carrier) is not { PushesRoutes: true } adapter) throw new ProblemException(404, "not-found", "Not found", $"No carrier '{carrier}' pushes routes here.");
        using var reader = new StreamReader(http.Body);
        var body = await reader.ReadToEndAsync(ct);
        var headers = http.Headers.ToDictionary(h => h.Key, h => (string?)h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var push = adapter.ParsePush(body, headers);
        if (!push.Authentic)
            throw new ProblemException(401, "bad-carrier-digest", "Unauthenticated", "The push's signature does not match the carrier account.");
        if (push.Stale)
            throw new ProblemException(401, "stale-carrier-push", "Unauthenticated", "The push's timestamp is too far from now; a replayed push is refused.");
        await RouteIngest.ApplyAsync(db, adapter.Name, push.Routes, clock, ct);
        return TypedResults.Ok(adapter.PushAcknowledgement);
    }
}
