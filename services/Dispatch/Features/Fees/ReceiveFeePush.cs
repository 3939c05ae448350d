using MelonChain.Dispatch.Features.Carrier;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;

namespace MelonChain.Dispatch.Features.Fees;

/// <summary>
/// <c>POST /carriers/{carrier}/fees</c>: a carrier's billed-fee push (SF's 清单运费推送: form fields <c>content</c> and
/// <c>sign</c>). No token (the carrier has none) but the form must carry the carrier's sign: a wrong one is 401
/// <c>bad-carrier-sign</c> and stores nothing; a fee that cannot be read (an amount with more than two decimals, no
/// version) is 422 and stores nothing of the push. A carrier that is not configured, or does not push fees, is 404.
/// Replays and lower versions change nothing (<see cref="FeeBook"/>). The answer is the carrier's acknowledgement.
/// </summary>
public static class ReceiveFeePush
{
    public static void Map(RouteGroupBuilder carriers) =>
        carriers.MapPost("/{carrier}/fees", Handle).AllowAnonymous().DisableAntiforgery().WithName("ReceiveFeePush")
            .Problems(401, "bad-carrier-sign").Problems(404, "not-found");

    private static async Task<Ok<object>> Handle(string carrier, HttpRequest http, CarrierRegistry carriers, Db db, TimeProvider clock, CancellationToken ct)
    {
        if (carriers.Find(carrier) is not { PushesFees: true } adapter) throw new ProblemException(404, "not-found", "Not found", $"No carrier '{carrier}' pushes fees here.");
        var form = http.HasFormContentType
            ? (await http.ReadFormAsync(ct)).ToDictionary(f => f.Key, f => f.Value.ToString())
            : new Dictionary<string, string>();
        var push = adapter.ParseFeePush(form);
        if (!push.Authentic)
            throw new ProblemException(401, "bad-carrier-sign", "Unauthenticated", "The push's sign does not match the carrier account.");
        if (push.Invalid is { } invalid)
            throw Problem.Invalid("content", invalid);
        await FeeBook.RecordAsync(db, adapter.Name, push.Fees, FeeBook.Pushed, clock, ct);
        return TypedResults.Ok(adapter.PushAcknowledgement);
    }
}
