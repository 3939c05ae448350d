using System.Text.Json;
using System.Text.Json.Serialization;

namespace MelonChain.ServiceDefaults.Messaging;

/// <summary>
/// Every instant entering a service (HTTP bodies, events) is brought to UTC: PostgreSQL's timestamptz keeps
/// instants, and Npgsql refuses a DateTimeOffset with any other offset. The instant itself never changes.
/// </summary>
public sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}
