using MelonChain.ServiceDefaults.Http;

namespace MelonChain.Dispatch.Features.Carrier;

/// <summary>The carriers this installation speaks, by name and by the products they carry.</summary>
public sealed class CarrierRegistry(IEnumerable<ICarrier> carriers)
{
    private readonly IReadOnlyList<ICarrier> _all = carriers.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

    public IReadOnlyList<ICarrier> All => _all;

    public IReadOnlyList<string> Names => _all.Select(c => c.Name).ToList();

    public ICarrier? Find(string name) => _all.FirstOrDefault(c => c.Name == name);

    public ICarrier Get(string name) => Find(name) ?? throw new InvalidOperationException($"No adapter for carrier '{name}' is configured.");

    /// <summary>The carrier that carries <paramref name="product"/>, or null when none configured does.</summary>
    public ICarrier? Carrying(string product) => _all.FirstOrDefault(c => c.Products.Contains(product));

    /// <summary>
    /// Runs a carrier call for an API request: carrier trouble becomes a clean 503 (retry later, same Idempotency-Key)
    /// or a 502 ProblemDetails. The adapters raise their own errors; only this turns them into HTTP problems.
    /// </summary>
    public static async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try { return await call(); }
        catch (CarrierUnavailableException e) when (e.CircuitOpen)
        {
            throw new ProblemException(503, "carrier-circuit-open", "Carrier unavailable",
                $"Calls to the carrier are paused after repeated failures (circuit open); retry shortly. {e.Message}");
        }
        catch (CarrierUnavailableException e)
        {
            throw new ProblemException(503, "carrier-unavailable", "Carrier unavailable", $"The carrier did not answer usefully; retry shortly. {e.Message}");
        }
        catch (CarrierRejectedException e)
        {
            throw new ProblemException(502, "carrier-rejected", "Carrier refused the request", e.Message);
        }
    }
}
