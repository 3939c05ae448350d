namespace MelonChain.Dispatch.Features.Routes;

/// <summary>The carrier's route records: pushed by the carrier (webhook) and polled for quiet shipments.</summary>
public static class Routes
{
    public static RouteGroupBuilder MapRoutes(this RouteGroupBuilder api)
    {
        var carriers = api.MapGroup("/carriers").WithTags("Carrier pushes");
        ReceiveRoutePush.Map(carriers);
        return api;
    }
}
