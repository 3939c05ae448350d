using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MelonChain.ServiceDefaults.Messaging;

/// <summary>
/// <c>/admin/dead-letters</c> under every service's API prefix (mapped by <c>MapApi</c> when the service has consumers):
/// an admin sees the messages the service's consumers gave up on and sends them back once the cause is fixed.
/// </summary>
public static class DeadLetterEndpoints
{
    public static RouteGroupBuilder MapDeadLetters(this RouteGroupBuilder api)
    {
        var letters = api.MapGroup("/admin/dead-letters").WithTags("Admin");
        ListDeadLetters.Map(letters);
        RedeliverDeadLetters.Map(letters);
        return api;
    }

    /// <summary>The dead-letter queue a <c>queue</c> field names (with or without <c>_error</c>); 422 when it is none of the service's.</summary>
    internal static string? Queue(DeadLetters deadLetters, string? queue) =>
        queue is null ? null
            : deadLetters.QueueNamed(queue) ?? throw Http.Problem.Invalid("queue", $"must be one of {string.Join(", ", deadLetters.Queues)}");
}
