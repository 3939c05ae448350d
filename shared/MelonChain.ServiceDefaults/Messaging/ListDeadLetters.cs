using System.Security.Claims;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MelonChain.ServiceDefaults.Messaging;

/// <summary>
/// <c>GET /admin/dead-letters?queue=</c>: the admin's cooperative's messages in the service's <c>_error</c> queues, with
/// why each failed (MassTransit's <c>MT-Fault-*</c> headers), read without taking them off the queue; paged by queue
/// and message id.
/// </summary>
public static class ListDeadLetters
{
    public sealed record Item(string Queue, Guid MessageId, string MessageType, string? ExceptionType, string? Reason, DateTimeOffset? FailedAt);

    public static void Map(RouteGroupBuilder letters) =>
        letters.MapGet("/", List).RequireRoles(Roles.Admin).WithName("ListDeadLetters");

    private static async Task<Ok<Page<Item>>> List(string? queue, int? limit, string? after, DeadLetters deadLetters,
        ClaimsPrincipal user, CancellationToken ct)
    {
        var named = DeadLetterEndpoints.Queue(deadLetters, queue);
        var paging = Paging.From(limit, after);
        var position = paging.After?.Split('/', 2);
        if (position is not null && (position.Length != 2 || !Guid.TryParse(position[1], out _)))
            throw Problem.Invalid("after", "is not a cursor returned by this list");
        var items = (await deadLetters.PeekAsync(user.CooperativeId(), named, ct))
            .Select(l => new Item(l.Queue, l.MessageId, l.MessageType, l.ExceptionType, l.Reason, l.FailedAt))
            .DistinctBy(i => (i.Queue, i.MessageId))
            .OrderBy(i => i.Queue, StringComparer.Ordinal).ThenBy(i => i.MessageId.ToString(), StringComparer.Ordinal)
            .Where(i => position is null || string.CompareOrdinal(i.Queue, position[0]) > 0
                || (i.Queue == position[0] && string.CompareOrdinal(i.MessageId.ToString(), position[1]) > 0))
            .Take(paging.Fetch).ToList();
        return TypedResults.Ok(paging.ToPage(items, i => $"{i.Queue}/{i.MessageId}"));
    }
}
