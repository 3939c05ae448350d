using System.Text.Json;
using MelonChain.Messages;

namespace MelonChain.ServiceDefaults.Messaging;

/// <summary>How events are written to the outbox and which .NET type a stored event is.</summary>
public static class MessageJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new UtcDateTimeOffsetConverter() } };

    /// <summary>The .NET type of an event stored under its catalogue name.</summary>
    public static Type TypeOf(string messageType) => EventCatalogue.Named(messageType).Type;
}
