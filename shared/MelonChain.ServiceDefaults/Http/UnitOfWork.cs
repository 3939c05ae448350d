using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MelonChain.ServiceDefaults.Http;

/// <summary>
/// Runs every write endpoint as one unit of work: one transaction around the handler, committed only when the
/// handler answers 2xx, so a failed request writes nothing. With an <c>Idempotency-Key</c> header the stored
/// response is written in that same transaction: a retry after success replays it (same status and body), the
/// same key with a different body is 422, and the same key while the first is still running is 409.
/// </summary>
public sealed class UnitOfWork : IEndpointFilter
{
    public const string KeyHeader = "Idempotency-Key";
    private const int LockNamespace = 0x1D3;

    private sealed record StoredResponse(byte[] RequestHash, int StatusCode, string? Body);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
            || http.GetEndpoint()?.Metadata.GetMetadata<ReadOnlyEndpoint>() is not null
            || http.GetEndpoint()?.Metadata.GetMetadata<OwnTransactionsEndpoint>() is not null)
            return await next(context);

        var db = http.RequestServices.GetRequiredService<Db>();
        var ct = http.RequestAborted;
        var key = await ReadKeyAsync(http, ct);
        if (key is null && http.GetEndpoint()?.Metadata.GetMetadata<IdempotencyKeyRequired>() is not null)
            throw IdempotencyKeyRequired.Problem();
        await db.BeginAsync(ct);

        if (key is not null)
        {
            // The lock, then the stored response read after it (a statement of its own, so it sees what the lock's
            // last holder committed): one round trip, with the BEGIN.
            bool free;
            StoredResponse? stored = null;
            await using (var read = await db.BatchAsync([
                Db.Statement("select pg_try_advisory_xact_lock($1, hashtext($2 || '|' || $3))", LockNamespace, key.Value.Scope, key.Value.Key),
                Db.Statement(
                    """
                    select request_hash, status_code, body from idempotency_keys
                    where scope = $1 and key = $2 and created_at > now() - $3
                    """, key.Value.Scope, key.Value.Key, Retention.IdempotencyKeys.KeptFor),
            ], ct))
            {
                await read.ReadAsync(ct);
                free = read.GetBoolean(0);
                await read.NextResultAsync(ct);
                if (await read.ReadAsync(ct))
                    stored = new StoredResponse(read.GetFieldValue<byte[]>(0), read.GetInt32(1), read.IsDBNull(2) ? null : read.GetString(2));
            }
            if (!free)
                throw Problem.Conflict("idempotency-key-in-flight", "A request with this Idempotency-Key is still being processed; retry shortly.");
            if (stored is not null)
            {
                if (!stored.RequestHash.AsSpan().SequenceEqual(key.Value.Hash))
                    throw Problem.Unprocessable("idempotency-key-reused", "This Idempotency-Key was used with a different request body.");
                await db.RollbackAsync();
                http.Response.Headers["Idempotent-Replayed"] = "true";
                return TypedResults.Text(stored.Body ?? "", "application/json", Encoding.UTF8, stored.StatusCode);
            }
        }

        var result = await next(context);
        var outcome = result is INestedHttpResult nested ? nested.Result : result;
        var status = (outcome as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        if (status >= 400)
        {
            await db.RollbackAsync();
            return result;
        }

        if (key is not null)
        {
            var value = outcome is IValueHttpResult v ? v.Value : outcome is IResult ? null : outcome;
            var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            // Sent with the COMMIT, in its round trip.
            db.Later(Db.Statement(
                """
                insert into idempotency_keys (scope, key, request_hash, status_code, body)
                values ($1, $2, $3, $4, $5::text)
                on conflict (scope, key) do update
                    set request_hash = excluded.request_hash, status_code = excluded.status_code,
                        body = excluded.body, created_at = now()
                """,
                key.Value.Scope, key.Value.Key, key.Value.Hash, status,
                value is null ? null : JsonSerializer.Serialize(value, value.GetType(), json)));
        }
        await db.CommitAsync(CancellationToken.None);
        return result;
    }

    private readonly record struct IdempotencyKey(string Scope, string Key, byte[] Hash);

    private static async Task<IdempotencyKey?> ReadKeyAsync(HttpContext http, CancellationToken ct)
    {
        if (!http.Request.Headers.TryGetValue(KeyHeader, out var values)) return null;
        var key = values.ToString();
        if (key.Length is 0 or > 100 || key.Any(char.IsControl))
            throw Problem.Invalid(KeyHeader, "must be 1 to 100 printable characters");

        // The body was buffered by the platform middleware for requests that carry the header.
        http.Request.Body.Position = 0;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{http.Request.Method} {http.Request.Path}\n"));
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(buffer, ct)) > 0)
            sha.AppendData(buffer, 0, read);
        http.Request.Body.Position = 0;

        // Keys belong to the caller: two clerks (or an anonymous carrier push) never share one.
        var scope = $"{http.User.FindFirst(Claims.Cooperative)?.Value ?? "-"}|{http.User.Subject()}";
        return new IdempotencyKey(scope, key, sha.GetHashAndReset());
    }
}

/// <summary>
/// Marks a POST that only computes an answer (a quote): no transaction, no stored response — it writes nothing,
/// so a retry is already safe. Saves the BEGIN/COMMIT round trips of a unit of work.
/// </summary>
public sealed class ReadOnlyEndpoint
{
    public static readonly ReadOnlyEndpoint Instance = new();
}

/// <summary>
/// Marks a write that calls out of the process (the carrier) between its writes: no call that leaves the process may
/// run inside a transaction or hold a row lock, so the handler begins and commits its own short transactions and
/// releases its connection across the call (<see cref="Db.ReleaseConnectionAsync"/>). It must be idempotent by its
/// own state, as no stored response replays it.
/// </summary>
public sealed class OwnTransactionsEndpoint
{
    public static readonly OwnTransactionsEndpoint Instance = new();
}

/// <summary>
/// Marks a post that moves money or asks for it (an advance, a payment, a settlement, a reversal, a surplus return, a claim
/// filed or decided): it is refused with 428 <c>idempotency-key-required</c> without an <c>Idempotency-Key</c>, so a
/// double tap never pays twice.
/// </summary>
public sealed class IdempotencyKeyRequired
{
    public const string Code = "idempotency-key-required";
    public static readonly IdempotencyKeyRequired Instance = new();

    public static ProblemException Problem() => new(StatusCodes.Status428PreconditionRequired, Code, "Idempotency-Key required",
        $"This request moves money: send an {UnitOfWork.KeyHeader} header (the same one on a retry), so it is done once.");
}

public static class ReadOnlyEndpointExtensions
{
    public static TBuilder RequiresIdempotencyKey<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(IdempotencyKeyRequired.Instance).Problems(StatusCodes.Status428PreconditionRequired, IdempotencyKeyRequired.Code);

    public static TBuilder ReadOnly<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(ReadOnlyEndpoint.Instance);

    public static TBuilder WithOwnTransactions<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(OwnTransactionsEndpoint.Instance);
}
