using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MelonChain.Security.Tests;

/// <summary>
/// A minimal ingress in front of the Gateway, as the NGINX ingress controller is in Kubernetes: it listens on loopback,
/// forwards each GET to the Gateway over connections that leave from <paramref name="source"/>, and appends the
/// caller's address to whatever <c>X-Forwarded-For</c> the caller sent (NGINX's <c>$proxy_add_x_forwarded_for</c>),
/// with <c>X-Forwarded-Proto: https</c> as TLS ends there.
/// </summary>
public sealed class Ingress(WebApplication app, HttpClient upstream) : IAsyncDisposable
{
    public Uri Address { get; } = new(app.Urls.First());

    public static async Task<Ingress> StartAsync(Uri gateway, string source)
    {
        var upstream = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        }) { BaseAddress = gateway };
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(async http =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, http.Request.Path + http.Request.QueryString);
            var caller = http.Connection.RemoteIpAddress!.MapToIPv4().ToString();
            var sent = http.Request.Headers["X-Forwarded-For"].ToString();
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", sent.Length == 0 ? caller : $"{sent}, {caller}");
            request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
            using var response = await upstream.SendAsync(request, http.RequestAborted);
            http.Response.StatusCode = (int)response.StatusCode;
            await response.Content.CopyToAsync(http.Response.Body, http.RequestAborted);
        });
        await app.StartAsync();
        return new Ingress(app, upstream);
    }

    /// <summary>A caller on the internet whose connections to the ingress come from <paramref name="address"/> (127.0.0.x).</summary>
    public HttpClient Caller(string address) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    }) { BaseAddress = Address };

    public async ValueTask DisposeAsync()
    {
        upstream.Dispose();
        await app.DisposeAsync();
    }
}
