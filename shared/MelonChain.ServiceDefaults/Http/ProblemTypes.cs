using Microsoft.AspNetCore.Builder;

namespace MelonChain.ServiceDefaults.Http;

/// <summary>The problem types an endpoint answers with <see cref="Status"/>, beyond those every endpoint may answer.</summary>
public sealed record ProblemTypesMetadata(int Status, IReadOnlyList<string> Codes);

/// <summary>
/// Declares an endpoint's own problem types (the <c>urn:melonchain:problem:CODE</c> its use case throws) so its OpenAPI
/// description lists them beside the ones every endpoint shares (validation, not-found, unauthenticated, forbidden,
/// rate-limited, unavailable, internal): a generated client knows every answer it can get.
/// </summary>
public static class ProblemTypes
{
    public static TBuilder Problems<TBuilder>(this TBuilder builder, int status, params string[] codes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProblemTypesMetadata(status, codes));

    /// <summary>A cooperative with no profile: the use case needs one of its values.</summary>
    public const string ProfileRequired = "profile-required";
}
