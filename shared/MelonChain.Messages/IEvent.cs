namespace MelonChain.Messages;

/// <summary>
/// What every event in the catalogue carries. <see cref="EventId"/> is also the MassTransit MessageId, so
/// consumers de-duplicate on it. Weights travel as integer grams, money as integer fen.
/// </summary>
public interface IEvent
{
    Guid EventId { get; }
    DateTimeOffset OccurredAt { get; }
    string CooperativeId { get; }
}
