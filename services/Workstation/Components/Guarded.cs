using MelonChain.Workstation.Api;

namespace MelonChain.Workstation.Components;

/// <summary>Runs a call to the API and gives back what to show if it failed: the ProblemDetails' lines, or the network's.</summary>
public static class Guarded
{
    public static async Task<IReadOnlyList<string>> RunAsync(Func<Task> call)
    {
        try
        {
            await call();
            return [];
        }
        catch (ApiProblem problem) { return problem.Lines().ToList(); }
        catch (HttpRequestException) { return [Text.NetworkDownRetry]; }
    }
}
