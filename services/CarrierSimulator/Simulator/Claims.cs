using System.Collections.Concurrent;

namespace MelonChain.CarrierSimulator.Simulator;

/// <summary>
/// The carriers' claim desk (理赔): a claim for a lost or damaged parcel, by waybill, with the amount asked. SF's and
/// JD's published samples show no open-platform claim call, so this is a small JSON stand-in of our own. A claim is
/// accepted when the waybill is known, the amount is within <see cref="LimitFenPerParcel"/> per parcel of the order,
/// and (for "lost") the carrier has declared that order lost; otherwise refused with a reason. An accepted claim is
/// paid in full <see cref="PaysAfter"/> of simulated time later. Filing again with the same claimId answers the same.
/// </summary>
public sealed class ClaimDesk(OrderBook book)
{
    /// <summary>What the carrier pays at most per parcel without insured value (2,000 yuan).</summary>
    public const long LimitFenPerParcel = 200_000;

    public static readonly TimeSpan PaysAfter = TimeSpan.FromHours(24);

    public sealed record Claim(string ClaimNo, string ClaimId, string WaybillNo, string Reason, long AmountFen, bool Accepted, string? Refusal, TimeSpan AcceptedAt);

    private readonly ConcurrentDictionary<string, Claim> _byClaimId = new();
    private readonly ConcurrentDictionary<string, Claim> _byClaimNo = new();

    public Claim File(string claimId, string waybillNo, string reason, long amountFen)
    {
        return _byClaimId.GetOrAdd(claimId, _ =>
        {
            var order = book.ByWaybill(waybillNo);
            var refusal = order is null ? "运单不存在"
                : reason is not ("lost" or "damaged") ? "理赔原因不支持"
                : amountFen <= 0 || amountFen > LimitFenPerParcel * order.Parcels ? $"索赔金额超过限额 ({LimitFenPerParcel * order.Parcels} 分)"
                : reason == "lost" && !(order.Fate == Fates.Lost && book.Due(order).Count == order.Plan.Count) ? "运单未确认遗失"
                : null;
            var claim = new Claim("CL" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant(), claimId, waybillNo, reason, amountFen, refusal is null, refusal, book.SimulatedNow);
            _byClaimNo[claim.ClaimNo] = claim;
            return claim;
        });
    }

    public Claim? Find(string claimNo) => _byClaimNo.GetValueOrDefault(claimNo);

    public bool Paid(Claim claim) => claim.Accepted && book.SimulatedNow >= claim.AcceptedAt + PaysAfter;

    public static void Map(IEndpointRouteBuilder app)
    {
        var claims = app.MapGroup("/claims").WithTags("Carrier claims");
        claims.MapPost("/", (ClaimRequest request, ClaimDesk desk) =>
        {
            if (string.IsNullOrWhiteSpace(request.ClaimId) || string.IsNullOrWhiteSpace(request.WaybillNo) || string.IsNullOrWhiteSpace(request.Reason))
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["claimId"] = ["claimId, waybillNo and reason are required."] }, statusCode: 422);
            return Results.Ok(View(desk, desk.File(request.ClaimId, request.WaybillNo, request.Reason, request.AmountFen)));
        });
        claims.MapGet("/{claimNo}", (string claimNo, ClaimDesk desk) => desk.Find(claimNo) is { } c ? Results.Ok(View(desk, c)) : Results.NotFound());
    }

    private static object View(ClaimDesk desk, Claim c) => new
    {
        c.ClaimNo, c.ClaimId, c.WaybillNo, c.Reason, c.AmountFen,
        status = !c.Accepted ? "refused" : desk.Paid(c) ? "paid" : "accepted",
        refusal = c.Refusal, paidFen = desk.Paid(c) ? c.AmountFen : (long?)null,
    };
}

public sealed record ClaimRequest(string? ClaimId, string? WaybillNo, string? Reason, long AmountFen);
