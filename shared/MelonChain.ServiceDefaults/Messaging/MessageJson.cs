using System.Text.Json;
using MelonChain.Messages;

namespace MelonChain.ServiceDefaults.Messaging;

/// <summary>How events are written to the outbox and which .NET type a stored event is.</summary>
public static class MessageJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new UtcDateTimeOffsetConverter() } };

    private static readonly Dictionary<string, Type> Types = typeof(IEvent).Assembly.GetTypes()
        .Where(t => t.IsClass && !t.IsAbstract && typeof(IEvent).IsAssignableFrom(t))
        .ToDictionary(t => t.FullName!);

    public static Type TypeOf(string messageType) =>
        Types.TryGetValue(messageType, out var type)
            ? type
            : throw new InvalidOperationException($"Unknown event type {messageType}");
}
