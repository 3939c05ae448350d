using System.Security.Cryptography;
using System.Text.Json;
using Json.Schema;

namespace MelonChain.Testing;

/// <summary>Validates a document against GS1's EPCIS 2.0 JSON schema, vendored in <c>Epcis/</c> (see its README).</summary>
public static class EpcisSchema
{
    private const string Sha256 = "70b7ecb60eb605c6edd230761557763e4d470333510d28619291476de635bf20";

    // Built once: the schema has an $id, and building it again into one registry throws.
    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Epcis", "EPCISDocument.schema.json");
        var bytes = File.ReadAllBytes(path);
        var digest = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (digest != Sha256) throw new InvalidOperationException($"{path} is not the vendored GS1 schema (SHA-256 {digest})");
        return JsonSchema.FromText(System.Text.Encoding.UTF8.GetString(bytes),
            new BuildOptions { Dialect = Dialect.Draft07, SchemaRegistry = new SchemaRegistry() });
    });

    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    /// <summary>The schema's complaints about <paramref name="json"/>; none when it is a valid EPCIS 2.0 document or event.</summary>
    public static IReadOnlyList<string> Validate(string json)
    {
        using var document = JsonDocument.Parse(json);
        var results = Schema.Value.Evaluate(document.RootElement, Options);
        if (results.IsValid) return [];
        var errors = (results.Details ?? [])
            .Where(d => !d.IsValid && d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}) {e.Key}: {e.Value}"))
            .ToList();
        return errors.Count > 0 ? errors : ["invalid, with no detail"];
    }
}
