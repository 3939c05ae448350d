using System.Net.Http.Headers;

namespace MelonChain.Workstation.Auth;

/// <summary>Sends the signed-in caller's token with every API call (the Gateway forwards it to the service).</summary>
public sealed class BearerHandler(SignedIn signedIn) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is null && signedIn.Current() is { } caller)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", caller.Token);
        return base.SendAsync(request, cancellationToken);
    }
}
