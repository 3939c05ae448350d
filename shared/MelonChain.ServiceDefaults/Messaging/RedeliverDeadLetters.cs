using System.Security.Claims;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MelonChain.ServiceDefaults.Messaging;

/// <summary>
/// <c>POST /admin/dead-letters/redeliver {queue?}</c>, once the cause is fixed: the admin's cooperative's dead letters
/// (of one queue, or all) go back to the queue they came from, to the same consumer. Its inbox gives a message it already
/// applied no second effect, so redelivering is safe to repeat. No database transaction: it only moves messages.
/// </summary>
public static class RedeliverDeadLetters
{
    /// <param name="Queue">A dead-letter queue (<c>cooperative-shipment-booked_error</c>) or its consumer's queue; all of them when absent.</param>
    public sealed record Request(string? Queue);

    public sealed record Response(int Redelivered, IReadOnlyList<DeadLetterCount> Queues);

    public static void Map(RouteGroupBuilder letters) =>
        letters.MapPost("/redeliver", Redeliver).RequireRoles(Roles.Admin).WithOwnTransactions().WithName("RedeliverDeadLetters");

    private static async Task<Ok<Response>> Redeliver(Request? request, DeadLetters deadLetters, ClaimsPrincipal user, CancellationToken ct)
    {
        var queue = DeadLetterEndpoints.Queue(deadLetters, request?.Queue);
        var moved = await deadLetters.RedeliverAsync(user.CooperativeId(), queue, ct);
        return TypedResults.Ok(new Response((int)moved.Sum(m => m.Messages), moved));
    }
}
