using System.Net.Sockets;
using MassTransit;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly.CircuitBreaker;

namespace MelonChain.ServiceDefaults.Http;

/// <summary>
/// Turns every exception into ProblemDetails with the right status and a stable type. A unique or exclusion clash the
/// use case did not name itself is 409 <c>already-exists</c>, and a serialization failure or deadlock 409
/// <c>concurrent-update</c> (retry): a clash between two requests is never a 500 and never shows the SQL.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    /// <summary>A row with the same identity exists (a unique constraint, whatever use case met it).</summary>
    public const string AlreadyExists = "already-exists";

    /// <summary>
    /// Two transactions met on the same rows and PostgreSQL chose this one to fail (Npgsql calls that transient, but the
    /// database is up: not a 503); the same request again succeeds or meets what won.
    /// </summary>
    public const string ConcurrentUpdate = "concurrent-update";

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = exception switch
        {
            ProblemException p => Describe(p),
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Type = Types.For(bad.StatusCode == 413 ? "body-too-large" : "malformed-request"),
                Title = bad.StatusCode == 413 ? "Request body too large" : "Malformed request",
                Detail = (bad.InnerException ?? bad).Message,
            },
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ExclusionViolation } => new ProblemDetails
            {
                Status = 409,
                Type = Types.For(AlreadyExists),
                Title = "Conflict with the current state",
                Detail = "Something with the same identity already exists (perhaps saved by another request at the same moment): read it "
                         + "and decide.",
            },
            PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected } => new ProblemDetails
            {
                Status = 409,
                Type = Types.For(ConcurrentUpdate),
                Title = "Conflict with the current state",
                Detail = "Another request changed the same data at the same moment; retry (with the same Idempotency-Key).",
            },
            _ when IsUnavailable(exception) => new ProblemDetails
            {
                Status = 503,
                Type = Types.For("unavailable"),
                Title = "Service temporarily unavailable",
                Detail = "A backing service (database, broker or carrier) is not reachable; retry shortly with the same Idempotency-Key.",
            },
            _ => null,
        };
        if (problem is null)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
            problem = new ProblemDetails { Status = 500, Type = Types.For("internal"), Title = "Internal error" };
        }
        else if (problem.Status == 409 && exception is PostgresException)
        {
            problem.Extensions["code"] = problem.Type == Types.For(ConcurrentUpdate) ? ConcurrentUpdate : AlreadyExists;
            // The constraint and the SQL stay in the log: the answer names no table.
            logger.LogWarning(exception, "Conflict on {Method} {Path}", http.Request.Method, http.Request.Path);
            if (problem.Type == Types.For(ConcurrentUpdate)) http.Response.Headers.RetryAfter = "1";
        }
        else if (problem.Status == 503)
        {
            logger.LogWarning(exception, "Unavailable: {Method} {Path}", http.Request.Method, http.Request.Path);
            http.Response.Headers.RetryAfter = "2";
        }

        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails Describe(ProblemException p)
    {
        ProblemDetails details = p.Errors is null
            ? new ProblemDetails()
            : new HttpValidationProblemDetails(p.Errors);
        details.Status = p.Status;
        details.Type = Types.For(p.Code);
        details.Title = p.Title;
        details.Detail = p.Detail;
        details.Extensions["code"] = p.Code;
        if (p.Extensions is not null)
            foreach (var (key, value) in p.Extensions) details.Extensions[key] = value;
        return details;
    }

    private static bool IsUnavailable(Exception exception) => exception switch
    {
        NpgsqlException { IsTransient: true } => true,
        NpgsqlException { InnerException: SocketException or IOException or TimeoutException } => true,
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" } => true, // shutdown, too many clients
        BrokenCircuitException or TimeoutException or RequestTimeoutException => true,
        InvalidOperationException { InnerException: { } inner } => IsUnavailable(inner),
        _ => false,
    };

    public static class Types
    {
        public static string For(string code) => "urn:melonchain:problem:" + code;
    }
}
