using MelonChain.ServiceDefaults.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MelonChain.Dispatch.Features.Cancellation;

/// <summary>
/// Degraded, naming the carrier, while a cancellation waits on a carrier that refuses the call itself (a bad
/// signature, an expired token, no permission): a retry cannot fix that, a person must. Healthy otherwise, however
/// long a carrier is merely unreachable (the worker's backoff and the circuit breaker cover that).
/// </summary>
public sealed class CancellationHealthCheck(Db db) : IHealthCheck
{
    private sealed record Refusal(string RefusedBy, long Waiting, string? Error);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var refusals = await db.QueryAsync<Refusal>(
            """
            select refused_by, count(*) as waiting, min(last_error) as error from cancellation_requests
            where answered_at is null and refused_by is not null group by refused_by order by refused_by
            """, ct: ct);
        return refusals.Count == 0
            ? HealthCheckResult.Healthy("No carrier refuses cancellations.")
            : HealthCheckResult.Degraded(string.Join("; ", refusals.Select(r =>
                $"carrier {r.RefusedBy} refuses to cancel {r.Waiting} order(s) ({r.Error}): check Dispatch's {r.RefusedBy} credentials; retried until it accepts")));
    }
}
