namespace MelonChain.ServiceDefaults.Http;

/// <summary>
/// A request refused for a business reason. Thrown from a use case, turned into RFC 7807 ProblemDetails with
/// a stable <c>type</c> (urn:melonchain:problem:CODE) by <see cref="ProblemExceptionHandler"/>; the request's
/// transaction is rolled back, so nothing it wrote persists.
/// </summary>
public sealed class ProblemException(
    int status, string code, string title, string? detail = null,
    IDictionary<string, string[]>? errors = null, IDictionary<string, object?>? extensions = null)
    : Exception(detail ?? title)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public string Title { get; } = title;
    public string? Detail { get; } = detail;
    public IDictionary<string, string[]>? Errors { get; } = errors;
    public IDictionary<string, object?>? Extensions { get; } = extensions;
}

public static class Problem
{
    public static ProblemException NotFound(string what) =>
        new(404, "not-found", "Not found", $"No {what} with that id here.");

    public static ProblemException Conflict(string code, string detail, IDictionary<string, object?>? extensions = null) =>
        new(409, code, "Conflict with the current state", detail, extensions: extensions);

    public static ProblemException Unprocessable(string code, string detail, IDictionary<string, object?>? extensions = null) =>
        new(422, code, "Rule violated", detail, extensions: extensions);

    public static ProblemException Invalid(IDictionary<string, string[]> errors) =>
        new(422, "validation", "The request is not valid", "See errors for each field.", errors);

    public static ProblemException Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });
}
