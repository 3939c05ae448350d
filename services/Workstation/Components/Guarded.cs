using MelonChain.Workstation.Api;

namespace MelonChain.Workstation.Components;

/// <summary>Runs a call to the API and gives back what to show if it failed: the ProblemDetails' lines, or the network's.</summary>
public static class Guarded
{
    /// <param name="fieldName">The screen's names for the fields the server names (<see cref="Text.FieldName"/> unless given).</param>
    public static async Task<IReadOnlyList<string>> RunAsync(Func<Task> call, Func<string, string>? fieldName = null)
    {
        try
        {
            await call();
            return [];
        }
        catch (ApiProblem problem) { return problem.Lines(fieldName).ToList(); }
        catch (HttpRequestException) { return [Text.NetworkDownRetry]; }
    }
}
