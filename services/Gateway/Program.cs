using MelonChain.Gateway.Features;
using MelonChain.ServiceDefaults.Hosting;

// Gateway: the single entry point. Routes /api/v1/<service>/... to each service (YARP), serves the tracking
// pages from Tracking, links every service's Swagger document, serves the clerk's workstation at /app/, and in
// development issues tokens.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("gateway", migrations: null);
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
    .SkipFailingReplicasBriefly()
    .TuneServiceConnections(builder.Configuration)
    .ShowDestinationInDevelopment(builder.Environment);

var app = builder.Build();
// The edge: it believes X-Forwarded-For/Proto only from the ingress in front of it (Edge:TrustedProxies), never from a
// client, and sets X-Forwarded-For to the caller it found for the services behind it.
app.UseServiceDefaults(behindGateway: false, swaggerUi: ui =>
{
    ui.SwaggerEndpoint("/swagger/v1/swagger.json", "Gateway (dev tokens)");
    foreach (var service in new[] { "cooperative", "growing", "dispatch", "tracking" })
        ui.SwaggerEndpoint($"/swagger/{service}/v1/swagger.json", service);
});
app.MapDevTokens();
app.MapWorkstation();
app.MapReverseProxy();
// What no route claims is 404 whatever the method: the workstation's static assets are GET/HEAD endpoints, and without
// a fallback for every method the router answers a POST to an unknown path (the dev-token path outside Development)
// with 405, telling a caller that something is there.
app.MapFallback(() => Results.NotFound());

app.Run();

public partial class Program;
