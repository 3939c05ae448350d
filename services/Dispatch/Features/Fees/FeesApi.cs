namespace MelonChain.Dispatch.Features.Fees;

/// <summary>What the carriers bill (billed freight): pushed by the carrier (SF) or asked for (JD, or SF when a push is missing).</summary>
public static class FeesApi
{
    public static RouteGroupBuilder MapFeesApi(this RouteGroupBuilder api)
    {
        var carriers = api.MapGroup("/carriers").WithTags("Carrier pushes");
        ReceiveFeePush.Map(carriers);
        return api;
    }
}
