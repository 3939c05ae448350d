using System.Text.Json.Serialization;
using MelonChain.Workstation.Api;

namespace MelonChain.Workstation.Offline;

public static class CaptureKind
{
    public const string Receipt = "receipt";
    public const string Grading = "grading";
}

public static class CaptureState
{
    /// <summary>Kept on the device, to be sent (or being sent) in capture order.</summary>
    public const string Queued = "queued";

    /// <summary>The server recorded it (2xx); the receipt's number is known.</summary>
    public const string Sent = "sent";

    /// <summary>The server refused it (4xx): shown for the clerk to edit and resend, or to discard; never dropped silently.</summary>
    public const string Refused = "refused";
}

/// <summary>A refusal as the server said it (its ProblemDetails), kept with the capture so the clerk reads it after a reload.</summary>
public sealed record CaptureProblem(int Status, string Code, string Detail, string? Title, Dictionary<string, string[]>? Errors)
{
    public static CaptureProblem From(ApiProblem p) => new(p.Status, p.Code, p.Detail, p.Title, p.Errors.ToDictionary(e => e.Key, e => e.Value));

    public ApiProblem ToApiProblem() => new(Status, Code, Detail, Title, Errors);
}

/// <summary>
/// A receipt or a grading as the clerk captured it: the request exactly as it is sent (<see cref="Body"/>, holding its
/// capturedAt), the Idempotency-Key made at capture (<see cref="Id"/>) and sent with every try, so a try whose answer
/// was lost is replayed by the server, never recorded twice. Who captured it is kept as cooperative and 工号 (only that
/// clerk's sign-in sends it: the server's keys are per caller); never a token.
/// </summary>
public sealed record Capture
{
    /// <summary>The Idempotency-Key, made at capture.</summary>
    public required string Id { get; init; }

    public required string Kind { get; init; }

    /// <summary>Where it is POSTed; for a grading of a receipt still queued, empty until that receipt has its server id.</summary>
    public required string Path { get; init; }

    /// <summary>A grading of a receipt captured on this device and not yet sent: that receipt's capture (its key).</summary>
    public string? AfterReceipt { get; init; }

    /// <summary>The request body as JSON, byte for byte what is sent (the server's key check hashes it).</summary>
    public required string Body { get; init; }

    public required DateTimeOffset CapturedAt { get; init; }

    /// <summary>The device code (made once per device) and this capture's number on it: the capture order.</summary>
    public required string Device { get; init; }

    public required long Sequence { get; init; }

    public required string Cooperative { get; init; }

    public required string Subject { get; init; }

    /// <summary>What the clerk reads in the queue: member, kg, crates (a receipt); receipt and kg per grade (a grading).</summary>
    public required string Summary { get; init; }

    public string State { get; init; } = CaptureState.Queued;

    public CaptureProblem? Problem { get; init; }

    /// <summary>Once sent: the server's receipt (a receipt) or the receipt graded (a grading).</summary>
    public Guid? ReceiptId { get; init; }

    public string? ReceiptNo { get; init; }

    public DateTimeOffset? SentAt { get; init; }

    /// <summary>The provisional slip number until the server's is known: device code and sequence, e.g. K7M2-0007.</summary>
    [JsonIgnore]
    public string ProvisionalNo => $"{Device}-{Sequence:D4}";

    [JsonIgnore]
    public bool Pending => State != CaptureState.Sent;
}
