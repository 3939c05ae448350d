using System.Text.Json;
using System.Text.Json.Serialization;

namespace MelonChain.Dispatch.Features.Rates;

/// <summary>
/// The quote's request and answer, read and written by code generated at build time instead of by reflection: P4's
/// profile of the 60-parcel quote had <c>ObjectWithParameterizedConstructorConverter</c> and <c>Utf8JsonReader</c>
/// (reading 60 parcels into positional records) as its hottest frames. Put first in the service's JSON options
/// (Program.cs), so the service's converters and strict number handling still apply and the answer's bytes are
/// unchanged (PickupFlowTests pins them); every other type is still resolved by reflection.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(QuoteParcels.Request))]
[JsonSerializable(typeof(QuoteParcels.Quote))]
public sealed partial class QuoteJson : JsonSerializerContext;
